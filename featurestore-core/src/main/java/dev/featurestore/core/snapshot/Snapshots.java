package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.io.AtomicFiles;
import dev.featurestore.core.snapshot.SnapshotVerification.Finding;
import dev.featurestore.core.snapshot.SnapshotVerification.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The snapshot audit log of a store ({@code train_data_snapshots}) as a training run uses it:
 * find the records of exported snapshots by feature set, timeframe, secid, date or file hash, and
 * read a snapshot back into feature frames, checking first that the file is the one recorded.
 *
 * <pre>{@code
 * Snapshots snapshots = store.snapshots();
 * List<SnapshotRecord> sber = snapshots.find(SnapshotQuery.all().featureSet("tech_v2").secid("SBER"));
 * FeatureFrame frame = snapshots.frame(sber.get(sber.size() - 1));   // verified against its sha256
 * }</pre>
 *
 * <p>Records come oldest {@code created_at} first. A record's path is as the export was given its
 * directory: a relative one is resolved against the working directory. Thread-safe.
 */
public final class Snapshots {
    private final SnapshotLog log;

    /**
     * The audit log of a storage that keeps one.
     *
     * @param storage the storage whose {@code train_data_snapshots} rows are read
     * @throws dev.featurestore.api.FeatureStoreException when the storage keeps no snapshot log
     */
    public Snapshots(FeatureStorage storage) {
        this.log = new SnapshotLog(storage);
    }

    /** {@return every recorded row, oldest {@code created_at} first; empty when nothing was exported} */
    public List<SnapshotRecord> all() {
        return log.find(SnapshotQuery.all());
    }

    /**
     * The recorded rows matching the query, oldest first.
     *
     * @param query the conditions, all of which a row meets, e.g. {@code SnapshotQuery.all().secid("SBER")}
     * @return the matching rows, oldest {@code created_at} first; empty when none
     */
    public List<SnapshotRecord> find(SnapshotQuery query) {
        return log.find(Objects.requireNonNull(query, "query"));
    }

    /**
     * The rows of a feature set and timeframe, oldest first.
     *
     * @param featureSet the feature set's name
     * @param timeframe the snapshots' timeframe
     * @return the matching rows, oldest first; empty when none
     */
    public List<SnapshotRecord> find(String featureSet, Timeframe timeframe) {
        return find(SnapshotQuery.all().featureSet(featureSet).timeframe(timeframe));
    }

    /**
     * The rows of a feature set, timeframe and secid, oldest first.
     *
     * @param featureSet the feature set's name
     * @param timeframe the snapshots' timeframe
     * @param secid the instrument's code
     * @return the matching rows, oldest first; empty when none
     */
    public List<SnapshotRecord> find(String featureSet, Timeframe timeframe, String secid) {
        return find(SnapshotQuery.all().featureSet(featureSet).timeframe(timeframe).secid(secid));
    }

    /**
     * The rows of snapshots of a date, oldest first.
     *
     * @param date the snapshot's date, as in the file name's {@code YYYYMMDD}
     * @return the matching rows, oldest first; empty when none
     */
    public List<SnapshotRecord> onDate(LocalDate date) {
        return find(SnapshotQuery.all().date(date));
    }

    /**
     * The audit rows of every split file of one training dataset, by its fingerprint.
     *
     * @param datasetFingerprint the dataset's fingerprint, as {@code Dataset.fingerprint()} gives it
     * @return the rows, oldest first; empty when none
     */
    public List<SnapshotRecord> ofDataset(String datasetFingerprint) {
        Objects.requireNonNull(datasetFingerprint, "datasetFingerprint");
        List<SnapshotRecord> out = new ArrayList<>();
        for (SnapshotRecord r : all()) {
            if (r.dataset() != null && r.dataset().datasetFingerprint().equals(datasetFingerprint)) {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /**
     * A normalization recorded with a training dataset's split files, loaded by its id; its
     * statistics are checked against its SHA-256 on loading.
     *
     * @param id the normalization's id, e.g. {@code norm_3f2a...}
     * @return the statistics, bit for bit those fitted; empty when no audit row names the id
     * @throws dev.featurestore.api.FeatureStoreException when the recorded statistics do not hash
     *     to their recorded SHA-256
     */
    public Optional<FittedNormalization> normalization(String id) {
        Objects.requireNonNull(id, "id");
        for (SnapshotRecord r : all()) {
            if (r.dataset() != null && id.equals(r.dataset().normalizationId())) {
                return Optional.of(FittedNormalization.fromJson(r.dataset().normalizationJson()));
            }
        }
        return Optional.empty();
    }

    /**
     * The rows of the file with this SHA-256 (one per secid it holds, per export), oldest first.
     *
     * @param sha256 the file's SHA-256, 64 lower-case hex digits
     * @return the matching rows, oldest first; empty when none
     */
    public List<SnapshotRecord> bySha256(String sha256) {
        return find(SnapshotQuery.all().sha256(sha256));
    }

    /**
     * The newest row matching the query.
     *
     * @param query the conditions, all of which the row meets
     * @return the matching row of the latest {@code created_at}, empty when none matches
     */
    public Optional<SnapshotRecord> latest(SnapshotQuery query) {
        List<SnapshotRecord> rows = find(query);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1));
    }

    /**
     * Checks that the record's file exists and has the recorded SHA-256.
     *
     * @param record a row of this log (or of another, for the same file)
     * @throws SnapshotIntegrityException when the hash differs (the file was changed or replaced)
     * @throws StorageException when the file is missing or cannot be read
     */
    public void verify(SnapshotRecord record) {
        Path file = Path.of(record.path());
        if (!Files.isRegularFile(file)) {
            throw new StorageException("snapshot " + record.path() + " (sha256 " + record.sha256()
                    + ", secid '" + record.secid() + "') is recorded but its file is missing", null);
        }
        String actual = SnapshotFiles.sha256(file);
        if (!actual.equals(record.sha256())) {
            throw new SnapshotIntegrityException(record.path(), record.sha256(), actual);
        }
    }

    /**
     * Compares a snapshot directory with the audit log, so that no snapshot exists unrecorded
     * without the library saying so. It finds:
     * <ul>
     *   <li>files at a final snapshot path under {@code dir} ({@code <set>/<timeframe>/YYYYMMDD.<ext>},
     *       the extension of a format on the class path or of a recorded row) that no audit row
     *       names: an export stopped between writing the file and recording it; exporting the same
     *       content again records it;</li>
     *   <li>paths named by audit rows (of any directory) whose file is missing, or whose content
     *       is not what the newest rows of that path record (older rows of a path whose file was
     *       replaced by a recorded overwrite are history, not a finding);</li>
     *   <li>temporary files of exports under {@code dir} older than {@link AtomicFiles#STALE_AGE},
     *       which the next export into their directory deletes.</li>
     * </ul>
     * Paths are compared absolute and normalized; a recorded relative path is resolved against the
     * working directory, as elsewhere. Each file is hashed once.
     *
     * @param dir the snapshot directory, as exports were given it; it need not exist
     * @return the counts checked and what was found
     * @throws StorageException when a directory cannot be listed or a file cannot be read
     */
    public SnapshotVerification verify(Path dir) {
        Path base = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
        Map<Path, List<SnapshotRecord>> byPath = new LinkedHashMap<>();
        Set<String> extensions = new TreeSet<>();
        for (SnapshotFormat f : SnapshotFormats.available()) {
            extensions.add(f.extension());
        }
        for (SnapshotRecord r : all()) {
            Path p = Path.of(r.path()).toAbsolutePath().normalize();
            byPath.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
            String name = p.getFileName().toString();
            extensions.add(name.substring(name.indexOf('.') + 1));
        }
        Pattern finalName = Pattern.compile("[0-9]{8}(\\.[a-z][a-z0-9_]*)?\\.(" + String.join("|", extensions.stream()
                .map(Pattern::quote).toList()) + ")");
        List<Finding> findings = new ArrayList<>();
        int files = 0;
        for (Path leaf : leafDirectories(base)) {
            for (Path file : list(leaf)) {
                String name = file.getFileName().toString();
                if (!finalName.matcher(name).matches() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                files++;
                if (!byPath.containsKey(file)) {
                    findings.add(new Finding(Kind.UNRECORDED, file, "no audit row names this file (sha256 "
                            + SnapshotFiles.sha256(file) + "); an export stopped before recording it: export the "
                            + "same content again to record it, or remove the file"));
                }
            }
            for (Path tmp : AtomicFiles.temporaries(leaf, n -> finalName.matcher(n).matches())) {
                if (isOlderThan(tmp, AtomicFiles.STALE_AGE)) {
                    findings.add(new Finding(Kind.TEMPORARY, tmp, "a temporary file left by an export that did not "
                            + "finish; the next export into " + leaf + " deletes it"));
                }
            }
        }
        for (Map.Entry<Path, List<SnapshotRecord>> e : byPath.entrySet()) {
            List<SnapshotRecord> rows = e.getValue();
            SnapshotRecord newest = rows.get(rows.size() - 1);
            List<String> secids = new ArrayList<>();
            for (SnapshotRecord r : rows) {
                if (r.createdAt().equals(newest.createdAt()) && r.sha256().equals(newest.sha256())) {
                    secids.add(r.secid());
                }
            }
            String recorded = "recorded with sha256 " + newest.sha256() + " for secids " + secids + " at "
                    + newest.createdAt();
            if (!Files.isRegularFile(e.getKey())) {
                findings.add(new Finding(Kind.MISSING, e.getKey(), recorded + ", but the file is missing"));
            } else {
                String actual = SnapshotFiles.sha256(e.getKey());
                if (!actual.equals(newest.sha256())) {
                    findings.add(new Finding(Kind.CHANGED, e.getKey(), recorded + ", but the file has sha256 "
                            + actual));
                }
            }
        }
        return new SnapshotVerification(dir, files, byPath.size(), findings);
    }

    /** The {@code <set>/<timeframe>} directories under {@code base}, hidden names left out. */
    private static List<Path> leafDirectories(Path base) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        for (Path set : list(base)) {
            if (visibleDirectory(set)) {
                for (Path tf : list(set)) {
                    if (visibleDirectory(tf)) {
                        out.add(tf);
                    }
                }
            }
        }
        return out;
    }

    private static boolean visibleDirectory(Path p) {
        return !p.getFileName().toString().startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new StorageException("cannot list the snapshot directory " + dir + ": " + e, e);
        }
        out.sort(null);
        return out;
    }

    private static boolean isOlderThan(Path file, Duration age) {
        try {
            return !Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isAfter(Clock.systemUTC().instant().minus(age));
        } catch (IOException e) {
            return false; // removed meanwhile
        }
    }

    /**
     * Reads the record's whole file (every secid in it, file order), after {@link #verify}.
     *
     * @param record a row of this log
     * @return one frame per secid in the file, in file order
     * @throws SnapshotIntegrityException when the hash differs
     */
    public List<FeatureFrame> read(SnapshotRecord record) {
        return read(record, true);
    }

    /**
     * Reads the record's whole file (every secid in it, file order), checking its SHA-256 first
     * when {@code verify}.
     *
     * @param record a row of this log
     * @param verify true to check the file's SHA-256 against the record first
     * @return one frame per secid in the file, in file order
     * @throws SnapshotIntegrityException when {@code verify} and the hash differs
     */
    public List<FeatureFrame> read(SnapshotRecord record, boolean verify) {
        Objects.requireNonNull(record, "record");
        if (verify) {
            verify(record);
        }
        return SnapshotFormats.byName(record.format()).read(Path.of(record.path()));
    }

    /**
     * The rows of the record's secid in its file, after {@link #verify}.
     *
     * @param record a row of this log
     * @return the rows of {@code record.secid()}, oldest first
     * @throws SnapshotIntegrityException when the hash differs
     * @throws StorageException when the file holds no rows of the secid
     */
    public FeatureFrame frame(SnapshotRecord record) {
        return frame(record, true);
    }

    /**
     * The rows of the record's secid in its file, checking the SHA-256 first when {@code verify}.
     *
     * @param record a row of this log
     * @param verify true to check the file's SHA-256 against the record first
     * @return the rows of {@code record.secid()}, oldest first
     * @throws SnapshotIntegrityException when {@code verify} and the hash differs
     * @throws StorageException when the file holds no rows of the secid
     */
    public FeatureFrame frame(SnapshotRecord record, boolean verify) {
        for (FeatureFrame f : read(record, verify)) {
            if (f.secid().equals(record.secid())) {
                return f;
            }
        }
        throw new StorageException("snapshot " + record.path() + " holds no rows of secid '" + record.secid()
                + "' although the audit log records " + record.rowsCount(), null);
    }
}
