package dev.featurestore.core.storage;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.storage.internal.SnapshotRows;
import dev.featurestore.core.storage.internal.StorageChecks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;

/**
 * A {@link FeatureStorage} held in memory: what a store uses when no storage URL is given, so
 * that the same public API works in unit tests of training code without a database.
 *
 * <p>Keeps the snapshot audit log and stream checkpoints too. Thread-safe (one lock); every write is applied whole or
 * not at all. Nothing survives
 * {@link #close()}.
 */
public final class InMemoryStorage implements FeatureStorage {
    private final Map<SeriesKey, TreeMap<Long, double[]>> candles = new HashMap<>();
    private final Map<FeatureKey, TreeMap<Long, double[]>> features = new HashMap<>();
    private final Map<String, List<String>> columns = new HashMap<>();
    private final Map<String, List<FeatureKind>> columnKinds = new HashMap<>();
    private final Map<FeatureKey, List<BuildRecord>> builds = new HashMap<>();
    private final Map<FeatureKey, StreamCheckpoint> checkpoints = new HashMap<>();
    private final List<SnapshotRecord> snapshots = new ArrayList<>();
    private final Set<String> snapshotIds = new HashSet<>();
    private boolean closed;

    /** An empty storage. */
    public InMemoryStorage() {
    }

    private record SeriesKey(String secid, Timeframe timeframe) {
    }

    private record FeatureKey(String featureSet, Timeframe timeframe, String secid) {
    }

    @Override
    public synchronized UpsertResult upsertCandles(CandleSeries series) {
        open();
        Timeframe tf = series.timeframe().orElseThrow(() -> new IllegalArgumentException("series '" + series.secid()
                + "' has no timeframe; candles are stored keyed by (secid, timeframe, ts)"));
        TreeMap<Long, double[]> stored = candles.computeIfAbsent(new SeriesKey(series.secid(), tf),
                k -> new TreeMap<>());
        long inserted = 0;
        long replaced = 0;
        long unchanged = 0;
        long[] ts = Columns.ts(series);
        for (int i = 0; i < ts.length; i++) {
            double[] row = {series.open(i), series.high(i), series.low(i), series.close(i), series.volume(i)};
            double[] old = stored.put(ts[i], row);
            if (old == null) {
                inserted++;
            } else if (sameBits(old, row)) {
                unchanged++;
            } else {
                replaced++;
            }
        }
        return new UpsertResult(inserted, replaced, unchanged);
    }

    private static boolean sameBits(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        open();
        CandleSeries.Builder b = CandleSeries.builder(secid).timeframe(timeframe);
        TreeMap<Long, double[]> stored = candles.get(new SeriesKey(secid, timeframe));
        if (stored != null && fromTs < toTs) {
            NavigableMap<Long, double[]> range = stored.subMap(fromTs, true, toTs, false);
            b.expectedSize(range.size());
            for (Map.Entry<Long, double[]> e : range.entrySet()) {
                double[] r = e.getValue();
                b.add(e.getKey(), r[0], r[1], r[2], r[3], r[4]);
            }
        }
        return b.build();
    }

    @Override
    public synchronized OptionalLong firstCandleTs(String secid, Timeframe timeframe) {
        open();
        TreeMap<Long, double[]> stored = candles.get(new SeriesKey(secid, timeframe));
        return stored == null || stored.isEmpty() ? OptionalLong.empty() : OptionalLong.of(stored.firstKey());
    }

    @Override
    public synchronized List<Timeframe> candleTimeframes(String secid) {
        open();
        TreeSet<Timeframe> out = new TreeSet<>();
        for (Map.Entry<SeriesKey, TreeMap<Long, double[]>> e : candles.entrySet()) {
            if (e.getKey().secid().equals(secid) && !e.getValue().isEmpty()) {
                out.add(e.getKey().timeframe());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public synchronized List<String> secids() {
        open();
        TreeSet<String> out = new TreeSet<>();
        for (Map.Entry<SeriesKey, TreeMap<Long, double[]>> e : candles.entrySet()) {
            if (!e.getValue().isEmpty()) {
                out.add(e.getKey().secid());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void writeBuild(BuildRecord record, FeatureFrame frame, BuildListener listener) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(listener, "listener");
        StorageChecks.checkBuild(record, frame);
        write(record, frame, listener, false, null);
    }

    /** Rows of a stream under one record per stream, and its checkpoint, all at once. */
    @Override
    public void writeStreamRows(BuildRecord record, FeatureFrame rows, LongUnaryOperator availableAt,
            StreamCheckpoint checkpoint) {
        Objects.requireNonNull(availableAt, "availableAt");
        StorageChecks.checkStreamRows(record, rows, checkpoint);
        write(record, rows, BuildListener.NONE, true, checkpoint);
    }

    /** True: checkpoints are kept for as long as the storage is open. */
    @Override
    public boolean keepsStreamCheckpoints() {
        return true;
    }

    @Override
    public synchronized void saveStreamCheckpoint(StreamCheckpoint checkpoint) {
        open();
        Objects.requireNonNull(checkpoint, "checkpoint");
        checkpoints.put(new FeatureKey(checkpoint.featureSet(), checkpoint.timeframe(), checkpoint.secid()), checkpoint);
    }

    @Override
    public synchronized Optional<StreamCheckpoint> streamCheckpoint(String featureSet, Timeframe timeframe,
            String secid) {
        open();
        return Optional.ofNullable(checkpoints.get(new FeatureKey(featureSet, timeframe, secid)));
    }

    private void write(BuildRecord record, FeatureFrame frame, BuildListener listener,
            boolean stream, StreamCheckpoint checkpoint) {
        synchronized (this) {
            open();
            List<String> known = columns.get(record.featureSet());
            if (known != null && (!known.equals(frame.featureNames())
                    || !columnKinds.get(record.featureSet()).equals(frame.kinds()))) {
                throw new StorageException("feature set '" + record.featureSet() + "' is stored with features " + known
                        + " (kinds " + columnKinds.get(record.featureSet()) + ") but the build has " + frame.featureNames()
                        + " (kinds " + frame.kinds() + ")"
                        + "; a changed feature list needs a new feature set", null);
            }
            FeatureKey key = new FeatureKey(record.featureSet(), record.timeframe(), record.secid());
            TreeMap<Long, double[]> next = new TreeMap<>(features.getOrDefault(key, new TreeMap<>()));
            next.subMap(record.fromTs(), true, record.toTs(), false).clear();
            int f = frame.featureNames().size();
            try {
                for (int r = 0; r < frame.size(); r++) {
                    double[] row = new double[f];
                    for (int j = 0; j < f; j++) {
                        row[j] = frame.value(r, j);
                    }
                    next.put(frame.ts(r), row);
                    listener.rowStaged(r);
                }
            } catch (RuntimeException | Error e) {
                // Nothing staged is kept; the attempt is recorded, as a database storage records it.
                builds.computeIfAbsent(key, k -> new ArrayList<>()).add(record.failed(Instant.now()));
                throw e;
            }
            // Everything checked and staged: apply it whole.
            columns.putIfAbsent(record.featureSet(), List.copyOf(frame.featureNames()));
            columnKinds.putIfAbsent(record.featureSet(), List.copyOf(frame.kinds()));
            features.put(key, next);
            List<BuildRecord> log = builds.computeIfAbsent(key, k -> new ArrayList<>());
            if (stream && !log.isEmpty() && record.continues(log.get(log.size() - 1))) {
                log.set(log.size() - 1, StorageChecks.extended(log.get(log.size() - 1), record));
            } else {
                log.add(record);
            }
            if (checkpoint != null) {
                checkpoints.put(key, checkpoint);
            }
        }
    }

    @Override
    public synchronized FeatureFrame readFeatures(String featureSet, List<String> names, String secid,
            Timeframe timeframe, long fromTs, long toTs) {
        open();
        int[] idx = indexes(featureSet, names);
        if (idx == null) {
            List<FeatureKind> numeric = new ArrayList<>();
            names.forEach(n -> numeric.add(FeatureKind.NUMERIC));
            return Columns.frame(secid, featureSet, timeframe, names, numeric, new long[0],
                    new double[names.size()][0], 0, 0);
        }
        TreeMap<Long, double[]> stored = features.get(new FeatureKey(featureSet, timeframe, secid));
        NavigableMap<Long, double[]> range = stored == null || fromTs >= toTs ? new TreeMap<>()
                : stored.subMap(fromTs, true, toTs, false);
        int n = range.size();
        long[] ts = new long[n];
        double[][] cols = new double[idx.length][n];
        int r = 0;
        for (Map.Entry<Long, double[]> e : range.entrySet()) {
            ts[r] = e.getKey();
            for (int j = 0; j < idx.length; j++) {
                cols[j][r] = e.getValue()[idx[j]];
            }
            r++;
        }
        return Columns.frame(secid, featureSet, timeframe, names, kinds(featureSet, idx), ts, cols, 0, n);
    }

    @Override
    public synchronized FeatureWindow readWindow(String featureSet, List<String> names, String secid,
            Timeframe timeframe, long lastTs, int size) {
        open();
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        int[] idx = indexes(featureSet, names);
        TreeMap<Long, double[]> stored = idx == null ? null
                : features.get(new FeatureKey(featureSet, timeframe, secid));
        NavigableMap<Long, double[]> known = stored == null ? new TreeMap<>() : stored.headMap(lastTs, true);
        if (known.size() < size) {
            throw new InsufficientHistoryException("feature set '" + featureSet + "', secid '" + secid + "', timeframe "
                    + timeframe + ", opened by " + Instant.ofEpochMilli(lastTs), size, known.size());
        }
        long[] ts = new long[size];
        double[] values = new double[size * idx.length];
        int r = size - 1;
        for (Map.Entry<Long, double[]> e : known.descendingMap().entrySet()) {
            ts[r] = e.getKey();
            for (int j = 0; j < idx.length; j++) {
                values[r * idx.length + j] = e.getValue()[idx[j]];
            }
            if (--r < 0) {
                break;
            }
        }
        return Columns.window(secid, featureSet, timeframe, names, ts, values);
    }

    private List<FeatureKind> kinds(String featureSet, int[] idx) {
        List<FeatureKind> all = columnKinds.get(featureSet);
        List<FeatureKind> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(all.get(i));
        }
        return out;
    }

    /** Positions of the names in the stored set, or null when nothing of the set is stored. */
    private int[] indexes(String featureSet, List<String> names) {
        List<String> known = columns.get(featureSet);
        if (known == null) {
            return null;
        }
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = known.indexOf(names.get(i));
            if (idx[i] < 0) {
                throw new StorageException("feature set '" + featureSet + "' has no stored feature '" + names.get(i)
                        + "'; stored: " + known, null);
            }
        }
        return idx;
    }

    @Override
    public synchronized List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        open();
        return List.copyOf(builds.getOrDefault(new FeatureKey(featureSet, timeframe, secid), List.of()));
    }

    /** True: the in-memory storage keeps the snapshot audit log, for as long as it is open. */
    @Override
    public boolean keepsSnapshotLog() {
        return true;
    }

    @Override
    public synchronized void recordSnapshots(List<SnapshotRecord> records) {
        open();
        SnapshotRows.checkBatch(records);
        for (SnapshotRecord r : records) {
            if (snapshotIds.contains(SnapshotRows.id(r))) {
                throw new StorageException("snapshot of secid '" + r.secid() + "' in " + r.path() + " created at "
                        + r.createdAt() + " is already recorded; audit rows are never changed", null);
            }
        }
        for (SnapshotRecord r : SnapshotRows.notYetRecorded(records, snapshots)) {
            snapshotIds.add(SnapshotRows.id(r));
            snapshots.add(r);
        }
    }

    @Override
    public synchronized List<SnapshotRecord> snapshots(SnapshotQuery query) {
        open();
        Objects.requireNonNull(query, "query");
        List<SnapshotRecord> out = new ArrayList<>();
        for (SnapshotRecord r : snapshots) {
            if (query.matches(r)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(SnapshotRecord::createdAt).thenComparing(SnapshotRecord::path)
                .thenComparing(SnapshotRecord::secid));
        return List.copyOf(out);
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the in-memory storage is closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        candles.clear();
        features.clear();
        columns.clear();
        columnKinds.clear();
        builds.clear();
        checkpoints.clear();
        snapshots.clear();
        snapshotIds.clear();
    }

    @Override
    public String toString() {
        return "InMemoryStorage";
    }
}
