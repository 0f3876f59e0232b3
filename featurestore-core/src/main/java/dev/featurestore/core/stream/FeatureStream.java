package dev.featurestore.core.stream;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.indicator.BuiltinIndicators;
import dev.featurestore.core.indicator.BuiltinState;
import dev.featurestore.core.registry.FeatureRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The features of one feature set for one instrument, updated one closed candle at a time, with
 * the values the batch computation gives the same history, bit for bit.
 *
 * <pre>{@code
 * FeatureStream s = FeatureStore.forSet("tech_v2").timeframe("5m").stream("SBER").from(history);
 * Optional<FeatureRow> row = s.accept(candle);   // a 1m candle; a row when a 5m bucket closes
 * FeatureRow now = s.peek(formingCandle);        // the row if that candle closed now; no change
 * FeatureWindow w = s.window();                  // the newest W clean rows
 * }</pre>
 *
 * <p>Candles of the source timeframe (1m unless given otherwise, or the stream's timeframe
 * itself) are bucketed as {@link dev.featurestore.core.resample.Resampler} buckets them: a bucket
 * closes when a later source candle arrives, or when the caller states the source complete
 * through its end ({@link #closeThrough(Instant)}, the batch {@code completeThrough}); a
 * still-forming bucket gives no row. Without resampling every candle is a row at once. Every row
 * is emitted, warm-up rows (with NaN) included, as {@code computeAllRows} returns them; the
 * window holds clean rows only.
 *
 * <p>The built-in features keep explicit state ({@link BuiltinState}): O(1) amortised work per
 * candle and no allocation on {@link #offer}. Features of other providers are recomputed over
 * their declared {@link Indicator#streamTail()}.
 *
 * <p>A refused candle (invalid, out of order, a repeat, before a time the source was stated
 * complete through) throws {@link InvalidCandleException} naming the secid, the source row, the
 * time and the field, and leaves the stream as it was. Not thread-safe: one thread per stream
 * (a {@link StreamGroup} holds many).
 */
public final class FeatureStream {
    private static final int MAGIC = 0x46535354; // "FSST"
    private static final int VERSION = 2;

    private final FeatureRegistry registry;
    private final FeatureSetSpec spec;
    private final String fingerprint;
    private final Timeframe timeframe;
    private final Timeframe source;
    private final boolean resampling;
    private final boolean daily;
    private final ExchangeCalendar calendar;
    private final String secid;
    private final int windowSize;
    private final List<String> names;
    private final List<FeatureKind> kinds;
    private final int[] builtinIndex;
    private final int[] customIndex;
    private final BuiltinState state = new BuiltinState();
    /** The state before a peek, made on the first one. */
    private BuiltinState saved;
    private final TailCandles tail;
    private final double[] customValues;
    private final double[] savedCustom;
    private final double[] row;
    private final long[] windowTs;
    private final double[] windowValues;
    private Consumer<FeatureRow> listener;

    private long sourceRows;
    private long lastTs;
    private double lastOpen;
    private double lastHigh;
    private double lastLow;
    private double lastClose;
    private double lastVolume;
    private long lastKey = Long.MIN_VALUE;
    private boolean any;
    private long closedThrough = Long.MIN_VALUE;
    private boolean forming;
    private long bucketTs;
    private long bucketEnd;
    private double bucketOpen;
    private double bucketHigh;
    private double bucketLow;
    private double bucketClose;
    private double bucketVolume;
    private long rows;
    private long rowTs;
    private long cleanRows;
    private boolean peeking;

    private FeatureStream(FeatureRegistry registry, FeatureSetSpec spec, Timeframe timeframe, Timeframe source,
            String secid, int windowSize) {
        this.registry = registry;
        this.spec = spec;
        this.fingerprint = registry.fingerprint(spec);
        this.timeframe = timeframe;
        this.source = source;
        this.resampling = timeframe != null && !timeframe.equals(source);
        this.daily = timeframe != null && timeframe.isDaily();
        this.calendar = registry.calendar();
        this.secid = secid;
        this.windowSize = windowSize;
        this.names = spec.features();
        List<Indicator> indicators = registry.indicators(spec);
        List<Indicator> custom = new ArrayList<>();
        List<FeatureKind> featureKinds = new ArrayList<>();
        this.builtinIndex = new int[indicators.size()];
        this.customIndex = new int[indicators.size()];
        for (int j = 0; j < indicators.size(); j++) {
            Indicator i = indicators.get(j);
            featureKinds.add(i.kind());
            boolean builtin = BuiltinIndicators.isBuiltin(i);
            builtinIndex[j] = builtin ? BuiltinState.index(i.name()) : -1;
            customIndex[j] = builtin ? -1 : custom.size();
            if (!builtin) {
                custom.add(i);
            }
        }
        this.kinds = List.copyOf(featureKinds);
        this.tail = new TailCandles(secid, timeframe, List.copyOf(custom), registry);
        this.customValues = new double[custom.size()];
        this.savedCustom = new double[custom.size()];
        this.row = new double[indicators.size()];
        this.windowTs = new long[windowSize];
        this.windowValues = new double[windowSize * indicators.size()];
    }

    /**
     * A stream before its first candle. {@code FeatureQuery.stream(secid)} is the usual way in;
     * this is the same without a store.
     *
     * @param registry the registry defining the feature set; not null
     * @param featureSet the feature set, e.g. {@code tech_v2}
     * @param timeframe the timeframe of the rows, allowed by the set; null for a stream whose
     *     candles are rows as they come, of any spacing
     * @param source the timeframe of the candles taken: the rows' own, or a finer one they are
     *     resampled from (for {@code 1d}, a divisor of a day); ignored when {@code timeframe} is null
     * @param secid the instrument, e.g. {@code SBER}; not blank
     * @param windowSize W, the clean rows {@link #window()} returns, at least 1
     * @return an empty stream
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry has no such set
     * @throws InvalidQueryException when the set does not allow the timeframe, or the source
     *     timeframe is not a divisor of it
     * @throws IllegalArgumentException when the secid is blank or the window size below 1
     */
    public static FeatureStream open(FeatureRegistry registry, String featureSet, Timeframe timeframe,
            Timeframe source, String secid, int windowSize) {
        Objects.requireNonNull(registry, "registry");
        FeatureSetSpec spec = registry.featureSet(Objects.requireNonNull(featureSet, "featureSet"));
        if (Objects.requireNonNull(secid, "secid").isBlank()) {
            throw new IllegalArgumentException("secid must not be blank");
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + windowSize);
        }
        Timeframe from = null;
        if (timeframe != null) {
            if (!spec.allows(timeframe)) {
                throw new InvalidQueryException("feature set '" + spec.name() + "' does not allow timeframe " + timeframe
                        + "; allowed: " + spec.timeframes());
            }
            from = Objects.requireNonNull(source, "source");
            if (from.millis() > timeframe.millis() || (!timeframe.isDaily() && timeframe.millis() % from.millis() != 0)
                    || (timeframe.isDaily() && 86_400_000L % from.millis() != 0)) {
                throw new InvalidQueryException("cannot stream " + from + " candles of '" + secid + "' into "
                        + timeframe + " rows: the timeframe must be a whole multiple of the source timeframe");
            }
        }
        return new FeatureStream(registry, spec, timeframe, from, secid, windowSize);
    }

    private FeatureStream fresh() {
        FeatureStream s = new FeatureStream(registry, spec, timeframe, source, secid, windowSize);
        s.listener = listener;
        return s;
    }

    /**
     * A new stream of the same set, timeframe and instrument that has taken every candle of a
     * history, oldest first; this stream is left as it is. A trailing bucket the history leaves
     * forming stays forming, to be continued by the next candles.
     *
     * @param history candles of this stream's instrument at its source timeframe
     * @return the stream after the history
     * @throws InvalidQueryException when the history's secid or timeframe is not this stream's
     * @throws InvalidCandleException when a history candle is refused (see {@link #offer})
     */
    public FeatureStream from(CandleSeries history) {
        Objects.requireNonNull(history, "history");
        if (!history.secid().equals(secid)) {
            throw new InvalidQueryException("history of '" + history.secid() + "' given to the stream of '" + secid
                    + "'");
        }
        if (timeframe != null && !history.timeframe().equals(Optional.of(source))) {
            throw new InvalidQueryException("history of '" + secid + "' is " + history.timeframe().map(Object::toString)
                    .orElse("of no timeframe") + ", but the stream takes " + source + " candles; give a " + source
                    + " history");
        }
        FeatureStream s = fresh();
        s.listener = null;
        for (int i = 0; i < history.size(); i++) {
            s.offer(history.ts(i), history.open(i), history.high(i), history.low(i), history.close(i),
                    history.volume(i));
        }
        s.listener = listener;
        return s;
    }

    /**
     * Calls {@code listener} with every row this stream emits from now on (not with peeked rows),
     * after the stream's state has taken it and the candle that closed it ({@link #state()} called
     * from the listener is the state after that candle). A listener that throws makes {@link
     * #accept} or {@link #offer} throw too, with the row and the candle already taken.
     *
     * @param listener told of each emitted row, or null for none
     */
    public void onRow(Consumer<FeatureRow> listener) {
        this.listener = listener;
    }

    /** {@return the instrument} */
    public String secid() {
        return secid;
    }

    /** {@return the feature set's name} */
    public String featureSet() {
        return spec.name();
    }

    /** {@return the timeframe of the rows, empty for candles taken as rows at any spacing} */
    public Optional<Timeframe> timeframe() {
        return Optional.ofNullable(timeframe);
    }

    /** {@return the timeframe of the candles taken, empty when the rows have none} */
    public Optional<Timeframe> sourceTimeframe() {
        return Optional.ofNullable(source);
    }

    /** {@return the feature names, in the set's order: the order of every row's values} */
    public List<String> featureNames() {
        return names;
    }

    /** {@return the rows emitted so far, warm-up rows included} */
    public long rows() {
        return rows;
    }

    /** {@return the source candles taken so far} */
    public long candles() {
        return sourceRows;
    }

    /** {@return the last source candle taken (kept in the state too), empty before the first} */
    public Optional<Candle> lastCandle() {
        return any ? Optional.of(new Candle(lastTs, lastOpen, lastHigh, lastLow, lastClose, lastVolume))
                : Optional.empty();
    }

    /**
     * Takes a closed candle of the source timeframe.
     *
     * @param candle the candle, after every candle taken before
     * @return the row of the bucket this candle closed, empty when no bucket closed
     * @throws InvalidCandleException when the candle is refused (see {@link #offer}); the stream
     *     is unchanged
     */
    public Optional<FeatureRow> accept(Candle candle) {
        Objects.requireNonNull(candle, "candle");
        return offer(candle.ts(), candle.open(), candle.high(), candle.low(), candle.close(), candle.volume())
                ? Optional.of(lastRow()) : Optional.empty();
    }

    /**
     * {@link #accept(Candle)} without allocating: read the row, when there is one, with
     * {@link #lastValue(int)}, {@link #lastTs()} or {@link #copyLastRow(double[])}.
     *
     * @param ts the candle's open time, epoch milliseconds UTC, after the previous candle's
     * @param open the open price
     * @param high the high price
     * @param low the low price
     * @param close the close price
     * @param volume the volume
     * @return true when a row was emitted (a bucket closed, or the candle is a row itself)
     * @throws InvalidCandleException when a price is not finite and above zero, the low is above
     *     {@code min(open, close)} or the high below {@code max(open, close)}, the volume is not finite
     *     and at least zero, the time is not after the previous candle's (or falls on the same
     *     trading day, for {@code 1d} rows), or it is before a time the source was stated complete
     *     through; the stream is unchanged
     */
    public boolean offer(long ts, double open, double high, double low, double close, double volume) {
        long key = check(ts, open, high, low, close, volume);
        sourceRows++;
        any = true;
        lastTs = ts;
        lastOpen = open;
        lastHigh = high;
        lastLow = low;
        lastClose = close;
        lastVolume = volume;
        if (!resampling) {
            lastKey = key;
            emit(key, open, high, low, close, volume);
            tellListener();
            return true;
        }
        lastKey = ts;
        if (forming && ts < bucketEnd) {
            bucketHigh = Math.max(bucketHigh, high);
            bucketLow = Math.min(bucketLow, low);
            bucketClose = close;
            bucketVolume += volume;
            return false;
        }
        boolean emitted = forming;
        forming = false;
        if (emitted) {
            emit(bucketTs, bucketOpen, bucketHigh, bucketLow, bucketClose, bucketVolume);
        }
        startBucket(key, open, high, low, close, volume);
        if (emitted) {
            tellListener(); // after the new bucket is taken, so that the listener sees the whole state
        }
        return emitted;
    }

    private void startBucket(long bucket, double open, double high, double low, double close, double volume) {
        forming = true;
        bucketTs = bucket;
        bucketEnd = calendar.availableAt(timeframe, bucket);
        bucketOpen = open;
        bucketHigh = high;
        bucketLow = low;
        bucketClose = close;
        bucketVolume = volume;
    }

    /**
     * The values the row would have if this forming candle closed now (its bucket with it, and a
     * bucket before it closed by it), as the batch computation gives the history with this candle
     * appended and complete through its bucket's end. The stream is left exactly as it was.
     *
     * @param forming the candle still forming, after every candle taken
     * @return the row it would give
     * @throws InvalidCandleException when the candle would be refused by {@link #accept}
     */
    public FeatureRow peek(Candle forming) {
        Objects.requireNonNull(forming, "forming");
        long ts = forming.ts();
        long key = check(ts, forming.open(), forming.high(), forming.low(), forming.close(), forming.volume());
        if (saved == null) {
            saved = new BuiltinState();
        }
        saved.copyFrom(state);
        long savedRows = rows;
        long savedRowTs = rowTs;
        long savedTail = tail.count();
        System.arraycopy(customValues, 0, savedCustom, 0, customValues.length);
        peeking = true;
        try {
            if (!resampling) {
                emit(key, forming.open(), forming.high(), forming.low(), forming.close(), forming.volume());
            } else if (this.forming && ts < bucketEnd) {
                emit(bucketTs, bucketOpen, Math.max(bucketHigh, forming.high()), Math.min(bucketLow, forming.low()),
                        forming.close(), bucketVolume + forming.volume());
            } else {
                if (this.forming) {
                    emit(bucketTs, bucketOpen, bucketHigh, bucketLow, bucketClose, bucketVolume);
                }
                emit(key, forming.open(), forming.high(), forming.low(), forming.close(), forming.volume());
            }
            return lastRow();
        } finally {
            peeking = false;
            state.copyFrom(saved);
            rows = savedRows;
            rowTs = savedRowTs;
            tail.truncate(savedTail);
            System.arraycopy(savedCustom, 0, customValues, 0, customValues.length);
            computeRow();
        }
    }

    /**
     * States that the source is complete through {@code time}: the forming bucket, if it ends at
     * or before it, closes (the rule of the batch {@code completeThrough}); later candles must
     * open at or after {@code time}.
     *
     * @param time the end of the complete source data
     * @return the row of the bucket closed, empty when none closed
     */
    public Optional<FeatureRow> closeThrough(Instant time) {
        long t = Objects.requireNonNull(time, "time").toEpochMilli();
        closedThrough = Math.max(closedThrough, t);
        if (resampling && forming && bucketEnd <= t) {
            forming = false;
            emit(bucketTs, bucketOpen, bucketHigh, bucketLow, bucketClose, bucketVolume);
            tellListener();
            return Optional.of(lastRow());
        }
        return Optional.empty();
    }

    /** The checks of a candle; returns its row key (bucket, trading day or ts). Changes nothing. */
    private long check(long ts, double open, double high, double low, double close, double volume) {
        int at = (int) Math.min(Integer.MAX_VALUE, sourceRows);
        checkPrice(at, ts, "open", open);
        checkPrice(at, ts, "high", high);
        checkPrice(at, ts, "low", low);
        checkPrice(at, ts, "close", close);
        if (low > Math.min(open, close)) {
            throw new InvalidCandleException(secid, at, ts, "low", low, "low must be <= min(open, close) = "
                    + Math.min(open, close));
        }
        if (high < Math.max(open, close)) {
            throw new InvalidCandleException(secid, at, ts, "high", high, "high must be >= max(open, close) = "
                    + Math.max(open, close));
        }
        if (!(volume >= 0) || volume == Double.POSITIVE_INFINITY) {
            throw new InvalidCandleException(secid, at, ts, "volume", volume, "volume must be finite and >= 0");
        }
        if (ts < closedThrough) {
            throw new InvalidCandleException(secid, at, ts, "ts", ts, "opens before "
                    + Instant.ofEpochMilli(closedThrough) + ", through which the source was stated complete");
        }
        long key;
        if (timeframe == null) {
            key = ts;
        } else if (daily) {
            key = calendar.tradingDayStart(secid, at, ts);
        } else {
            key = resampling ? Math.floorDiv(ts, timeframe.millis()) * timeframe.millis() : ts;
        }
        long order = resampling ? ts : key;
        if (any && order <= lastKey) {
            String reason;
            if (order == lastKey) {
                reason = !resampling && daily ? "falls on the same trading day " + calendar.tradingDate(key)
                        + " as the candle before" : "duplicate timestamp (the candle before has the same)";
            } else {
                reason = "timestamps must be strictly increasing; the candle before is later ("
                        + Instant.ofEpochMilli(lastKey) + ")";
            }
            throw new InvalidCandleException(secid, at, ts, "ts", ts, reason);
        }
        return key;
    }

    private void checkPrice(int at, long ts, String field, double p) {
        if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
            throw new InvalidCandleException(secid, at, ts, field, p, "prices must be finite and > 0");
        }
    }

    /** Computes the row of one candle of the stream's timeframe; outside a peek, keeps it. */
    private void emit(long ts, double open, double high, double low, double close, double volume) {
        state.update(open, high, low, close, volume);
        if (!tail.isEmpty()) {
            tail.push(ts, open, high, low, close, volume, customValues);
        }
        rows++;
        rowTs = ts;
        computeRow();
        if (peeking) {
            return;
        }
        boolean clean = true;
        for (double x : row) {
            clean &= !Double.isNaN(x);
        }
        if (clean) {
            int slot = (int) (cleanRows % windowSize);
            windowTs[slot] = ts;
            System.arraycopy(row, 0, windowValues, slot * row.length, row.length);
            cleanRows++;
        }
    }

    private void tellListener() {
        if (listener != null) {
            listener.accept(lastRow());
        }
    }

    private void computeRow() {
        for (int j = 0; j < row.length; j++) {
            int b = builtinIndex[j];
            row[j] = b >= 0 ? state.value(b) : customValues[customIndex[j]];
        }
    }

    /**
     * The row emitted last, as a new object.
     *
     * @return the newest row
     * @throws IllegalStateException before the first row
     */
    public FeatureRow lastRow() {
        requireRow();
        return new FeatureRow(secid, spec.name(), timeframe, names, rowTs,
                timeframe == null ? rowTs : calendar.availableAt(timeframe, rowTs), row);
    }

    /**
     * One value of the row emitted last, without allocating.
     *
     * @param feature the feature's index in {@link #featureNames()}
     * @return its value, NaN when undefined on that row
     * @throws IllegalStateException before the first row
     * @throws IndexOutOfBoundsException when there is no such feature
     */
    public double lastValue(int feature) {
        requireRow();
        Objects.checkIndex(feature, row.length);
        return row[feature];
    }

    /**
     * The open time of the row emitted last.
     *
     * @return its candle's open time, epoch milliseconds UTC
     * @throws IllegalStateException before the first row
     */
    public long lastTs() {
        requireRow();
        return rowTs;
    }

    /**
     * Copies the row emitted last into a buffer of the caller's, without allocating.
     *
     * @param dest at least as many values as the set has features; the first F are overwritten
     * @throws IllegalStateException before the first row
     * @throws IndexOutOfBoundsException when {@code dest} is too short
     */
    public void copyLastRow(double[] dest) {
        requireRow();
        System.arraycopy(row, 0, dest, 0, row.length);
    }

    private void requireRow() {
        if (rows == 0) {
            throw new IllegalStateException("stream of " + secid + " (" + spec.name() + ") has emitted no row yet");
        }
    }

    /**
     * The newest W clean rows, oldest first, from the rows kept as they were emitted (nothing is
     * recomputed): what {@code FeatureQuery.latest(series)} gives the same history.
     *
     * @return a W x F window
     * @throws InsufficientHistoryException when fewer than W clean rows were emitted
     */
    public FeatureWindow window() {
        if (cleanRows < windowSize) {
            throw new InsufficientHistoryException("feature set '" + spec.name() + "', secid '" + secid + "' (stream)",
                    windowSize, (int) cleanRows);
        }
        int f = row.length;
        long[] ts = new long[windowSize];
        double[] values = new double[windowSize * f];
        for (int r = 0; r < windowSize; r++) {
            int slot = (int) ((cleanRows - windowSize + r) % windowSize);
            ts[r] = windowTs[slot];
            System.arraycopy(windowValues, slot * f, values, r * f, f);
        }
        return Columns.window(secid, spec.name(), timeframe, names, ts, values);
    }

    /** {@return the window size W of {@link #window()}} */
    public int windowSize() {
        return windowSize;
    }

    /** {@return the kinds of the features, in the set's order} */
    public List<FeatureKind> kinds() {
        return kinds;
    }

    // ------------------------------------------------------------------ state

    /**
     * The stream's whole state as bytes: a versioned format naming the feature set, its
     * fingerprint, the timeframes and the instrument, then the last candle taken, the forming bucket, every built-in
     * feature's state, the tail kept for other providers' features and the clean rows of the
     * window. {@link #restore(byte[])} continues from it exactly.
     *
     * @return the state, a new array
     */
    public byte[] state() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024 + windowValues.length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(spec.name());
            out.writeUTF(fingerprint);
            out.writeUTF(timeframe == null ? "" : timeframe.toString());
            out.writeUTF(source == null ? "" : source.toString());
            out.writeUTF(secid);
            out.writeLong(sourceRows);
            out.writeLong(lastTs);
            for (double x : new double[] {lastOpen, lastHigh, lastLow, lastClose, lastVolume}) {
                out.writeLong(Double.doubleToRawLongBits(x));
            }
            out.writeBoolean(any);
            out.writeLong(lastKey);
            out.writeLong(closedThrough);
            out.writeBoolean(forming);
            out.writeLong(bucketTs);
            out.writeLong(bucketEnd);
            for (double x : new double[] {bucketOpen, bucketHigh, bucketLow, bucketClose, bucketVolume}) {
                out.writeLong(Double.doubleToRawLongBits(x));
            }
            out.writeLong(rows);
            out.writeLong(rowTs);
            state.write(out);
            tail.write(out);
            for (double x : customValues) {
                out.writeLong(Double.doubleToRawLongBits(x));
            }
            int kept = (int) Math.min(cleanRows, windowSize);
            out.writeLong(cleanRows);
            out.writeInt(kept);
            for (long r = cleanRows - kept; r < cleanRows; r++) {
                int slot = (int) (r % windowSize);
                out.writeLong(windowTs[slot]);
                for (int j = 0; j < row.length; j++) {
                    out.writeLong(Double.doubleToRawLongBits(windowValues[slot * row.length + j]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A new stream of the same set, timeframe, instrument and window size, in the state that
     * {@link #state()} saved; this stream is left as it is. It gives the same rows as the stream
     * that saved the state would have.
     *
     * @param bytes a state saved by {@link #state()}
     * @return the restored stream
     * @throws StreamStateException when the bytes are not a stream state of this format version,
     *     are cut short or corrupt, or were saved for another feature set, fingerprint, timeframe,
     *     source timeframe or instrument
     */
    public FeatureStream restore(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        FeatureStream s = fresh();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new StreamStateException("not a featurestore stream state (no FSST header)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new StreamStateException("stream state of format version " + version + "; this release reads "
                        + "version " + VERSION);
            }
            expect("feature set", in.readUTF(), spec.name());
            expect("fingerprint of feature set '" + spec.name() + "'", in.readUTF(), fingerprint);
            expect("timeframe", in.readUTF(), timeframe == null ? "" : timeframe.toString());
            expect("source timeframe", in.readUTF(), source == null ? "" : source.toString());
            expect("secid", in.readUTF(), secid);
            s.sourceRows = in.readLong();
            s.lastTs = in.readLong();
            s.lastOpen = Double.longBitsToDouble(in.readLong());
            s.lastHigh = Double.longBitsToDouble(in.readLong());
            s.lastLow = Double.longBitsToDouble(in.readLong());
            s.lastClose = Double.longBitsToDouble(in.readLong());
            s.lastVolume = Double.longBitsToDouble(in.readLong());
            s.any = in.readBoolean();
            s.lastKey = in.readLong();
            s.closedThrough = in.readLong();
            s.forming = in.readBoolean();
            s.bucketTs = in.readLong();
            s.bucketEnd = in.readLong();
            s.bucketOpen = Double.longBitsToDouble(in.readLong());
            s.bucketHigh = Double.longBitsToDouble(in.readLong());
            s.bucketLow = Double.longBitsToDouble(in.readLong());
            s.bucketClose = Double.longBitsToDouble(in.readLong());
            s.bucketVolume = Double.longBitsToDouble(in.readLong());
            s.rows = in.readLong();
            s.rowTs = in.readLong();
            s.state.read(in);
            s.tail.read(in);
            for (int j = 0; j < s.customValues.length; j++) {
                s.customValues[j] = Double.longBitsToDouble(in.readLong());
            }
            long clean = in.readLong();
            int kept = in.readInt();
            if (clean < 0 || kept < 0 || kept > clean || s.rows < 0 || s.sourceRows < 0 || s.rows < clean) {
                throw new StreamStateException("corrupt stream state of '" + secid + "': " + s.rows + " rows, "
                        + clean + " clean, " + kept + " kept");
            }
            for (long r = clean - kept; r < clean; r++) {
                long ts = in.readLong();
                double[] values = new double[row.length];
                for (int j = 0; j < values.length; j++) {
                    values[j] = Double.longBitsToDouble(in.readLong());
                }
                if (r >= clean - windowSize) {
                    int slot = (int) (r % windowSize);
                    s.windowTs[slot] = ts;
                    System.arraycopy(values, 0, s.windowValues, slot * row.length, row.length);
                }
            }
            s.cleanRows = clean;
            if (in.read() != -1) {
                throw new StreamStateException("stream state of '" + secid + "' has bytes after its end");
            }
            s.computeRow();
        } catch (EOFException e) {
            throw new StreamStateException("stream state of '" + secid + "' is cut short", e);
        } catch (IOException e) {
            throw new StreamStateException("corrupt stream state of '" + secid + "': " + e.getMessage(), e);
        }
        return s;
    }

    private static void expect(String what, String got, String want) {
        if (!got.equals(want)) {
            throw new StreamStateException("stream state saved for " + what + " '" + got + "', not '" + want + "'");
        }
    }

    @Override
    public String toString() {
        return "FeatureStream[" + spec.name() + ", " + secid + (timeframe == null ? "" : ", " + timeframe
                + (resampling ? " from " + source : "")) + ", " + rows + " rows]";
    }
}
