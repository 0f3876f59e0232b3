package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports stored feature values into a snapshot file and records it in the storage's audit log
 * ({@code train_data_snapshots}); finds and reads recorded snapshots back.
 *
 * <p>The file is written completely (atomically, see {@link SnapshotExporter}) before its audit
 * rows are recorded in one transaction, so no row ever points to a missing or partial file; a
 * failure between the two leaves a complete file without rows, which the next export of the same
 * content records. Exporting identical content again returns the rows already recorded.
 *
 * <pre>{@code
 * SnapshotLog log = new SnapshotLog(store.storage());
 * List<FeatureFrame> frames = ...; // stored rows, one frame per secid
 * List<SnapshotRecord> rows = log.export(SnapshotExporter.builder().format("parquet").build(), dir, frames, null);
 * List<SnapshotRecord> sber = log.find(SnapshotQuery.all().featureSet("tech_v2").secid("SBER"));
 * }</pre>
 */
public final class SnapshotLog {
    private final FeatureStorage storage;

    /**
     * A log over a storage that keeps one.
     *
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
     * @param frames stored rows, one frame per secid, of one feature set and timeframe, each built
     *     by a completed build (its history start is taken from there)
     * @param date the snapshot's date, or null for the as-of date of the rows
     * @return the recorded rows, in secid order
     * @throws InvalidQueryException when a secid has no completed build
     */
    public List<SnapshotRecord> export(SnapshotExporter exporter, Path dir, List<FeatureFrame> frames,
            LocalDate date) {
        Map<String, Long> historyStart = historyStarts(storage, frames);
        SnapshotMetadata meta = metadata(frames, historyStart, SnapshotFiles.libraryVersion());
        List<SnapshotRecord> written = exporter.export(dir, frames, meta, date);
        List<SnapshotRecord> rows = new ArrayList<>(written.size());
        for (SnapshotRecord r : written) {
            rows.add(new SnapshotRecord(r.secid(), r.timeframe(), r.featureSet(), r.rowsCount(), r.path(), r.format(),
                    r.sha256(), r.minTs(), r.maxTs(), historyStart.get(r.secid()), r.createdAt(),
                    r.libraryVersion()));
        }
        String sha = rows.get(0).sha256();
        List<SnapshotRecord> existing = new ArrayList<>();
        for (SnapshotRecord r : storage.snapshots(SnapshotQuery.all().sha256(sha))) {
            if (r.path().equals(rows.get(0).path())) {
                existing.add(r);
            }
        }
        if (existing.size() == rows.size()) {
            return List.copyOf(existing);
        }
        storage.recordSnapshots(rows);
        return List.copyOf(rows);
    }

    /** The recorded rows matching the query, oldest first. */
    public List<SnapshotRecord> find(SnapshotQuery query) {
        return storage.snapshots(query);
    }

    /**
     * Reads a recorded snapshot back, after checking the file's SHA-256 when {@code verify}.
     *
     * @throws dev.featurestore.api.snapshot.SnapshotIntegrityException when the hash differs
     */
    public static List<FeatureFrame> read(SnapshotRecord record, boolean verify) {
        return verify ? SnapshotExporter.read(record) : SnapshotFormats.byName(record.format()).read(
                Path.of(record.path()));
    }

    /**
     * The open time of the first candle each frame's values were computed from: the
     * {@code historyStartTs} of the latest completed build of its (feature set, timeframe, secid).
     *
     * @throws InvalidQueryException naming the secid when it has no completed build
     */
    public static Map<String, Long> historyStarts(FeatureStorage storage, List<FeatureFrame> frames) {
        Map<String, Long> out = new HashMap<>();
        for (FeatureFrame f : frames) {
            Timeframe tf = f.timeframe().orElseThrow(() -> new IllegalArgumentException(
                    "frame " + f + " has no timeframe; snapshots are of one timeframe"));
            BuildRecord latest = null;
            for (BuildRecord b : storage.builds(f.featureSet(), tf, f.secid())) {
                if (b.status() == BuildRecord.Status.COMPLETED) {
                    latest = b;
                }
            }
            if (latest == null) {
                throw new InvalidQueryException("no completed build of " + f.featureSet() + " " + tf + " for secid '"
                        + f.secid() + "'; build() it before exporting");
            }
            out.put(f.secid(), latest.historyStartTs());
        }
        return out;
    }

    /**
     * Metadata for frames with the given history starts: the earliest history start, and as
     * source candle range that history start through the last row's candle.
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
