package dev.featurestore.core.indicator;

import java.util.Arrays;

/**
 * The numeric kernels behind the built-in features, as static functions over primitive columns:
 * {@code double[]} in, {@code double[]} out, no object per value, O(1) amortised work per row.
 *
 * <p>Every kernel is a pure function of its inputs with no global state, so the same code runs in
 * a JVM app, a unit test or a Spark executor. Each output row depends only on input rows at or
 * before it, and on the row's absolute index, so the values of a prefix of a series are
 * bit-identical to the same rows of the whole series.
 *
 * <p>Conventions, as in the feature definitions: rows before a kernel's first defined row are
 * NaN; {@code start} is the first row on which the input {@code x} is defined (0 for a candle
 * column, 1 for a return, 25 for the MACD line).
 */
public final class Kernels {
    private Kernels() {
    }

    /** {@code out[t] = c[t] / c[t-1] - 1} from row 1; row 0 is NaN. */
    public static void simpleReturn(double[] c, double[] out) {
        int n = c.length;
        if (n == 0) {
            return;
        }
        out[0] = Double.NaN;
        for (int t = 1; t < n; t++) {
            out[t] = c[t] / c[t - 1] - 1;
        }
    }

    /**
     * The exponential moving average with smoothing {@code k}, seeded at row
     * {@code start + period - 1} with the simple mean of the first {@code period} defined inputs,
     * then {@code e[t] = k*x[t] + (1-k)*e[t-1]}. EMA uses {@code k = 2/(period+1)}; Wilder's
     * smoothing {@code k = 1/period}.
     */
    public static void exponentialAverage(double[] x, int start, int period, double k, double[] out) {
        int n = x.length;
        int first = start + period - 1;
        Arrays.fill(out, 0, Math.min(first, n), Double.NaN);
        if (first >= n) {
            return;
        }
        double sum = 0;
        for (int t = start; t <= first; t++) {
            sum += x[t];
        }
        double e = sum / period;
        out[first] = e;
        double q = 1 - k;
        for (int t = first + 1; t < n; t++) {
            e = k * x[t] + q * e;
            out[t] = e;
        }
    }

    /** The EMA smoothing factor {@code 2/(period+1)}. */
    public static double emaFactor(int period) {
        return 2.0 / (period + 1);
    }

    /** Wilder's smoothing factor {@code 1/period}. */
    public static double wilderFactor(int period) {
        return 1.0 / period;
    }

    /**
     * For each row, how many consecutive rows ending there hold exactly the same value (1 when it
     * differs from the row before). A window of n rows ending at t is constant exactly when
     * {@code run[t] >= n}: an exact test that needs no arithmetic on the values.
     */
    public static void equalRunLength(double[] x, int start, int[] out) {
        int run = 0;
        for (int t = start; t < x.length; t++) {
            run = (t > start && x[t] == x[t - 1]) ? run + 1 : 1;
            out[t] = run;
        }
    }

    /**
     * Rolling mean and standard deviation over the last {@code period} defined values of x, first
     * defined at row {@code start + period - 1}. {@code ddof} is 1 for the sample deviation, 0 for
     * the population one. Either output may be null.
     *
     * <p>Exactness: a window whose values are all equal gets a deviation of exactly 0 (and its
     * mean is that value), found by comparing values, never by testing a computed deviation.
     * Otherwise the sums are kept relative to a pivot taken from the window, and rebuilt from the
     * window every {@code period} rows, so the sum of squares never cancels against the price
     * level and rounding cannot pile up along a long series. The rebuild rows depend on the
     * absolute row index only: a prefix gives the same bits as the whole series.
     */
    public static void rollingMeanStd(double[] x, int start, int period, int ddof, double[] meanOut,
            double[] stdOut) {
        int n = x.length;
        int first = start + period - 1;
        if (meanOut != null) {
            Arrays.fill(meanOut, 0, Math.min(first, n), Double.NaN);
        }
        if (stdOut != null) {
            Arrays.fill(stdOut, 0, Math.min(first, n), Double.NaN);
        }
        if (first >= n) {
            return;
        }
        double pivot = 0;
        double s1 = 0;
        double s2 = 0;
        int run = 1;
        for (int t = start + 1; t <= first; t++) {
            run = x[t] == x[t - 1] ? run + 1 : 1;
        }
        int untilRebuild = 0;
        double inv = 1.0 / period;
        for (int t = first; t < n; t++) {
            if (t > first) {
                run = x[t] == x[t - 1] ? run + 1 : 1;
            }
            if (untilRebuild == 0) {
                pivot = x[t];
                s1 = 0;
                s2 = 0;
                for (int i = t - period + 1; i <= t; i++) {
                    double d = x[i] - pivot;
                    s1 += d;
                    s2 += d * d;
                }
                untilRebuild = period;
            } else {
                double din = x[t] - pivot;
                double dout = x[t - period] - pivot;
                s1 += din - dout;
                s2 += din * din - dout * dout;
            }
            untilRebuild--;
            if (run >= period) {
                if (meanOut != null) {
                    meanOut[t] = x[t];
                }
                if (stdOut != null) {
                    stdOut[t] = 0.0;
                }
                continue;
            }
            if (meanOut != null) {
                meanOut[t] = pivot + s1 * inv;
            }
            if (stdOut != null) {
                double m2 = s2 - s1 * s1 * inv;
                if (!(m2 > 0)) {
                    m2 = exactSquaredDeviations(x, t - period + 1, t + 1);
                }
                stdOut[t] = Math.sqrt(m2 / (period - ddof));
            }
        }
    }

    /** The sum of squared deviations from the mean over {@code x[from..to)}, by two passes. */
    static double exactSquaredDeviations(double[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        double mean = sum / (to - from);
        double m2 = 0;
        for (int i = from; i < to; i++) {
            double d = x[i] - mean;
            m2 += d * d;
        }
        return m2;
    }

    /**
     * Where the close stands in the range of the last {@code period} candles:
     * {@code scale * (c - LL) / (HH - LL)} with HH the highest high and LL the lowest low, and
     * {@code neutral} when {@code HH == LL}. Defined from row {@code period - 1}. Rolling extremes
     * by monotonic queues: O(1) amortised per row.
     */
    public static void rangePosition(double[] high, double[] low, double[] close, int period, double scale,
            double neutral, double[] out) {
        int n = close.length;
        int first = period - 1;
        Arrays.fill(out, 0, Math.min(first, n), Double.NaN);
        int cap = Integer.highestOneBit(Math.max(1, period - 1)) << 1;
        int mask = cap - 1;
        int[] maxQ = new int[cap];
        int[] minQ = new int[cap];
        int maxHead = 0;
        int maxTail = 0;
        int minHead = 0;
        int minTail = 0;
        for (int t = 0; t < n; t++) {
            int expired = t - period;
            if (maxTail != maxHead && maxQ[maxHead & mask] <= expired) {
                maxHead++;
            }
            double h = high[t];
            while (maxTail != maxHead && high[maxQ[(maxTail - 1) & mask]] <= h) {
                maxTail--;
            }
            maxQ[maxTail++ & mask] = t;
            if (minTail != minHead && minQ[minHead & mask] <= expired) {
                minHead++;
            }
            double l = low[t];
            while (minTail != minHead && low[minQ[(minTail - 1) & mask]] >= l) {
                minTail--;
            }
            minQ[minTail++ & mask] = t;
            if (t >= first) {
                double hh = high[maxQ[maxHead & mask]];
                double ll = low[minQ[minHead & mask]];
                double range = hh - ll;
                out[t] = range == 0 ? neutral : scale * (close[t] - ll) / range;
            }
        }
    }
}
