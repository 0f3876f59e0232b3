package dev.featurestore.core.indicator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * The explicit state of every built-in feature, advanced one candle at a time: after
 * {@link #update} with the candle of row t, {@link #value(int)} is the value the batch kernels give
 * row t of the same series, bit for bit.
 *
 * <p>Each recurrence of the batch kernels is kept as it is, with its operations in the same order:
 * the EMA, MACD and Wilder sums and averages; the sliding sums of the SMA ratio and of the rolling
 * moments relative to their pivot, rebuilt from the window on the same rows (every 64 rows counted
 * from the first defined row, or when the squared deviations cancel, a test on the same numbers);
 * the last {@code period + 1} values these read, in rings; exact range extremes by monotonic
 * queues. The work per candle is O(1) amortised (a rebuild of a 20-value window every 64 rows) and
 * nothing is allocated. The state is a few hundred numbers: see {@link #write} for its form.
 *
 * <pre>{@code
 * BuiltinState s = new BuiltinState();
 * for (int t = 0; t < series.size(); t++) {
 *     s.update(series.open(t), series.high(t), series.low(t), series.close(t), series.volume(t));
 *     double rsi = s.value(BuiltinState.index("rsi_14"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one instance per series.
 */
public final class BuiltinState {
    private static final List<String> NAMES = BuiltinIndicators.names();
    private static final int RETURN_1 = 0;
    private static final int SMA_RATIO = 1;
    private static final int EMA_RATIO = 2;
    private static final int MACD_LINE = 3;
    private static final int MACD_SIGNAL = 4;
    private static final int MACD_HIST = 5;
    private static final int RSI = 6;
    private static final int VOLATILITY = 7;
    private static final int ATR = 8;
    private static final int VOLUME_Z = 9;
    private static final int POSITION = 10;
    private static final int RANGE = 11;
    private static final int BODY = 12;
    private static final int UPPER = 13;
    private static final int LOWER = 14;
    private static final int BULL = 15;
    private static final int BEAR = 16;
    private static final int BOLLINGER = 17;
    private static final int STOCH_K = 18;
    private static final int STOCH_D = 19;

    private static final int FAST = 12;
    private static final int SLOW = 26;
    private static final int SIGNAL = 9;
    private static final double KF = Kernels.emaFactor(FAST);
    private static final double QF = 1 - KF;
    private static final double KS = Kernels.emaFactor(SLOW);
    private static final double QS = 1 - KS;
    private static final double K9 = Kernels.emaFactor(SIGNAL);
    private static final double Q9 = 1 - K9;
    private static final int WILDER = 14;
    private static final double KW = Kernels.wilderFactor(WILDER);
    private static final double QW = 1 - KW;
    private static final int SMA_FAST = 5;
    private static final int SMA_SLOW = 20;
    private static final double INV_FAST = 1.0 / SMA_FAST;
    private static final double INV_SLOW = 1.0 / SMA_SLOW;

    private final double[] values = new double[NAMES.size()];
    private long rows;
    private double prevOpen;
    private double prevClose;
    // MACD
    private double sumFast;
    private double ef;
    private double sumSlow;
    private double es;
    private double sumSignal;
    private double sig;
    // Wilder RSI and ATR
    private double sumGain;
    private double sumLoss;
    private double sumTr;
    private double ag;
    private double al;
    private double atr;
    // SMA ratio: the last 21 closes
    private final double[] closes = new double[32];
    private double smaPivot;
    private double smaFast;
    private double smaSlow;
    // %D: the last two %K
    private double k1;
    private double k2;
    private final MovingMoments volatility = new MovingMoments(20, MovingMoments.MEAN_STD, 1, 0, 0);
    private final MovingMoments volumeZ = new MovingMoments(20, MovingMoments.Z_SCORE, 1, 0, 0.0);
    private final MovingMoments bollinger = new MovingMoments(20, MovingMoments.PERCENT_B, 0, 2.0, 0.5);
    private final MovingRange position = new MovingRange(20, 1.0, 0.5);
    private final MovingRange stochK = new MovingRange(14, 100.0, 50.0);

    /** A state before the first candle: every value NaN. */
    public BuiltinState() {
        java.util.Arrays.fill(values, Double.NaN);
    }

    /** {@return the built-in feature names, in the order of {@link #value(int)}'s index} */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The index of a built-in feature for {@link #value(int)}.
     *
     * @param feature a built-in feature's name, e.g. {@code rsi_14}
     * @return its index, or -1 when no built-in feature has that name
     */
    public static int index(String feature) {
        return NAMES.indexOf(feature);
    }

    /** {@return the number of candles taken so far: the row index of the next one} */
    public long rows() {
        return rows;
    }

    /**
     * The value of a built-in feature on the row of the last candle taken.
     *
     * @param index the feature's {@link #index(String)}
     * @return its value, NaN before its first defined row (and before any candle)
     * @throws ArrayIndexOutOfBoundsException when the index names no built-in feature
     */
    public double value(int index) {
        return values[index];
    }

    /**
     * Takes the candle of the next row (validated as a {@code CandleSeries} validates it) and
     * computes every built-in feature of that row.
     *
     * @param o the open
     * @param h the high
     * @param l the low
     * @param c the close
     * @param v the volume
     */
    public void update(double o, double h, double l, double c, double v) {
        long t = rows;
        double[] out = values;
        double span = Math.max(h - l, Double.MIN_VALUE);
        out[RANGE] = (h - l) / c;
        out[BODY] = (c - o) / span;
        out[UPPER] = (h - Math.max(o, c)) / span;
        out[LOWER] = (Math.min(o, c) - l) / span;
        if (t == 0) {
            out[RETURN_1] = Double.NaN;
            out[BULL] = Double.NaN;
            out[BEAR] = Double.NaN;
        } else {
            double ret = c / prevClose - 1;
            out[RETURN_1] = ret;
            out[VOLATILITY] = volatility.update(ret);
            engulfing(o, c);
        }
        macd(c, t);
        wilder(h, l, c, t);
        smaRatio(c, t);
        out[VOLUME_Z] = volumeZ.update(v);
        out[BOLLINGER] = bollinger.update(c);
        out[POSITION] = position.update(h, l, c);
        double k = stochK.update(h, l, c);
        out[STOCH_K] = k;
        out[STOCH_D] = t < 15 ? Double.NaN : (k2 + k1 + k) / 3;
        k2 = k1;
        k1 = k;
        prevOpen = o;
        prevClose = c;
        rows = t + 1;
    }

    private void engulfing(double o, double c) {
        long po = Double.doubleToRawLongBits(prevOpen);
        long pc = Double.doubleToRawLongBits(prevClose);
        long ot = Double.doubleToRawLongBits(o);
        long ct = Double.doubleToRawLongBits(c);
        values[BULL] = lt(pc, po) & (lt(pc, ot) ^ 1) & (lt(ct, po) ^ 1) & (lt(ot, pc) | lt(po, ct));
        values[BEAR] = lt(po, pc) & (lt(ot, pc) ^ 1) & (lt(po, ct) ^ 1) & (lt(pc, ot) | lt(ct, po));
    }

    private static long lt(long a, long b) {
        return (a - b) >>> 63;
    }

    private void macd(double x, long t) {
        if (t < FAST) {
            sumFast += x;
            if (t == FAST - 1) {
                ef = sumFast / FAST;
            }
        } else {
            ef = KF * x + QF * ef;
        }
        int first = SLOW - 1;
        if (t < SLOW) {
            sumSlow += x;
            if (t == first) {
                es = sumSlow / SLOW;
            }
        } else {
            es = KS * x + QS * es;
        }
        double[] out = values;
        if (t < first) {
            return;
        }
        double m = ef - es;
        out[EMA_RATIO] = ef / es;
        out[MACD_LINE] = m;
        int signalFirst = SLOW + SIGNAL - 2;
        if (t < signalFirst) {
            sumSignal += m;
            return;
        }
        if (t == signalFirst) {
            sumSignal += m;
            sig = sumSignal / SIGNAL;
        } else {
            sig = K9 * m + Q9 * sig;
        }
        out[MACD_SIGNAL] = sig;
        out[MACD_HIST] = m - sig;
    }

    private void wilder(double h, double l, double c, long t) {
        if (t == 0) {
            return;
        }
        double prev = prevClose;
        double d = c - prev;
        if (t <= WILDER) {
            sumGain += Math.max(d, 0);
            sumLoss += Math.max(-d, 0);
            sumTr += trueRange(h, l, prev);
            if (t < WILDER) {
                return;
            }
            ag = sumGain / WILDER;
            al = sumLoss / WILDER;
            atr = sumTr / WILDER;
        } else {
            ag = KW * Math.max(d, 0) + QW * ag;
            al = KW * Math.max(-d, 0) + QW * al;
            atr = KW * trueRange(h, l, prev) + QW * atr;
        }
        double sum = ag + al;
        values[RSI] = sum == 0 ? 50.0 : 100 * (ag / sum);
        values[ATR] = atr;
    }

    private static double trueRange(double h, double l, double prevClose) {
        return Math.max(h - l, Math.max(Math.abs(h - prevClose), Math.abs(l - prevClose)));
    }

    private double close(long age) {
        return closes[(int) ((rows - age) & 31)];
    }

    /** {@link Kernels#smaRatio}(close, 5, 20); the close of row t is already in the ring at age 0. */
    private void smaRatio(double x, long t) {
        closes[(int) (t & 31)] = x;
        int first = SMA_SLOW - 1;
        if (t < first) {
            return;
        }
        // close(age) reads rows - age, and rows is still t here
        if ((t - first) % Kernels.MEAN_REBUILD_EVERY == 0) {
            smaPivot = x;
            smaFast = 0;
            for (int age = SMA_FAST - 1; age >= 0; age--) {
                smaFast += close(age) - smaPivot;
            }
            smaSlow = 0;
            for (int age = SMA_SLOW - 1; age >= 0; age--) {
                smaSlow += close(age) - smaPivot;
            }
        } else {
            double din = x - smaPivot;
            smaFast += din - (close(SMA_FAST) - smaPivot);
            smaSlow += din - (close(SMA_SLOW) - smaPivot);
        }
        values[SMA_RATIO] = (smaPivot + smaFast * INV_FAST) / (smaPivot + smaSlow * INV_SLOW);
    }

    /**
     * Makes this state a copy of another, without allocating.
     *
     * @param other the state to copy
     */
    public void copyFrom(BuiltinState other) {
        System.arraycopy(other.values, 0, values, 0, values.length);
        rows = other.rows;
        prevOpen = other.prevOpen;
        prevClose = other.prevClose;
        sumFast = other.sumFast;
        ef = other.ef;
        sumSlow = other.sumSlow;
        es = other.es;
        sumSignal = other.sumSignal;
        sig = other.sig;
        sumGain = other.sumGain;
        sumLoss = other.sumLoss;
        sumTr = other.sumTr;
        ag = other.ag;
        al = other.al;
        atr = other.atr;
        System.arraycopy(other.closes, 0, closes, 0, closes.length);
        smaPivot = other.smaPivot;
        smaFast = other.smaFast;
        smaSlow = other.smaSlow;
        k1 = other.k1;
        k2 = other.k2;
        volatility.copyFrom(other.volatility);
        volumeZ.copyFrom(other.volumeZ);
        bollinger.copyFrom(other.bollinger);
        position.copyFrom(other.position);
        stochK.copyFrom(other.stochK);
    }

    /**
     * Writes the state: the row count, the scalar recurrences, then the rings and queues (only
     * their live entries), every double as its raw bits, so {@link #read} restores it exactly.
     *
     * @param out where to write
     * @throws IOException when {@code out} fails
     */
    public void write(DataOutput out) throws IOException {
        out.writeLong(rows);
        for (double x : values) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
        double[] scalars = {prevOpen, prevClose, sumFast, ef, sumSlow, es, sumSignal, sig, sumGain, sumLoss, sumTr, ag,
            al, atr, smaPivot, smaFast, smaSlow, k1, k2};
        for (double x : scalars) {
            out.writeLong(Double.doubleToRawLongBits(x));
        }
        int kept = (int) Math.min(rows, SMA_SLOW + 1);
        for (int age = kept; age >= 1; age--) {
            out.writeLong(Double.doubleToRawLongBits(closes[(int) ((rows - age) & 31)]));
        }
        volatility.write(out);
        volumeZ.write(out);
        bollinger.write(out);
        position.write(out);
        stochK.write(out);
    }

    /**
     * Replaces this state with one {@link #write} wrote.
     *
     * @param in where to read from
     * @throws IOException when {@code in} fails or holds no valid state
     */
    public void read(DataInput in) throws IOException {
        rows = nonNegative(in.readLong(), "rows");
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(in.readLong());
        }
        prevOpen = readDouble(in);
        prevClose = readDouble(in);
        sumFast = readDouble(in);
        ef = readDouble(in);
        sumSlow = readDouble(in);
        es = readDouble(in);
        sumSignal = readDouble(in);
        sig = readDouble(in);
        sumGain = readDouble(in);
        sumLoss = readDouble(in);
        sumTr = readDouble(in);
        ag = readDouble(in);
        al = readDouble(in);
        atr = readDouble(in);
        smaPivot = readDouble(in);
        smaFast = readDouble(in);
        smaSlow = readDouble(in);
        k1 = readDouble(in);
        k2 = readDouble(in);
        int kept = (int) Math.min(rows, SMA_SLOW + 1);
        for (int age = kept; age >= 1; age--) {
            closes[(int) ((rows - age) & 31)] = readDouble(in);
        }
        volatility.read(in);
        volumeZ.read(in);
        bollinger.read(in);
        position.read(in);
        stochK.read(in);
    }

    private static double readDouble(DataInput in) throws IOException {
        return Double.longBitsToDouble(in.readLong());
    }

    static long nonNegative(long x, String what) throws IOException {
        if (x < 0) {
            throw new IOException(what + " is negative: " + x);
        }
        return x;
    }
}
