package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.FeatureStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
     * @throws dev.featurestore.api.FeatureStoreException when the storage keeps no snapshot log
     */
    public Snapshots(FeatureStorage storage) {
        this.log = new SnapshotLog(storage);
    }

    /** Every recorded row, oldest first. */
    public List<SnapshotRecord> all() {
        return log.find(SnapshotQuery.all());
    }

    /** The recorded rows matching the query, oldest first. */
    public List<SnapshotRecord> find(SnapshotQuery query) {
        return log.find(Objects.requireNonNull(query, "query"));
    }

    /** The rows of a feature set and timeframe, oldest first. */
    public List<SnapshotRecord> find(String featureSet, Timeframe timeframe) {
        return find(SnapshotQuery.all().featureSet(featureSet).timeframe(timeframe));
    }

    /** The rows of a feature set, timeframe and secid, oldest first. */
    public List<SnapshotRecord> find(String featureSet, Timeframe timeframe, String secid) {
        return find(SnapshotQuery.all().featureSet(featureSet).timeframe(timeframe).secid(secid));
    }

    /** The rows of snapshots of a date (the file name's {@code YYYYMMDD}), oldest first. */
    public List<SnapshotRecord> onDate(LocalDate date) {
        return find(SnapshotQuery.all().date(date));
    }

    /** The rows of the file with this SHA-256 (one per secid it holds, per export), oldest first. */
    public List<SnapshotRecord> bySha256(String sha256) {
        return find(SnapshotQuery.all().sha256(sha256));
    }

    /** The newest row matching the query, if any. */
    public Optional<SnapshotRecord> latest(SnapshotQuery query) {
        List<SnapshotRecord> rows = find(query);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1));
    }

    /**
     * Checks that the record's file exists and has the recorded SHA-256.
     *
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
     * Reads the record's whole file (every secid in it, file order), after {@link #verify}.
     *
     * @throws SnapshotIntegrityException when the hash differs
     */
    public List<FeatureFrame> read(SnapshotRecord record) {
        return read(record, true);
    }

    /**
     * Reads the record's whole file (every secid in it, file order), checking its SHA-256 first
     * when {@code verify}.
     *
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
     * @throws SnapshotIntegrityException when the hash differs
     * @throws StorageException when the file holds no rows of the secid
     */
    public FeatureFrame frame(SnapshotRecord record) {
        return frame(record, true);
    }

    /** The rows of the record's secid in its file, checking the SHA-256 first when {@code verify}. */
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
