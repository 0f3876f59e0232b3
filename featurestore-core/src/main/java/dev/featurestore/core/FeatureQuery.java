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
import dev.featurestore.core.indicator.BuiltinIndicators;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.internal.Computation;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.stream.FeatureStream;
import dev.featurestore.core.stream.StreamGroup;
import dev.featurestore.core.window.Windows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A query over one feature set, computed in memory from a {@link CandleSeries} you hand it:
 *
 * <pre>{@code
 * FeatureQuery q = FeatureStore.forSet("tech_v2").timeframe("5m");
 * FeatureFrame frame = q.compute(candles);                        // every clean row
 * FeatureWindow last = q.window(120).latest(candles);             // the newest 120 x 20 window
 * FeatureWindows all = q.window(120).stride(10).windows(candles); // (N, 120, 20) for training
 * }</pre>
 *
 * <p>Naming instruments turns it into a query over the store's fact layer, a {@link StoredQuery}
 * (candles ingested with {@code store.candles().upsert(...)}):
 *
 * <pre>{@code
 * store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").between(from, to).build();
 * FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER").asOf(t).fetch();
 * }</pre>
 *
 * <p>Immutable: each step returns a new query, so a query can be shared and specialised freely.
 * Arguments are checked at once. At the terminal call the parts are checked together (the
 * timeframe allowed by the set, a series fine enough to resample, enough rows for the window), and
 * a part the terminal call would not use is refused with an {@link InvalidQueryException} naming
 * it, never ignored: {@link #compute(CandleSeries)} uses no window or stride, {@link
 * #latest(CandleSeries)} no stride.
 */
public final class FeatureQuery {
    private final Store store;
    private final FeatureSetSpec spec;
    private final Timeframe timeframe;
    private final int window;
    private final int stride;
    private final Instant asOf;
    private final Instant completeThrough;
    private final FittedNormalization normalization;

    FeatureQuery(Store store, FeatureSetSpec spec) {
        this(store, spec, null, 0, 0, null, null, null);
    }

    private FeatureQuery(Store store, FeatureSetSpec spec, Timeframe timeframe, int window, int stride, Instant asOf,
            Instant completeThrough, FittedNormalization normalization) {
        this.store = store;
        this.spec = spec;
        this.timeframe = timeframe;
        this.window = window;
        this.stride = stride;
        this.asOf = asOf;
        this.completeThrough = completeThrough;
        this.normalization = normalization;
    }

    /** {@return the feature set queried, as the registry defines it} */
    public FeatureSetSpec spec() {
        return spec;
    }

    /** {@return the feature names, in the set's order: the column order of every frame and window} */
    public List<String> featureNames() {
        return spec.features();
    }

    /**
     * The timeframe of the candles to compute on, e.g. {@code "5m"}; a finer series is resampled
     * to it.
     *
     * @param timeframe the timeframe as text: {@code Nm}, {@code Nh} or {@code 1d}
     * @return a new query with this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe (the message lists the
     *     valid forms)
     */
    public FeatureQuery timeframe(String timeframe) {
        return timeframe(Timeframe.parse(timeframe));
    }

    /**
     * The timeframe of the candles to compute on; a finer series is resampled to it. Whether the
     * set allows it is checked at the terminal call.
     *
     * @param timeframe the timeframe
     * @return a new query with this timeframe, the other parts unchanged
     */
    public FeatureQuery timeframe(Timeframe timeframe) {
        return new FeatureQuery(store, spec, Objects.requireNonNull(timeframe, "timeframe"), window, stride, asOf,
                completeThrough, normalization);
    }

    /**
     * The window size W (default: the set's {@code default_window_size}), for {@link
     * #latest(CandleSeries)}, {@link #windows(CandleSeries)} and, on a stored query, {@code fetch()}
     * and {@code build()} (which records it).
     *
     * @param size the number of rows per window, at least 1
     * @return a new query with this window size, the other parts unchanged
     * @throws IllegalArgumentException when {@code size < 1}
     */
    public FeatureQuery window(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        return new FeatureQuery(store, spec, timeframe, size, stride, asOf, completeThrough, normalization);
    }

    /**
     * The step between consecutive windows of {@link #windows(CandleSeries)} (default 1).
     *
     * @param rows the number of rows from the start of one window to the start of the next, at least 1
     * @return a new query with this stride, the other parts unchanged
     * @throws IllegalArgumentException when {@code rows < 1}
     */
    public FeatureQuery stride(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + rows);
        }
        return new FeatureQuery(store, spec, timeframe, window, rows, asOf, completeThrough, normalization);
    }

    /**
     * Only rows known at this time: those whose candle has closed, {@code ts + timeframe <= asOf}.
     * Needs a timeframe.
     *
     * @param time the moment of knowledge; rows of candles still open at it are left out
     * @return a new query as of this time, the other parts unchanged
     */
    public FeatureQuery asOf(Instant time) {
        return new FeatureQuery(store, spec, timeframe, window, stride, Objects.requireNonNull(time, "asOf"),
                completeThrough, normalization);
    }

    /**
     * States that the source candles are complete through this time, so that a resampled bucket
     * ending at or before it is final even when no later source candle exists yet.
     *
     * @param time the end of the complete source data; a bucket ending at or before it is emitted
     * @return a new query with this completeness bound, the other parts unchanged
     */
    public FeatureQuery completeThrough(Instant time) {
        return new FeatureQuery(store, spec, timeframe, window, stride, asOf,
                Objects.requireNonNull(time, "completeThrough"), normalization);
    }

    /**
     * Values normalized with statistics fitted on a training split (a {@link
     * dev.featurestore.core.dataset.Dataset}'s {@code normalization()}, or one read back with
     * {@link FittedNormalization#fromJson(String)}): {@link #compute(CandleSeries)}, {@link
     * #computeAllRows(CandleSeries)}, {@link #latest(CandleSeries)}, {@link #windows(CandleSeries)} and,
     * on a stored query, {@code fetch()}, {@code fetchLatest()} and {@code frame()} then give the
     * values a model saw in training, bit for bit. The statistics must be of this feature set and
     * timeframe (checked at the terminal call).
     *
     * @param fitted the fitted statistics
     * @return a new query giving normalized values, the other parts unchanged
     */
    public FeatureQuery normalized(FittedNormalization fitted) {
        return new FeatureQuery(store, spec, timeframe, window, stride, asOf, completeThrough,
                Objects.requireNonNull(fitted, "fitted"));
    }

    /**
     * A training dataset over candle series you hand it (see {@link DatasetQuery}), with these
     * labels of the registry's {@code labels:} section. The parts given so far carry over.
     *
     * @param labels the label names, at least one, e.g. {@code fwd_ret_12}
     * @return a dataset query with no splits chosen yet
     * @throws dev.featurestore.core.label.UnknownLabelException when the registry lacks a label
     * @throws IllegalArgumentException when no label is given or one repeats
     */
    public DatasetQuery labels(String... labels) {
        return new DatasetQuery(this, null, DatasetQuery.resolve(store, labels));
    }

    /**
     * A query over the stored candles and features of one instrument, for {@link
     * StoredQuery#build()}, {@link StoredQuery#fetch()}, {@link StoredQuery#frame()} and {@link
     * StoredQuery#export(String, java.nio.file.Path)}. The parts given so far carry over.
     *
     * @param secid the instrument's code, e.g. {@code SBER}; not blank
     * @return a stored query over this instrument, with no range chosen yet
     * @throws IllegalArgumentException when {@code secid} is blank
     */
    public StoredQuery secid(String secid) {
        return new StoredQuery(this, StoredQuery.checkSecids(List.of(Objects.requireNonNull(secid, "secid"))), null,
                null);
    }

    /**
     * A query over the stored candles and features of these instruments (see {@link #secid(String)}).
     *
     * @param secids the instruments' codes, at least one, none blank; repeats are dropped
     * @return a stored query over these instruments in the order given, with no range chosen yet
     * @throws IllegalArgumentException when no secid is given or one is blank
     */
    public StoredQuery secids(String... secids) {
        return secids(Arrays.asList(Objects.requireNonNull(secids, "secids")));
    }

    /**
     * A query over the stored candles and features of these instruments (see {@link #secid(String)}).
     *
     * @param secids the instruments' codes, at least one, none blank; repeats are dropped
     * @return a stored query over these instruments in the order given, with no range chosen yet
     * @throws IllegalArgumentException when the collection is empty or a secid is blank
     */
    public StoredQuery secids(Collection<String> secids) {
        return new StoredQuery(this, StoredQuery.checkSecids(secids), null, null);
    }

    /**
     * A stream of this set's features for one instrument, before its first candle: it takes
     * closed 1m candles (the timeframe's own when it is 1m) and emits a row as each candle of the
     * query's timeframe closes, with the values {@link #computeAllRows(CandleSeries)} gives the
     * same history, bit for bit. Without a timeframe every candle taken is a row, at any spacing.
     * Its window holds {@link #windowSize()} rows.
     *
     * <pre>{@code
     * FeatureStream s = FeatureStore.forSet("tech_v2").timeframe("5m").stream("SBER").from(history);
     * }</pre>
     *
     * @param secid the instrument, e.g. {@code SBER}; not blank
     * @return an empty stream; see {@link FeatureStream#from(CandleSeries)} to start it from a history
     * @throws InvalidQueryException when the set does not allow the timeframe, or the query has
     *     an asOf, completeThrough or stride (a stream takes candles as they come; see
     *     {@link FeatureStream#closeThrough(Instant)}), or a normalization (normalize the rows and
     *     windows it gives with {@link FittedNormalization#apply(dev.featurestore.core.stream.FeatureRow)} and
     *     {@link FittedNormalization#apply(FeatureWindow)})
     * @throws IllegalArgumentException when the secid is blank
     */
    public FeatureStream stream(String secid) {
        return stream(secid, Timeframe.ONE_MINUTE);
    }

    /**
     * Like {@link #stream(String)}, taking candles of another source timeframe: the query's own
     * (each candle is a row at once) or a divisor of it (resampled as they come).
     *
     * @param secid the instrument, e.g. {@code SBER}; not blank
     * @param source the timeframe of the candles to take
     * @return an empty stream
     * @throws InvalidQueryException as {@link #stream(String)} does, or when the query's timeframe
     *     is not a whole multiple of {@code source}
     * @throws IllegalArgumentException when the secid is blank
     */
    public FeatureStream stream(String secid, Timeframe source) {
        refuseForStream("stream(secid)");
        return FeatureStream.open(store.registry(), spec.name(), timeframe, Objects.requireNonNull(source, "source"),
                secid, windowSize());
    }

    /**
     * A stream started from a history: {@code stream(history.secid(), sourceTimeframe).from(history)},
     * the source timeframe being the history's.
     *
     * @param history candles of one instrument, at the query's timeframe or a divisor of it
     * @return the stream after every candle of the history
     * @throws InvalidQueryException as {@link #stream(String, Timeframe)} does, or when the history
     *     has no timeframe while the query has one
     */
    public FeatureStream stream(CandleSeries history) {
        Objects.requireNonNull(history, "history");
        Timeframe source = history.timeframe().orElse(null);
        if (source == null && timeframe != null) {
            throw new InvalidQueryException("history of '" + history.secid() + "' has no timeframe; give it one "
                    + "(CandleSeries.builder(...).timeframe(...)) to stream it into " + timeframe + " rows");
        }
        return stream(history.secid(), source == null ? Timeframe.ONE_MINUTE : source).from(history);
    }

    /**
     * Streams of this set for many instruments, keyed by secid, taking 1m candles (see {@link
     * #stream(String)}).
     *
     * @return an empty group
     * @throws InvalidQueryException as {@link #stream(String)} does
     */
    public StreamGroup streamGroup() {
        return streamGroup(Timeframe.ONE_MINUTE);
    }

    /**
     * Streams of this set for many instruments, keyed by secid, taking candles of {@code source}.
     *
     * @param source the timeframe of the candles to take
     * @return an empty group
     * @throws InvalidQueryException as {@link #stream(String, Timeframe)} does
     */
    public StreamGroup streamGroup(Timeframe source) {
        refuseForStream("streamGroup()");
        return new StreamGroup(store.registry(), spec.name(), timeframe, Objects.requireNonNull(source, "source"),
                windowSize());
    }

    private void refuseForStream(String terminal) {
        refuseStride(terminal);
        if (asOf != null) {
            throw new InvalidQueryException(terminal + " takes candles as they come and uses no asOf, but the query has "
                    + "asOf(" + asOf + "); remove it");
        }
        if (completeThrough != null) {
            throw new InvalidQueryException(terminal + " closes buckets as candles come, but the query has "
                    + "completeThrough(" + completeThrough + "); remove it and call closeThrough(time) on the stream");
        }
        if (normalization != null) {
            throw new InvalidQueryException(terminal + " gives raw values (a stored stream writes them to the fact layer), "
                    + "but the query is normalized(" + normalization.id() + "); remove it and normalize what the stream "
                    + "gives: fitted.apply(row), fitted.apply(stream.window())");
        }
    }

    /** {@return the window size in effect: the one given, else the set's default} */
    public int windowSize() {
        return window > 0 ? window : spec.defaultWindowSize();
    }

    /**
     * The features of every clean row of the series (rows where no feature is NaN), resampling
     * first when the series is finer than the query's timeframe.
     *
     * @param series the candles of one instrument, oldest first, at the query's timeframe or finer
     * @return the clean rows, oldest first, one column per feature in the set's order
     * @throws InvalidQueryException when the timeframe is not allowed for the set, or the series
     *     is coarser than it, or cannot be resampled to it, or the query has a window or stride
     *     (which only windows use)
     */
    public FeatureFrame compute(CandleSeries series) {
        refuseWindowParts("compute(series)");
        return normalize(computeFrame(series, true, true));
    }

    /**
     * Like {@link #compute(CandleSeries)} but every row, with NaN where a feature is undefined.
     *
     * @param series the candles of one instrument, oldest first, at the query's timeframe or finer
     * @return one row per candle (after resampling, and as of {@link #asOf(Instant)} when given),
     *     oldest first, warm-up rows included
     * @throws InvalidQueryException as {@link #compute(CandleSeries)} does
     */
    public FeatureFrame computeAllRows(CandleSeries series) {
        refuseWindowParts("computeAllRows(series)");
        return normalize(computeFrame(series, false, true));
    }

    /**
     * The newest window of W clean rows (as of {@link #asOf(Instant)} when given), oldest first.
     *
     * @param series the candles of one instrument, oldest first, at the query's timeframe or finer
     * @return a W x F window, W the {@link #windowSize()} and F the number of features
     * @throws dev.featurestore.api.InsufficientHistoryException when fewer clean rows exist
     * @throws InvalidQueryException when the query has a stride (which only {@link
     *     #windows(CandleSeries)} uses)
     */
    public FeatureWindow latest(CandleSeries series) {
        refuseStride("latest(series)");
        FeatureFrame frame = normalize(computeFrame(series, true, true));
        return Windows.last(frame, frame.size(), windowSize());
    }

    /**
     * Every window of W clean rows, one each {@link #stride(int)} rows, the last ending at the
     * newest clean row (as of {@link #asOf(Instant)} when given): one (N, W, F) block.
     *
     * @param series the candles of one instrument, oldest first, at the query's timeframe or finer
     * @return the windows, oldest first, as a view filled only when a block is asked for
     * @throws dev.featurestore.api.InsufficientHistoryException when there are fewer clean rows than one window
     * @throws InvalidQueryException as {@link #compute(CandleSeries)} does (but for window and stride,
     *     which this call uses), or when the block would exceed the largest Java array
     */
    public FeatureWindows windows(CandleSeries series) {
        return Windows.sliding(normalize(computeFrame(series, true, true)), windowSize(), stride == 0 ? 1 : stride);
    }

    private void refuseWindowParts(String terminal) {
        if (window > 0) {
            throw new InvalidQueryException(terminal + " returns every row and uses no window, but the query has "
                    + "window(" + window + "); remove it, or call latest(series) or windows(series)");
        }
        refuseStride(terminal);
    }

    void refuseStride(String terminal) {
        if (stride > 0) {
            throw new InvalidQueryException(terminal + " uses no stride, but the query has stride(" + stride
                    + "); stride applies to windows(series) only: remove it");
        }
    }

    Store store() {
        return store;
    }

    /** The stride given, 1 when none. */
    int strideOrOne() {
        return stride == 0 ? 1 : stride;
    }

    FittedNormalization normalizationOrNull() {
        return normalization;
    }

    /** The frame normalized when the query has a normalization, after checking it fits the query. */
    FeatureFrame normalize(FeatureFrame frame) {
        return normalization == null ? frame : checkedNormalization().apply(frame);
    }

    /** The window normalized when the query has a normalization. */
    FeatureWindow normalize(FeatureWindow window) {
        return normalization == null ? window : checkedNormalization().apply(window);
    }

    private FittedNormalization checkedNormalization() {
        if (!normalization.featureSet().equals(spec.name()) || !normalization.features().equals(spec.features())) {
            throw new InvalidQueryException("normalization " + normalization.id() + " was fitted on feature set '"
                    + normalization.featureSet() + "' " + normalization.features() + ", not on '" + spec.name() + "'");
        }
        if (timeframe != null && !normalization.timeframe().equals(timeframe)) {
            throw new InvalidQueryException("normalization " + normalization.id() + " was fitted on "
                    + normalization.timeframe() + " rows, the query is at " + timeframe);
        }
        return normalization;
    }

    void refuseNormalization(String terminal) {
        if (normalization != null) {
            throw new InvalidQueryException(terminal + " works on raw values, but the query has normalized("
                    + normalization.id() + "); remove it (a dataset fits its own normalization, see normalize(...))");
        }
    }

    Timeframe timeframeOrNull() {
        return timeframe;
    }

    /** The window given, 0 when none. */
    int windowGiven() {
        return window;
    }

    Instant asOfOrNull() {
        return asOf;
    }

    Instant completeThroughOrNull() {
        return completeThrough;
    }

    /** This query without asOf (build computes every row of its range). */
    FeatureQuery withoutAsOf() {
        return new FeatureQuery(store, spec, timeframe, window, stride, null, completeThrough, normalization);
    }

    List<FeatureKind> kinds() {
        List<FeatureKind> kinds = new ArrayList<>();
        for (Indicator i : store.registry().indicators(spec)) {
            kinds.add(i.kind());
        }
        return kinds;
    }

    Timeframe requireTimeframe(String terminal) {
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

    FeatureFrame computeFrame(CandleSeries series, boolean cleanOnly, boolean needsPrepare) {
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
            long cutoff = store.registry().calendar().lastOpenAvailableBy(timeframe, asOf.toEpochMilli());
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

    CandleSeries prepare(CandleSeries series) {
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
            return store.registry().calendar().onTradingDays(series);
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
        return "FeatureQuery[" + spec.name() + describe() + "]";
    }

    String describe() {
        return (timeframe == null ? "" : ", " + timeframe) + ", window " + windowSize()
                + (stride == 0 ? "" : ", stride " + stride) + (asOf == null ? "" : ", as of " + asOf)
                + (completeThrough == null ? "" : ", complete through " + completeThrough)
                + (normalization == null ? "" : ", normalized " + normalization.id());
    }
}
