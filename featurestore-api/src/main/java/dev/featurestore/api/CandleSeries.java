package dev.featurestore.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Candles of one instrument ({@code secid}) and one timeframe, held by column: timestamps in
 * epoch milliseconds UTC (the candle's open time) and open, high, low, close, volume as doubles.
 *
 * <p>Every series is validated once, when it is made: strictly increasing timestamps, finite
 * prices above zero, {@code low <= min(open, close)}, {@code high >= max(open, close)} and a
 * finite volume of at least zero. A violation throws {@link InvalidCandleException} naming the
 * secid, row, timestamp, field and value, so code that holds a {@code CandleSeries} never has to
 * check again.
 *
 * <p>Instances are immutable and never hand out their arrays, so a series stays valid whatever
 * its readers do. Read one candle with the per-row getters ({@link #ts(int)}, {@link #close(int)}
 * and so on: bounds-checked, inlined by the JIT, no allocation), or take a whole column as a copy
 * that belongs to the caller ({@link #timestamps()}, {@link #closes()} and so on). Plain arrays
 * rather than read-only {@code DoubleBuffer} views: a copy is what most callers hand on anyway
 * (to a plot, a tensor, a test assertion), it is as fast to read as the series itself, and a
 * getter per row covers loops that should not allocate. The built-in kernels and featurestore's
 * own modules read the columns without a copy through a path that is not API.
 *
 * <p>The timeframe is optional: a series read from a file of daily bars with weekend gaps, say,
 * may be computed as it is. A series with a timeframe can be resampled to a coarser one.
 */
public final class CandleSeries {
    private final String secid;
    private final Timeframe timeframe;
    private final long[] ts;
    private final double[] open;
    private final double[] high;
    private final double[] low;
    private final double[] close;
    private final double[] volume;

    private CandleSeries(String secid, Timeframe timeframe, long[] ts, double[] open, double[] high, double[] low,
            double[] close, double[] volume) {
        this.secid = Objects.requireNonNull(secid, "secid");
        this.timeframe = timeframe;
        this.ts = ts;
        this.open = open;
        this.high = high;
        this.low = low;
        this.close = close;
        this.volume = volume;
        int n = ts.length;
        if (open.length != n || high.length != n || low.length != n || close.length != n || volume.length != n) {
            throw new IllegalArgumentException("columns of series '" + secid + "' differ in length: ts=" + n + ", open="
                    + open.length + ", high=" + high.length + ", low=" + low.length + ", close=" + close.length
                    + ", volume=" + volume.length);
        }
        validate();
    }

    /**
     * A validated series over copies of the given columns. Row {@code i} of every column is the
     * candle {@code i}; the arrays stay the caller's.
     *
     * @param secid the instrument, e.g. {@code SBER}; not null
     * @param timeframe the candles' timeframe, or null when it is not known (any spacing)
     * @param ts the candles' open times, epoch ms UTC, strictly increasing
     * @param open the open prices, finite and above zero
     * @param high the high prices, at least {@code max(open, close)} of the same row
     * @param low the low prices, above zero and at most {@code min(open, close)} of the same row
     * @param close the close prices, finite and above zero
     * @param volume the traded volumes, finite and at least zero
     * @return the series, holding its own copies of the columns
     * @throws InvalidCandleException when a candle breaks a rule
     * @throws IllegalArgumentException when the columns differ in length
     * @throws NullPointerException when {@code secid} or a column is null
     */
    public static CandleSeries of(String secid, Timeframe timeframe, long[] ts, double[] open, double[] high,
            double[] low, double[] close, double[] volume) {
        return new CandleSeries(secid, timeframe, ts.clone(), open.clone(), high.clone(), low.clone(), close.clone(),
                volume.clone());
    }

    /**
     * A builder that appends candles one at a time; see {@link Builder#expectedSize(int)}.
     *
     * @param secid the instrument of the series to build, e.g. {@code SBER}; not null
     * @return an empty builder without a timeframe
     * @throws NullPointerException when {@code secid} is null
     */
    public static Builder builder(String secid) {
        return new Builder(secid);
    }

    private void validate() {
        for (int i = 0; i < ts.length; i++) {
            if (i > 0 && ts[i] <= ts[i - 1]) {
                throw new InvalidCandleException(secid, i, ts[i], "ts", ts[i], ts[i] == ts[i - 1]
                        ? "duplicate timestamp (row " + (i - 1) + " has the same)"
                        : "timestamps must be strictly increasing; row " + (i - 1) + " is later ("
                                + Instant.ofEpochMilli(ts[i - 1]) + ")");
            }
            checkPrice(i, "open", open[i]);
            checkPrice(i, "high", high[i]);
            checkPrice(i, "low", low[i]);
            checkPrice(i, "close", close[i]);
            double o = open[i];
            double c = close[i];
            if (low[i] > Math.min(o, c)) {
                throw new InvalidCandleException(secid, i, ts[i], "low", low[i],
                        "low must be <= min(open, close) = " + Math.min(o, c));
            }
            if (high[i] < Math.max(o, c)) {
                throw new InvalidCandleException(secid, i, ts[i], "high", high[i],
                        "high must be >= max(open, close) = " + Math.max(o, c));
            }
            double v = volume[i];
            if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
                throw new InvalidCandleException(secid, i, ts[i], "volume", v, "volume must be finite and >= 0");
            }
        }
    }

    private void checkPrice(int i, String field, double p) {
        if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
            throw new InvalidCandleException(secid, i, ts[i], field, p, "prices must be finite and > 0");
        }
    }

    /** {@return the instrument, e.g. {@code SBER}} */
    public String secid() {
        return secid;
    }

    /** {@return the candles' timeframe, empty when the series has no fixed spacing} */
    public Optional<Timeframe> timeframe() {
        return Optional.ofNullable(timeframe);
    }

    /** {@return the number of candles, 0 or more} */
    public int size() {
        return ts.length;
    }

    /**
     * {@return the open time (epoch ms UTC) of the candle in a row}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public long ts(int row) {
        return ts[Objects.checkIndex(row, ts.length)];
    }

    /**
     * {@return the open price of the candle in a row}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public double open(int row) {
        return open[Objects.checkIndex(row, ts.length)];
    }

    /**
     * {@return the high price of the candle in a row}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public double high(int row) {
        return high[Objects.checkIndex(row, ts.length)];
    }

    /**
     * {@return the low price of the candle in a row}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public double low(int row) {
        return low[Objects.checkIndex(row, ts.length)];
    }

    /**
     * {@return the close price of the candle in a row}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public double close(int row) {
        return close[Objects.checkIndex(row, ts.length)];
    }

    /**
     * {@return the volume of the candle in a row}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public double volume(int row) {
        return volume[Objects.checkIndex(row, ts.length)];
    }

    /**
     * {@return the open time of the candle in a row, as an {@link Instant}}
     *
     * @param row the row, from 0 (the oldest candle) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public Instant openTime(int row) {
        return Instant.ofEpochMilli(ts(row));
    }

    /** {@return a copy of the candle open times, epoch ms UTC, oldest first} */
    public long[] timestamps() {
        return ts.clone();
    }

    /** {@return a copy of the open prices, oldest first} */
    public double[] opens() {
        return open.clone();
    }

    /** {@return a copy of the high prices, oldest first} */
    public double[] highs() {
        return high.clone();
    }

    /** {@return a copy of the low prices, oldest first} */
    public double[] lows() {
        return low.clone();
    }

    /** {@return a copy of the close prices, oldest first} */
    public double[] closes() {
        return close.clone();
    }

    /** {@return a copy of the volumes, oldest first} */
    public double[] volumes() {
        return volume.clone();
    }

    // The backing arrays, for dev.featurestore.api.internal.Columns only.

    long[] tsArray() {
        return ts;
    }

    double[] openArray() {
        return open;
    }

    double[] highArray() {
        return high;
    }

    double[] lowArray() {
        return low;
    }

    double[] closeArray() {
        return close;
    }

    double[] volumeArray() {
        return volume;
    }

    /** A validated series over arrays the caller hands over; for {@code Columns} only. */
    static CandleSeries wrap(String secid, Timeframe timeframe, long[] ts, double[] open, double[] high, double[] low,
            double[] close, double[] volume) {
        return new CandleSeries(secid, timeframe, ts, open, high, low, close, volume);
    }

    /**
     * The candles in rows {@code [from, to)}, as a new series with this one's secid and timeframe
     * and its own copies of the columns.
     *
     * @param from the first row taken, 0 or more
     * @param to the row after the last one taken, from {@code from} to {@link #size()}
     * @return the slice; empty when {@code from == to}
     * @throws IndexOutOfBoundsException when {@code [from, to)} is not within {@code [0, size())}
     */
    public CandleSeries slice(int from, int to) {
        Objects.checkFromToIndex(from, to, ts.length);
        return new CandleSeries(secid, timeframe, Arrays.copyOfRange(ts, from, to), Arrays.copyOfRange(open, from, to),
                Arrays.copyOfRange(high, from, to), Arrays.copyOfRange(low, from, to),
                Arrays.copyOfRange(close, from, to), Arrays.copyOfRange(volume, from, to));
    }

    @Override
    public String toString() {
        return "CandleSeries[" + secid + ", " + (timeframe == null ? "any spacing" : timeframe) + ", " + ts.length
                + " candles" + (ts.length == 0 ? "" : ", " + Instant.ofEpochMilli(ts[0]) + " .. "
                        + Instant.ofEpochMilli(ts[ts.length - 1])) + "]";
    }

    /**
     * Appends candles one at a time. Give {@link #expectedSize(int)} when the count is known: the
     * columns are then allocated once and handed to the series without a copy.
     */
    public static final class Builder {
        private final String secid;
        private Timeframe timeframe;
        private int size;
        private long[] ts = new long[16];
        private double[] open = new double[16];
        private double[] high = new double[16];
        private double[] low = new double[16];
        private double[] close = new double[16];
        private double[] volume = new double[16];

        private Builder(String secid) {
            this.secid = Objects.requireNonNull(secid, "secid");
        }

        /**
         * The candles' timeframe; leave unset for a series of any spacing.
         *
         * @param timeframe the timeframe, or null for a series of any spacing
         * @return this builder
         */
        public Builder timeframe(Timeframe timeframe) {
            this.timeframe = timeframe;
            return this;
        }

        /**
         * Reserves room for this many candles in total. When exactly that many are added, the
         * columns are handed to the series at {@link #build()} without a copy.
         *
         * @param expected the expected number of candles in all, counting those added already
         * @return this builder
         * @throws IllegalArgumentException when {@code expected} is below 0
         */
        public Builder expectedSize(int expected) {
            if (expected < 0) {
                throw new IllegalArgumentException("expectedSize must be >= 0, got " + expected);
            }
            if (expected > ts.length) {
                resize(expected);
            }
            return this;
        }

        /**
         * Appends one candle; rules are checked at {@link #build()}.
         *
         * @param tsMillis the candle's open time, epoch ms UTC, later than the one added before
         * @param o the open price
         * @param h the high price
         * @param l the low price
         * @param c the close price
         * @param v the traded volume
         * @return this builder
         */
        public Builder add(long tsMillis, double o, double h, double l, double c, double v) {
            if (size == ts.length) {
                resize(Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, ts.length * 2L)));
            }
            ts[size] = tsMillis;
            open[size] = o;
            high[size] = h;
            low[size] = l;
            close[size] = c;
            volume[size] = v;
            size++;
            return this;
        }

        /** {@return the number of candles appended so far} */
        public int size() {
            return size;
        }

        private void resize(int capacity) {
            ts = Arrays.copyOf(ts, capacity);
            open = Arrays.copyOf(open, capacity);
            high = Arrays.copyOf(high, capacity);
            low = Arrays.copyOf(low, capacity);
            close = Arrays.copyOf(close, capacity);
            volume = Arrays.copyOf(volume, capacity);
        }

        /**
         * The validated series. The builder must not be used afterwards.
         *
         * @return the series of the candles added, in the order they were added
         * @throws InvalidCandleException when a candle breaks a rule
         */
        public CandleSeries build() {
            if (size != ts.length) {
                resize(size);
            }
            CandleSeries series = new CandleSeries(secid, timeframe, ts, open, high, low, close, volume);
            ts = null;
            open = high = low = close = volume = null;
            return series;
        }
    }
}
