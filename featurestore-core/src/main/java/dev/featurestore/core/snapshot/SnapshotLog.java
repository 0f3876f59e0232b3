package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureSetChangedException;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.DatasetInfo;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports stored feature values into a snapshot file and records it in the storage's audit log
 * ({@code train_data_snapshots}); finds and reads recorded snapshots back.
 *
 * <p>The file is written completely (atomically, see {@link SnapshotExporter}) before its audit
 * rows are recorded in one transaction, so no row ever points to a missing or partial file; a
 * failure between the two leaves a complete file without rows, which the next export of the same
 * content records. Exporting identical content again returns the rows already recorded. A process
 * killed in that gap leaves such a file too; {@link Snapshots#verify(Path)} lists it until an
 * export records it.
 *
 * <p>Internal test hook, not an API: with the system property
 * {@code featurestore.internal.haltAfterSnapshotFile} set to {@code true}, the JVM halts
 * ({@link Runtime#halt}, status 86) right after the file is in place and before its audit rows
 * are recorded, exactly as a kill there would stop it.
 *
 * <pre>{@code
 * SnapshotLog log = new SnapshotLog(store.storage());
 * List<FeatureFrame> frames = ...; // stored rows, one frame per secid
 * List<SnapshotRecord> rows = log.export(SnapshotExporter.builder().format("parquet").build(), dir, frames, null);
 * List<SnapshotRecord> sber = log.find(SnapshotQuery.all().featureSet("tech_v2").secid("SBER"));
 * }</pre>
 */
public final class SnapshotLog {
    /** One monitor per output directory: the exports of this JVM into it take turns. */
    private static final Map<Path, Object> EXPORTING = new ConcurrentHashMap<>();

    /** The system property of the internal test hook that halts between the file and its audit rows. */
    static final String HALT_AFTER_FILE = "featurestore.internal.haltAfterSnapshotFile";

    /** The exit status of the JVM halted by the test hook. */
    static final int HALT_STATUS = 86;

    private final FeatureStorage storage;

    /**
     * A log over a storage that keeps one.
     *
     * @param storage the storage whose {@code train_data_snapshots} rows are written and read
     * @throws FeatureStoreException when the storage keeps no snapshot audit log
     */
    public SnapshotLog(FeatureStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        if (!storage.keepsSnapshotLog()) {
            throw new FeatureStoreException("storage " + storage.getClass().getName()
                    + " keeps no snapshot audit log (train_data_snapshots); use a storage that does, such as the"
                    + " JDBC ones, or export with SnapshotExporter alone");
        }
    }

    /**
     * Exports the frames and records one audit row per secid.
     *
     * @param exporter the format, compression and overwrite choice of the file
     * @param dir the snapshot output directory; exports of this JVM into one directory take turns
     * @param frames stored rows, one frame per secid, of one feature set and timeframe, each built
     *     by completed builds (the history start recorded is that of the builds that wrote the
     *     exported rows, see {@link #historyStarts})
     * @param date the snapshot's date, or null for the as-of date of the rows
     * @return the recorded rows, in secid order; when the same content is already recorded as
     *     the newest export at that path, the rows recorded then (no new row is added)
     * @throws InvalidQueryException when a secid has no completed build
     * @throws FeatureSetChangedException when the secids' latest builds
     *     recorded different fingerprints
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a different file is at
     *     the path and the exporter does not overwrite
     * @throws StorageException when the file was written but its rows could not be recorded (the
     *     message says so; the complete file stays, and exporting the same content again records it)
     */
    public List<SnapshotRecord> export(SnapshotExporter exporter, Path dir, List<FeatureFrame> frames,
            LocalDate date) {
        return exportSplit(exporter, dir, frames, date, null, Map.of(), null);
    }

    /**
     * Exports the rows of one split of a training dataset into {@code YYYYMMDD.{split}.ext} and
     * records one audit row per secid that names the split, labels, normalization and dataset
     * fingerprint; otherwise as {@link #export(SnapshotExporter, Path, List, LocalDate)} does.
     *
     * @param exporter the format, compression and overwrite choice of the file
     * @param dir the snapshot output directory
     * @param frames the split's rows, one frame per secid, of stored and completely built series
     * @param date the snapshot's date, or null for the as-of date of the rows
     * @param split the split's name, or null for a feature snapshot
     * @param extra further metadata pairs for the file, keys starting with {@value
     *     SnapshotMetadata#EXTRA_PREFIX}
     * @param dataset what each audit row records of the dataset, or null for a feature snapshot
     * @return the recorded rows, in secid order
     * @throws InvalidQueryException as {@link #export(SnapshotExporter, Path, List, LocalDate)} does
     * @throws FeatureSetChangedException as {@link #export(SnapshotExporter, Path, List, LocalDate)} does
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException as {@link #export(SnapshotExporter,
     *     Path, List, LocalDate)} does
     * @throws StorageException as {@link #export(SnapshotExporter, Path, List, LocalDate)} does
     */
    public List<SnapshotRecord> exportSplit(SnapshotExporter exporter, Path dir, List<FeatureFrame> frames,
            LocalDate date, String split, Map<String, String> extra, DatasetInfo dataset) {
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(dir, "dir");
        Map<String, BuildRecord> builds = latestBuilds(storage, frames);
        Map<String, Long> historyStart = historyStarts(storage, frames);
        SnapshotMetadata meta = metadata(frames, historyStart, SnapshotFiles.libraryVersion())
                .withFingerprint(fingerprint(builds)).withExtra(extra);
        // Exports into one directory from this JVM take turns from writing the file to recording
        // its rows; other processes are kept from adding the same rows twice by the storage.
        synchronized (EXPORTING.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new Object())) {
            return record(exporter.export(dir, frames, meta, date, split), historyStart, dataset);
        }
    }

    /**
     * Records the audit rows of a file just put in place, unless the same content is already
     * recorded as the newest export at its path.
     */
    private List<SnapshotRecord> record(List<SnapshotRecord> written, Map<String, Long> historyStart,
            DatasetInfo dataset) {
        if (Boolean.getBoolean(HALT_AFTER_FILE)) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        SnapshotRecord first = written.get(0);
        List<SnapshotRecord> latest = latestRecorded(first);
        if (first.replacedSha256() == null && !latest.isEmpty() && latest.get(0).sha256().equals(first.sha256())
                && sameSecids(latest, written)) {
            return List.copyOf(latest);
        }
        // The file on disk replaced the one last recorded at this path: by this export (overwrite),
        // or by an earlier overwrite whose rows could not be recorded.
        String replaced = first.replacedSha256() != null ? first.replacedSha256()
                : !latest.isEmpty() && !latest.get(0).sha256().equals(first.sha256()) ? latest.get(0).sha256() : null;
        List<SnapshotRecord> rows = new ArrayList<>(written.size());
        for (SnapshotRecord r : written) {
            rows.add(r.withHistoryStart(historyStart.get(r.secid())).withReplacedSha256(replaced).withDataset(dataset));
        }
        try {
            storage.recordSnapshots(rows);
        } catch (RuntimeException e) {
            throw new StorageException("snapshot " + first.path() + " (sha256 " + first.sha256()
                    + ") was written completely, but its audit rows could not be recorded in train_data_snapshots: "
                    + e.getMessage() + "; the file stays without rows; export the same content again to record it", e);
        }
        // The storage adds nothing when another process recorded the same content first: its rows count.
        List<SnapshotRecord> now = latestRecorded(first);
        if (!now.isEmpty() && now.get(0).sha256().equals(first.sha256()) && sameSecids(now, rows)) {
            return List.copyOf(now);
        }
        return List.copyOf(rows);
    }

    /** The rows of the newest export recorded for the record's path (same created_at and hash), or none. */
    private List<SnapshotRecord> latestRecorded(SnapshotRecord like) {
        SnapshotQuery q = SnapshotQuery.all().featureSet(like.featureSet()).timeframe(like.timeframe());
        LocalDate day = SnapshotQuery.fileDate(like.path());
        if (day != null) {
            q = q.date(day);
        }
        List<SnapshotRecord> atPath = new ArrayList<>();
        for (SnapshotRecord r : storage.snapshots(q)) {
            if (r.path().equals(like.path())) {
                atPath.add(r);
            }
        }
        if (atPath.isEmpty()) {
            return List.of();
        }
        SnapshotRecord last = atPath.get(atPath.size() - 1);
        List<SnapshotRecord> out = new ArrayList<>();
        for (SnapshotRecord r : atPath) {
            if (r.createdAt().equals(last.createdAt()) && r.sha256().equals(last.sha256())) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(SnapshotRecord::secid));
        return out;
    }

    private static boolean sameSecids(List<SnapshotRecord> a, List<SnapshotRecord> b) {
        Set<String> x = new HashSet<>();
        for (SnapshotRecord r : a) {
            x.add(r.secid());
        }
        Set<String> y = new HashSet<>();
        for (SnapshotRecord r : b) {
            y.add(r.secid());
        }
        return x.equals(y) && a.size() == b.size();
    }

    /**
     * The recorded rows matching the query, oldest first.
     *
     * @param query the conditions, all of which a row meets
     * @return the matching rows, oldest {@code created_at} first; empty when none
     */
    public List<SnapshotRecord> find(SnapshotQuery query) {
        return storage.snapshots(query);
    }

    /**
     * Reads a recorded snapshot back, after checking the file's SHA-256 when {@code verify}.
     *
     * @param record a recorded row naming the file and its format
     * @param verify true to check the file's SHA-256 against the record first
     * @return one frame per secid in the file, in file order
     * @throws dev.featurestore.api.snapshot.SnapshotIntegrityException when the hash differs
     */
    public static List<FeatureFrame> read(SnapshotRecord record, boolean verify) {
        return verify ? SnapshotExporter.read(record) : SnapshotFormats.byName(record.format()).read(
                Path.of(record.path()));
    }

    /**
     * The open time of the first candle each frame's values were computed from: the
     * {@code historyStartTs} of the build that wrote its rows, that is, for each row, the latest
     * completed build (in the storage's build order) whose range holds the row's open time. When
     * the rows were written by builds of different history starts (older candles were backfilled
     * between them), the earliest of those; for a frame without rows, the latest completed build's.
     *
     * @param storage the storage whose build records are read
     * @param frames feature rows with a timeframe, one frame per secid
     * @return per secid, the history start in epoch milliseconds UTC
     * @throws InvalidQueryException naming the secid when it has no completed build
     */
    public static Map<String, Long> historyStarts(FeatureStorage storage, List<FeatureFrame> frames) {
        Map<String, Long> out = new HashMap<>();
        for (FeatureFrame f : frames) {
            List<BuildRecord> completed = completedBuilds(storage, f);
            long[] ts = f.timestamps();
            boolean[] written = new boolean[ts.length];
            int left = ts.length;
            long start = Long.MAX_VALUE;
            for (int b = completed.size() - 1; b >= 0 && left > 0; b--) {
                BuildRecord build = completed.get(b);
                boolean wrote = false;
                for (int r = firstAtOrAfter(ts, build.fromTs()); r < ts.length && ts[r] < build.toTs(); r++) {
                    if (!written[r]) {
                        written[r] = true;
                        left--;
                        wrote = true;
                    }
                }
                if (wrote) {
                    start = Math.min(start, build.historyStartTs());
                }
            }
            if (start == Long.MAX_VALUE) {
                start = completed.get(completed.size() - 1).historyStartTs();
            }
            out.put(f.secid(), start);
        }
        return out;
    }

    /** The index of the first of the sorted {@code ts} at or after {@code from}. */
    private static int firstAtOrAfter(long[] ts, long from) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The completed builds of the frame's series in the storage's order; refuses a series without one. */
    private static List<BuildRecord> completedBuilds(FeatureStorage storage, FeatureFrame f) {
        Timeframe tf = f.timeframe().orElseThrow(() -> new IllegalArgumentException(
                "frame " + f + " has no timeframe; snapshots are of one timeframe"));
        List<BuildRecord> out = new ArrayList<>();
        for (BuildRecord b : storage.builds(f.featureSet(), tf, f.secid())) {
            if (b.status() == BuildRecord.Status.COMPLETED) {
                out.add(b);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidQueryException("no completed build of " + f.featureSet() + " " + tf + " for secid '"
                    + f.secid() + "'; build() it before exporting");
        }
        return out;
    }

    /**
     * The latest completed build of each frame's (feature set, timeframe, secid), by secid.
     *
     * @param storage the storage whose build records are read
     * @param frames feature rows with a timeframe, one frame per secid
     * @return per secid, its latest completed build
     * @throws InvalidQueryException naming the secid when it has no completed build
     * @throws IllegalArgumentException when a frame has no timeframe
     */
    public static Map<String, BuildRecord> latestBuilds(FeatureStorage storage, List<FeatureFrame> frames) {
        Map<String, BuildRecord> out = new HashMap<>();
        for (FeatureFrame f : frames) {
            List<BuildRecord> completed = completedBuilds(storage, f);
            BuildRecord latest = completed.get(completed.size() - 1);
            out.put(f.secid(), latest);
        }
        return out;
    }

    /**
     * The fingerprint the frames' values were built with: the one recorded with every secid's
     * latest completed build, or null when none of them recorded one (builds from before
     * fingerprints were kept).
     *
     * @param latestBuilds per secid, its latest completed build, as {@link #latestBuilds} returns them
     * @return the common fingerprint, 64 lower-case hex digits, or null
     * @throws FeatureSetChangedException when the secids' builds were made
     *     under different fingerprints, so one snapshot would mix two definitions
     */
    public static String fingerprint(Map<String, BuildRecord> latestBuilds) {
        String found = null;
        String foundSecid = null;
        for (String secid : new TreeSet<>(latestBuilds.keySet())) {
            String fp = latestBuilds.get(secid).fingerprint();
            if (fp == null) {
                continue;
            }
            if (found != null && !found.equals(fp)) {
                BuildRecord b = latestBuilds.get(secid);
                throw new FeatureSetChangedException(b.featureSet(), "exporting " + b.featureSet()
                        + " " + b.timeframe() + " secids '" + foundSecid + "' and '" + secid + "' into one snapshot",
                        found, fp);
            }
            found = fp;
            foundSecid = secid;
        }
        return found;
    }

    /**
     * Metadata for frames with the given history starts: the earliest history start, and as
     * source candle range that history start through the last row's candle.
     *
     * @param frames feature rows of one feature set and timeframe, at least one row in all
     * @param historyStart per secid of the frames, the history start in epoch milliseconds UTC
     * @param libraryVersion the version written into the metadata, e.g. {@link SnapshotFiles#libraryVersion()}
     * @return the metadata of the first frame's feature set, timeframe and features
     * @throws IllegalArgumentException when no frame is given or the frames hold no row
     */
    public static SnapshotMetadata metadata(List<FeatureFrame> frames, Map<String, Long> historyStart,
            String libraryVersion) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("nothing to export: no frames given");
        }
        long start = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (FeatureFrame f : frames) {
            start = Math.min(start, historyStart.get(f.secid()));
            if (!f.isEmpty()) {
                last = Math.max(last, f.ts(f.size() - 1));
            }
        }
        if (last == Long.MIN_VALUE) {
            throw new IllegalArgumentException("nothing to export: the frames hold no row");
        }
        return SnapshotMetadata.of(frames.get(0), libraryVersion, start, start, Math.max(start, last));
    }
}
