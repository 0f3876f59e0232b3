package dev.featurestore.core;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.core.indicator.BuiltinIndicators;
import dev.featurestore.core.internal.Computation;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotLog;
import dev.featurestore.core.window.Windows;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A query over one feature set, built step by step:
 *
 * <pre>{@code
 * FeatureQuery q = FeatureStore.forSet("tech_v2").timeframe("5m").window(120);
 * FeatureFrame frame = q.compute(candles);        // every clean row
 * FeatureWindow last = q.latest(candles);         // the newest 120 x 20 window
 * FeatureWindows all = q.stride(10).windows(candles);   // (N, 120, 20) for training
 * }</pre>
 *
 * <p>Over the store's fact layer (candles ingested with {@code store.candles().upsert(...)}):
 *
 * <pre>{@code
 * store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").between(from, to).build();
 * FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER").asOf(t).fetch();
 * FeatureFrame f = store.forSet("tech_v2").timeframe("5m").secid("SBER").between(from, to).frame();
 * List<SnapshotRecord> rows = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
 *         .between(from, to).export("parquet", Path.of("data/processed/features"));
 * }</pre>
 *
 * <p>Immutable: each step returns a new query, so a query can be shared and specialised freely.
 * Arguments are checked at once; whether they fit together (the timeframe allowed by the set, a
 * series fine enough to resample, enough rows for the window) is checked at the terminal call.
 */
public final class FeatureQuery {
    private final Store store;
    private final FeatureSetSpec spec;
    private final Timeframe timeframe;
    private final int window;
    private final int stride;
    private final Instant asOf;
    private final Instant completeThrough;
    private final List<String> secids;
    private final Instant from;
    private final Instant to;

    FeatureQuery(Store store, FeatureSetSpec spec) {
        this(store, spec, null, 0, 1, null, null, null, null, null);
    }

    private FeatureQuery(Store store, FeatureSetSpec spec, Timeframe timeframe, int window, int stride, Instant asOf,
            Instant completeThrough, List<String> secids, Instant from, Instant to) {
        this.store = store;
        this.spec = spec;
        this.timeframe = timeframe;
        this.window = window;
        this.stride = stride;
        this.asOf = asOf;
        this.completeThrough = completeThrough;
        this.secids = secids;
        this.from = from;
        this.to = to;
    }

    /** The feature set queried. */
    public FeatureSetSpec spec() {
        return spec;
    }

    /** The feature names, in the set's order. */
    public List<String> featureNames() {
        return spec.features();
    }

    /**
     * The timeframe of the candles to compute on, e.g. {@code "5m"}; a finer series is resampled
     * to it.
     *
     * @throws IllegalArgumentException when the text is not a timeframe
     */
    public FeatureQuery timeframe(String timeframe) {
        return timeframe(Timeframe.parse(timeframe));
    }

    /** The timeframe of the candles to compute on. */
    public FeatureQuery timeframe(Timeframe timeframe) {
        return new FeatureQuery(store, spec, Objects.requireNonNull(timeframe, "timeframe"), window, stride, asOf,
                completeThrough, secids, from, to);
    }

    /** The window size W (default: the set's {@code default_window_size}). */
    public FeatureQuery window(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        return new FeatureQuery(store, spec, timeframe, size, stride, asOf, completeThrough, secids, from, to);
    }

    /** The step between consecutive windows of {@link #windows(CandleSeries)} (default 1). */
    public FeatureQuery stride(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + rows);
        }
        return new FeatureQuery(store, spec, timeframe, window, rows, asOf, completeThrough, secids, from, to);
    }

    /**
     * Only rows known at this time: those whose candle has closed, {@code ts + timeframe <= asOf}.
     * Needs a timeframe.
     */
    public FeatureQuery asOf(Instant time) {
        return new FeatureQuery(store, spec, timeframe, window, stride, Objects.requireNonNull(time, "asOf"),
                completeThrough, secids, from, to);
    }

    /**
     * States that the source candles are complete through this time, so that a resampled bucket
     * ending at or before it is final even when no later source candle exists yet.
     */
    public FeatureQuery completeThrough(Instant time) {
        return new FeatureQuery(store, spec, timeframe, window, stride, asOf,
                Objects.requireNonNull(time, "completeThrough"), secids, from, to);
    }

    /** The one instrument to {@link #fetch()}, {@link #frame()} or {@link #build()}. */
    public FeatureQuery secid(String secid) {
        return secids(List.of(checkSecid(secid)));
    }

    /** The instruments to {@link #build()} (one for {@link #fetch()} and {@link #frame()}). */
    public FeatureQuery secids(String... secids) {
        return secids(Arrays.asList(Objects.requireNonNull(secids, "secids")));
    }

    /** The instruments to {@link #build()} (one for {@link #fetch()} and {@link #frame()}). */
    public FeatureQuery secids(Collection<String> secids) {
        Objects.requireNonNull(secids, "secids");
        if (secids.isEmpty()) {
            throw new IllegalArgumentException("secids is empty; give at least one instrument");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String s : secids) {
            distinct.add(checkSecid(s));
        }
        return new FeatureQuery(store, spec, timeframe, window, stride, asOf, completeThrough,
                List.copyOf(distinct), from, to);
    }

    private static String checkSecid(String secid) {
        Objects.requireNonNull(secid, "secid");
        if (secid.isEmpty()) {
            throw new IllegalArgumentException("secid is empty");
        }
        return secid;
    }

    /**
     * The range of candle open times, both ends inclusive: the rows {@link #build()} writes and
     * {@link #frame()} reads. Default: all there is.
     *
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     */
    public FeatureQuery between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("between(" + from + ", " + to + "): from is after to");
        }
        return new FeatureQuery(store, spec, timeframe, window, stride, asOf, completeThrough, secids, from, to);
    }

    /** The instruments given by {@link #secid(String)} or {@link #secids(String...)}; empty when none. */
    public List<String> secidList() {
        return secids == null ? List.of() : secids;
    }

    /** The window size in effect: the one given, else the set's default. */
    public int windowSize() {
        return window > 0 ? window : spec.defaultWindowSize();
    }

    /**
     * The features of every clean row of the series (rows where no feature is NaN), resampling
     * first when the series is finer than the query's timeframe.
     *
     * @throws InvalidQueryException when the timeframe is not allowed for the set, or the series
     *     is coarser than it, or cannot be resampled to it
     */
    public FeatureFrame compute(CandleSeries series) {
        return computeFrame(series, true);
    }

    /** Like {@link #compute(CandleSeries)} but every row, with NaN where a feature is undefined. */
    public FeatureFrame computeAllRows(CandleSeries series) {
        return computeFrame(series, false);
    }

    /**
     * The newest window of W clean rows (as of {@link #asOf(Instant)} when given), oldest first.
     *
     * @throws dev.featurestore.api.InsufficientHistoryException when fewer clean rows exist
     */
    public FeatureWindow latest(CandleSeries series) {
        FeatureFrame frame = compute(series);
        return Windows.last(frame, frame.size(), windowSize());
    }

    /**
     * Every window of W clean rows, one each {@link #stride(int)} rows, the last ending at the
     * newest clean row (as of {@link #asOf(Instant)} when given): one (N, W, F) block.
     */
    public FeatureWindows windows(CandleSeries series) {
        return Windows.sliding(compute(series), windowSize(), stride);
    }

    /**
     * Builds the features of each secid from the stored candles and stores them: reads the
     * candles from the start of the stored history (so that recursive features come out
     * bit-identical to one full build), resampling from the finest stored timeframe that divides
     * the query's when that one is not stored, computes, and writes the clean rows with
     * {@code from <= ts <= to} ({@link #between(Instant, Instant)}, default all) and the build
     * record in one transaction per secid. Rebuilding a range writes the same values again.
     *
     * @return one record per secid, in the order given: range built, history start, rows written
     * @throws InvalidQueryException when the timeframe or secids are missing, the set does not
     *     allow the timeframe, or no usable candles are stored
     * @throws dev.featurestore.api.StorageException when the storage fails; secids built before
     *     the failing one stay built
     */
    public List<BuildRecord> build() {
        Timeframe tf = requireTimeframe("build()");
        List<String> ids = requireSecids("build()");
        if (asOf != null) {
            throw new InvalidQueryException("build() writes every row of its range; asOf applies to fetch() and "
                    + "compute(); remove asOf(...) from the query, or use between(from, to)");
        }
        List<BuildRecord> out = new ArrayList<>(ids.size());
        for (String secid : ids) {
            out.add(buildOne(secid, tf));
        }
        return List.copyOf(out);
    }

    private BuildRecord buildOne(String secid, Timeframe tf) {
        Instant startedAt = Instant.now();
        FeatureStorage storage = store.storage();
        Timeframe source = sourceTimeframe(storage, secid, tf);
        long historyStart = storage.firstCandleTs(secid, source).orElseThrow(() -> new InvalidQueryException(
                "no candles of secid '" + secid + "' are stored at " + source));
        long toMs = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        // Candles through the bucket at `to` plus the next one, which tells the resampler that the
        // bucket at `to` is final.
        long readTo = saturatedAdd(saturatedAdd(toMs, tf.millis()), source.millis());
        CandleSeries candles = storage.readCandles(secid, source, historyStart, readTo);
        FeatureQuery computing = new FeatureQuery(store, spec, tf, window, stride, null, completeThrough, null, null,
                null);
        CandleSeries prepared = computing.prepare(candles);
        if (prepared.size() == 0) {
            throw new InvalidQueryException("secid '" + secid + "': the stored " + source + " candles give no final "
                    + tf + " candle to build from");
        }
        long[] cts = Columns.ts(prepared);
        long fromTs = Math.max(from == null ? Long.MIN_VALUE : from.toEpochMilli(), cts[0]);
        long toTs = Math.min(toMs, cts[cts.length - 1]);
        if (fromTs > toTs) {
            throw new InvalidQueryException("secid '" + secid + "': no final " + tf + " candle lies in [" + from + ", "
                    + to + "]; stored candles give " + Instant.ofEpochMilli(cts[0]) + " .. "
                    + Instant.ofEpochMilli(cts[cts.length - 1]));
        }
        FeatureFrame all = computing.computeFrame(prepared, true, false);
        int a = lowerBound(all, fromTs);
        int b = lowerBound(all, saturatedAdd(toTs, 1));
        FeatureFrame rows = all.rows(a, b);
        BuildRecord record = new BuildRecord(spec.name(), tf, secid, fromTs, toTs, cts[0], rows.size(), windowSize(),
                startedAt, Instant.now(), BuildRecord.Status.COMPLETED);
        storage.writeBuild(record, rows);
        return record;
    }

    private static Timeframe sourceTimeframe(FeatureStorage storage, String secid, Timeframe tf) {
        List<Timeframe> stored = storage.candleTimeframes(secid);
        if (stored.contains(tf)) {
            return tf;
        }
        Timeframe best = null;
        for (Timeframe t : stored) {
            boolean divides = tf.isDaily() ? 86_400_000L % t.millis() == 0 && t.millis() < tf.millis()
                    : t.millis() < tf.millis() && tf.millis() % t.millis() == 0;
            if (divides && (best == null || t.millis() < best.millis())) {
                best = t;
            }
        }
        if (best == null) {
            throw new InvalidQueryException("no candles of secid '" + secid + "' are stored at " + tf
                    + " or at a finer timeframe that divides it; stored timeframes: "
                    + (stored.isEmpty() ? "none (ingest with store.candles().upsert(...))" : stored));
        }
        return best;
    }

    private static int lowerBound(FeatureFrame frame, long ts) {
        int lo = 0;
        int hi = frame.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (frame.ts(mid) < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /**
     * The stored window of W clean rows of the secid as of {@link #asOf(Instant)} (rows whose
     * candle has closed, {@code available_at = ts + timeframe <= asOf}; without asOf, the newest
     * stored), oldest first, features in the set's order. Read from the storage, not recomputed.
     *
     * @throws InvalidQueryException when the timeframe or the one secid is missing
     * @throws dev.featurestore.api.InsufficientHistoryException when fewer rows are stored, saying
     *     how many are
     */
    public FeatureWindow fetch() {
        Timeframe tf = requireTimeframe("fetch()");
        String secid = requireOneSecid("fetch()");
        long availableAt = asOf == null ? Long.MAX_VALUE : asOf.toEpochMilli();
        return store.storage().readWindow(spec.name(), spec.features(), secid, tf, availableAt, windowSize());
    }

    /**
     * The stored feature rows of the secid with {@code from <= ts <= to} ({@link #between(Instant,
     * Instant)}, default all; further limited to rows available by {@link #asOf(Instant)} when
     * given), features in the set's order. Read from the storage, not recomputed.
     *
     * @throws InvalidQueryException when the timeframe or the one secid is missing
     */
    public FeatureFrame frame() {
        Timeframe tf = requireTimeframe("frame()");
        String secid = requireOneSecid("frame()");
        long fromTs = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toTs = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        if (asOf != null) {
            toTs = Math.min(toTs, asOf.toEpochMilli() - tf.millis());
        }
        FeatureFrame stored = store.storage().readFeatures(spec.name(), spec.features(), secid, tf, fromTs, toTs);
        if (stored.isEmpty()) {
            return Columns.frame(secid, spec.name(), tf, spec.features(), kinds(), new long[0],
                    new double[spec.features().size()][0], 0, 0);
        }
        return stored;
    }

    /**
     * Exports the stored feature rows of every secid ({@link #secids(String...)}) with
     * {@code from <= ts <= to} ({@link #between(Instant, Instant)}, default all; limited to rows
     * available by {@link #asOf(Instant)} when given) into one snapshot file and records it in the
     * store's audit log, with the format's default compression, no overwrite and the as-of date of
     * the rows. See {@link #export(String, Path, ExportOptions)}.
     *
     * <pre>{@code
     * List<SnapshotRecord> rows = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
     *         .between(from, to).export("parquet", Path.of("data/processed/features"));
     * // data/processed/features/tech_v2/5m/YYYYMMDD.parquet, one audit row per secid
     * }</pre>
     */
    public List<SnapshotRecord> export(String format, Path dir) {
        return export(format, dir, ExportOptions.defaults());
    }

    /**
     * Exports the stored feature rows of every secid into one snapshot file
     * {@code {dir}/{feature_set}/{timeframe}/YYYYMMDD.{ext}} and records one audit row per secid in
     * {@code train_data_snapshots}. The rows are read from the storage (built with {@link #build()}),
     * not recomputed. Secids without stored rows in the range are left out; the file is written
     * atomically and its rows recorded only once it is complete.
     *
     * <p>A snapshot is immutable: different content at an existing path is refused unless
     * {@link ExportOptions#overwrite(boolean)}, and then the new rows name the replaced file's hash
     * ({@link SnapshotRecord#replacedSha256()}). Exporting identical content again writes nothing
     * and returns the rows recorded before.
     *
     * @param format a format name: {@code parquet} (featurestore-parquet) or {@code feather}
     *     (featurestore-arrow, which needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED})
     * @param dir the snapshot output directory
     * @return one record per exported secid, in secid order, all naming the same file and hash
     * @throws InvalidQueryException when the timeframe or secids are missing, no secid has stored
     *     rows in the range, or a secid has no completed build
     * @throws dev.featurestore.api.FeatureStoreException when the format is not on the class path
     *     or the storage keeps no snapshot log
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a different snapshot is
     *     at the path and overwrite is off
     * @throws dev.featurestore.api.snapshot.UnsafeSnapshotPathException when a name could escape
     *     {@code dir}
     * @throws dev.featurestore.api.StorageException when the file cannot be written, or was written
     *     but its audit rows could not be recorded (the message says which)
     */
    public List<SnapshotRecord> export(String format, Path dir, ExportOptions options) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        Timeframe tf = requireTimeframe("export()");
        List<String> ids = requireSecids("export()");
        SnapshotLog log = new SnapshotLog(store.storage());
        SnapshotExporter exporter = SnapshotExporter.builder().format(format).compression(options.compression())
                .overwrite(options.overwrite()).build();
        List<FeatureFrame> frames = new ArrayList<>(ids.size());
        for (String secid : ids) {
            FeatureFrame f = new FeatureQuery(store, spec, tf, window, stride, asOf, completeThrough, List.of(secid),
                    from, to).frame();
            if (!f.isEmpty()) {
                frames.add(f);
            }
        }
        if (frames.isEmpty()) {
            throw new InvalidQueryException("export(): no stored " + spec.name() + " " + tf + " rows of secids " + ids
                    + (from == null ? "" : " between " + from + " and " + to) + (asOf == null ? "" : " as of " + asOf)
                    + "; build() them first");
        }
        return log.export(exporter, dir, frames, options.date());
    }

    private List<FeatureKind> kinds() {
        List<FeatureKind> kinds = new ArrayList<>();
        for (Indicator i : store.registry().indicators(spec)) {
            kinds.add(i.kind());
        }
        return kinds;
    }

    private Timeframe requireTimeframe(String terminal) {
        if (timeframe == null) {
            throw new InvalidQueryException(terminal + " needs a timeframe; call timeframe(...) on the query (allowed for '"
                    + spec.name() + "': " + spec.timeframes() + ")");
        }
        if (!spec.allows(timeframe)) {
            throw new InvalidQueryException("feature set '" + spec.name() + "' does not allow timeframe " + timeframe
                    + "; allowed: " + spec.timeframes());
        }
        return timeframe;
    }

    private List<String> requireSecids(String terminal) {
        if (secids == null) {
            throw new InvalidQueryException(terminal + " needs at least one secid; call secid(...) or secids(...)");
        }
        return secids;
    }

    private String requireOneSecid(String terminal) {
        List<String> ids = requireSecids(terminal);
        if (ids.size() != 1) {
            throw new InvalidQueryException(terminal + " reads one secid, but the query names " + ids.size() + ": "
                    + ids + "; use secid(...)");
        }
        return ids.get(0);
    }

    private FeatureFrame computeFrame(CandleSeries series, boolean cleanOnly) {
        return computeFrame(series, cleanOnly, true);
    }

    private FeatureFrame computeFrame(CandleSeries series, boolean cleanOnly, boolean needsPrepare) {
        Objects.requireNonNull(series, "series");
        CandleSeries candles = needsPrepare ? prepare(series) : series;
        FeatureRegistry registry = store.registry();
        List<Indicator> indicators = registry.indicators(spec);
        double[][] columns = Computation.run(candles, indicators, registry::indicator);
        List<FeatureKind> kinds = new ArrayList<>(indicators.size());
        for (Indicator i : indicators) {
            kinds.add(i.kind());
        }
        long[] ts = Columns.ts(candles);
        int end = ts.length;
        if (asOf != null) {
            long cutoff = asOf.toEpochMilli() - timeframe.millis();
            while (end > 0 && ts[end - 1] > cutoff) {
                end--;
            }
        }
        Timeframe tf = candles.timeframe().orElse(null);
        if (!cleanOnly) {
            return Columns.frame(candles.secid(), spec.name(), tf, spec.features(), kinds, ts, columns, 0, end);
        }
        int first = 0;
        boolean mayHaveGaps = false;
        for (Indicator i : indicators) {
            first = Math.max(first, i.firstDefinedRow());
            mayHaveGaps |= !BuiltinIndicators.isBuiltin(i);
        }
        first = Math.min(first, end);
        if (!mayHaveGaps || isClean(columns, first, end)) {
            return Columns.frame(candles.secid(), spec.name(), tf, spec.features(), kinds, ts, columns, first,
                    end - first);
        }
        return compact(candles.secid(), tf, kinds, ts, columns, first, end);
    }

    private CandleSeries prepare(CandleSeries series) {
        if (timeframe == null) {
            if (asOf != null) {
                throw new InvalidQueryException("asOf needs a timeframe: a row is known only once its candle has closed, "
                        + "at ts + timeframe; call timeframe(...) on the query");
            }
            return series;
        }
        if (!spec.allows(timeframe)) {
            throw new InvalidQueryException("feature set '" + spec.name() + "' does not allow timeframe " + timeframe
                    + "; allowed: " + spec.timeframes());
        }
        Timeframe own = series.timeframe().orElseThrow(() -> new InvalidQueryException("series '" + series.secid()
                + "' has no timeframe; give it one (CandleSeries.builder(...).timeframe(...)) to compute at "
                + timeframe));
        if (own.equals(timeframe)) {
            return series;
        }
        if (own.millis() > timeframe.millis()) {
            throw new InvalidQueryException("series '" + series.secid() + "' is " + own + ", coarser than the timeframe "
                    + timeframe + " asked for; give a series of " + timeframe + " or finer");
        }
        return Resampler.resample(series, timeframe, completeThrough, store.registry().exchangeZone());
    }

    private static boolean isClean(double[][] columns, int from, int to) {
        for (double[] column : columns) {
            for (int t = from; t < to; t++) {
                if (Double.isNaN(column[t])) {
                    return false;
                }
            }
        }
        return true;
    }

    private FeatureFrame compact(String secid, Timeframe tf, List<FeatureKind> kinds, long[] ts, double[][] columns,
            int from, int to) {
        boolean[] keep = new boolean[to];
        int count = 0;
        for (int t = from; t < to; t++) {
            boolean ok = true;
            for (double[] column : columns) {
                if (Double.isNaN(column[t])) {
                    ok = false;
                    break;
                }
            }
            keep[t] = ok;
            if (ok) {
                count++;
            }
        }
        long[] cleanTs = new long[count];
        double[][] clean = new double[columns.length][count];
        int r = 0;
        for (int t = from; t < to; t++) {
            if (keep[t]) {
                cleanTs[r] = ts[t];
                for (int j = 0; j < columns.length; j++) {
                    clean[j][r] = columns[j][t];
                }
                r++;
            }
        }
        return Columns.frame(secid, spec.name(), tf, spec.features(), kinds, cleanTs, clean, 0, count);
    }

    @Override
    public String toString() {
        return "FeatureQuery[" + spec.name() + (timeframe == null ? "" : ", " + timeframe) + ", window " + windowSize()
                + (stride == 1 ? "" : ", stride " + stride) + (asOf == null ? "" : ", as of " + asOf)
                + (secids == null ? "" : ", secids " + secids)
                + (from == null ? "" : ", between " + from + " and " + to) + "]";
    }
}
