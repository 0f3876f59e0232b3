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

    /**
     * {@code out[t] = c[t] / c[t-1] - 1} from row 1; row 0 is NaN.
     *
     * <p>The previous close is first copied into {@code out} one row down, so that the loop
     * reads every column at row t: the JIT vectorises a loop whose accesses share one index, not
     * one that reads {@code c[t-1]} beside {@code c[t]}. {@code out} must not be {@code c}.
     *
     * @param c the closes, oldest first
     * @param out the returns, at least as long as {@code c}; its first {@code c.length} rows are overwritten
     */
    public static void simpleReturn(double[] c, double[] out) {
        int n = c.length;
        if (n == 0) {
            return;
        }
        System.arraycopy(c, 0, out, 1, n - 1);
        for (int t = 1; t < n; t++) {
            out[t] = c[t] / out[t] - 1;
        }
        out[0] = Double.NaN;
    }

    /**
     * The exponential moving average with smoothing {@code k}, seeded at row
     * {@code start + period - 1} with the simple mean of the first {@code period} defined inputs,
     * then {@code e[t] = k*x[t] + (1-k)*e[t-1]}. EMA uses {@code k = 2/(period+1)}; Wilder's
     * smoothing {@code k = 1/period}.
     *
     * @param x the input column, oldest first
     * @param start the first row on which {@code x} is defined
     * @param period the number of inputs of the seed mean, at least 1
     * @param k the smoothing factor, in (0, 1], e.g. {@link #emaFactor(int)} or {@link #wilderFactor(int)}
     * @param out the averages, as long as {@code x}; NaN before row {@code start + period - 1}
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

    /**
     * The MACD family of one input in one pass: {@code EMA_fast(x)} and {@code EMA_slow(x)} (each
     * exactly {@link #exponentialAverage}'s, seeded with the mean of the first period inputs), their
     * ratio and difference (the MACD line) from row {@code slow - 1}, the signal line
     * {@code EMA_signal(line)} seeded with the mean of the line's first {@code signal} values, and the
     * histogram {@code line - signal}, from row {@code slow + signal - 2}. Any output may be null;
     * those given are filled (NaN before their first row). The recurrences run in one loop, so
     * they overlap, and no intermediate column is allocated.
     *
     * @param x the input column, defined from row 0 (a candle column), oldest first
     * @param fast the period of the fast EMA, e.g. 12; at most {@code slow}
     * @param slow the period of the slow EMA, e.g. 26
     * @param signal the period of the signal line's EMA over the MACD line, e.g. 9
     * @param ratioOut {@code EMA_fast / EMA_slow}, as long as {@code x}, or null
     * @param lineOut the MACD line {@code EMA_fast - EMA_slow}, as long as {@code x}, or null
     * @param signalOut the signal line, as long as {@code x}, or null
     * @param histOut the histogram {@code line - signal}, as long as {@code x}, or null
     */
    public static void macd(double[] x, int fast, int slow, int signal, double[] ratioOut, double[] lineOut,
            double[] signalOut, double[] histOut) {
        int n = x.length;
        int first = slow - 1;
        int signalFirst = slow + signal - 2;
        fillHead(ratioOut, first);
        fillHead(lineOut, first);
        fillHead(signalOut, signalFirst);
        fillHead(histOut, signalFirst);
        if (first >= n) {
            return;
        }
        double kf = emaFactor(fast);
        double qf = 1 - kf;
        double ks = emaFactor(slow);
        double qs = 1 - ks;
        double k9 = emaFactor(signal);
        double q9 = 1 - k9;
        double sumFast = 0;
        for (int t = 0; t < fast; t++) {
            sumFast += x[t];
        }
        double ef = sumFast / fast;
        for (int t = fast; t <= first; t++) {
            ef = kf * x[t] + qf * ef;
        }
        double sumSlow = 0;
        for (int t = 0; t < slow; t++) {
            sumSlow += x[t];
        }
        double es = sumSlow / slow;
        double sumSignal = 0;
        double sig = 0;
        for (int t = first; t < n; t++) {
            if (t > first) {
                double v = x[t];
                ef = kf * v + qf * ef;
                es = ks * v + qs * es;
            }
            double m = ef - es;
            if (ratioOut != null) {
                ratioOut[t] = ef / es;
            }
            if (lineOut != null) {
                lineOut[t] = m;
            }
            if (t < signalFirst) {
                sumSignal += m;
                continue;
            }
            if (t == signalFirst) {
                sumSignal += m;
                sig = sumSignal / signal;
            } else {
                sig = k9 * m + q9 * sig;
            }
            if (signalOut != null) {
                signalOut[t] = sig;
            }
            if (histOut != null) {
                histOut[t] = m - sig;
            }
        }
    }

    private static void fillHead(double[] out, int rows) {
        if (out != null) {
            Arrays.fill(out, 0, Math.min(rows, out.length), Double.NaN);
        }
    }


    /**
     * The EMA smoothing factor {@code 2/(period+1)}.
     *
     * @param period the EMA's period, at least 1
     * @return the factor k, in (0, 1]
     */
    public static double emaFactor(int period) {
        return 2.0 / (period + 1);
    }

    /**
     * Wilder's smoothing factor {@code 1/period}.
     *
     * @param period the average's period, at least 1
     * @return the factor k, in (0, 1]
     */
    public static double wilderFactor(int period) {
        return 1.0 / period;
    }

    /**
     * For each row, how many consecutive rows ending there hold exactly the same value (1 when it
     * differs from the row before). A window of n rows ending at t is constant exactly when
     * {@code run[t] >= n}: an exact test that needs no arithmetic on the values.
     *
     * @param x the input column, oldest first
     * @param start the first row to count from; the run restarts at 1 there
     * @param out the run lengths, as long as {@code x}; rows before {@code start} are left as they are
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
     * the population one. Either output may be null. See {@link RollingMoments} for how the
     * values stay exact.
     *
     * @param x the input column, oldest first
     * @param start the first row on which {@code x} is defined
     * @param period the number of values per window, at least 1 (at least 2 with {@code ddof} 1)
     * @param ddof the delta degrees of freedom, 0 or 1
     * @param meanOut the rolling means, as long as {@code x}, or null
     * @param stdOut the rolling standard deviations, as long as {@code x}, or null
     */
    public static void rollingMeanStd(double[] x, int start, int period, int ddof, double[] meanOut,
            double[] stdOut) {
        RollingMoments.meanStd(x, start, period, ddof, meanOut, stdOut);
    }

    /**
     * {@code SMA_fast(x) / SMA_slow(x)}, defined from row {@code slow - 1} (fast &lt;= slow).
     *
     * <p>Each mean is a sliding sum of deviations from a pivot, rebuilt from its window every
     * {@value #MEAN_REBUILD_EVERY} rows (a function of the row index only, so prefixes give the same
     * bits): the sums stay small next to the level and their rounding cannot accumulate.
     *
     * @param x the input column, defined from row 0 (a candle column), oldest first
     * @param fast the number of values of the numerator's mean, at least 1
     * @param slow the number of values of the denominator's mean, at least {@code fast}
     * @param out the ratios, as long as {@code x}; NaN before row {@code slow - 1}
     */
    public static void smaRatio(double[] x, int fast, int slow, double[] out) {
        int n = x.length;
        int first = slow - 1;
        Arrays.fill(out, 0, Math.min(first, n), Double.NaN);
        double invFast = 1.0 / fast;
        double invSlow = 1.0 / slow;
        double pivot = 0;
        double sumFast = 0;
        double sumSlow = 0;
        for (int t = first; t < n; t++) {
            if ((t - first) % MEAN_REBUILD_EVERY == 0) {
                pivot = x[t];
                sumFast = 0;
                for (int i = t - fast + 1; i <= t; i++) {
                    sumFast += x[i] - pivot;
                }
                sumSlow = 0;
                for (int i = t - slow + 1; i <= t; i++) {
                    sumSlow += x[i] - pivot;
                }
            } else {
                double din = x[t] - pivot;
                sumFast += din - (x[t - fast] - pivot);
                sumSlow += din - (x[t - slow] - pivot);
            }
            out[t] = (pivot + sumFast * invFast) / (pivot + sumSlow * invSlow);
        }
    }

    /** Rows between rebuilds of a sliding mean's sum from its window. */
    static final int MEAN_REBUILD_EVERY = 64;

    /**
     * The z-score {@code (x - SMA_n(x)) / STD_n(x)} with the sample deviation, and
     * {@code neutral} when the deviation is 0; defined from row {@code start + period - 1}.
     *
     * @param x the input column, oldest first
     * @param start the first row on which {@code x} is defined
     * @param period the number of values per window, at least 2
     * @param neutral the value for a window of equal values, e.g. 0
     * @param out the z-scores, as long as {@code x}; NaN before the first defined row
     */
    public static void zScore(double[] x, int start, int period, double neutral, double[] out) {
        RollingMoments.zScore(x, start, period, neutral, out);
    }

    /**
     * Bollinger %B: {@code mid = SMA_n(x)}, {@code sd = PSTD_n(x)} (population),
     * {@code (x - (mid - k sd)) / ((mid + k sd) - (mid - k sd))}, and {@code neutral} when
     * {@code sd} is 0; defined from row {@code period - 1}.
     *
     * @param x the input column, defined from row 0 (a candle column), oldest first
     * @param period the number of values per window, at least 1, e.g. 20
     * @param k the band width in population standard deviations, e.g. 2
     * @param neutral the value for a window of equal values, e.g. 0.5
     * @param out %B per row, as long as {@code x}; NaN before row {@code period - 1}
     */
    public static void bollingerPercentB(double[] x, int period, double k, double neutral, double[] out) {
        RollingMoments.percentB(x, period, k, neutral, out);
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
     * {@code neutral} when {@code HH == LL}. Defined from row {@code period - 1}.
     *
     * <p>Rolling extremes by the van Herk / Gil-Werman scheme: the series is cut into blocks of
     * {@code period} rows; a window is the suffix of the previous block plus the prefix of the
     * current one, so each row costs three comparisons ({@code Math.max}/{@code min}, which the
     * JIT compiles without branches). A sentinel slot past the previous block's suffixes stands
     * for "nothing before", so the loop has no branch on the position in the block either. Maxima
     * and minima are exact, so the result does not depend on how the series is cut.
     *
     * @param high the candles' highs, oldest first
     * @param low the candles' lows, as long as {@code high}
     * @param close the candles' closes, as long as {@code high}
     * @param period the number of candles per window, at least 1, e.g. 14
     * @param scale the value at the top of the range: 1, or 100 for a stochastic %K
     * @param neutral the value when the window's range is 0
     * @param out the positions, as long as {@code close}, within [0, scale]; NaN before row {@code period - 1}
     */
    public static void rangePosition(double[] high, double[] low, double[] close, int period, double scale,
            double neutral, double[] out) {
        int n = close.length;
        // Suffix extremes of the previous block; slot [period] never wins.
        double[] prevMax = new double[period + 1];
        double[] prevMin = new double[period + 1];
        double[] curMax = new double[period + 1];
        double[] curMin = new double[period + 1];
        Arrays.fill(prevMax, Double.NEGATIVE_INFINITY);
        Arrays.fill(prevMin, Double.POSITIVE_INFINITY);
        curMax[period] = Double.NEGATIVE_INFINITY;
        curMin[period] = Double.POSITIVE_INFINITY;
        for (int bs = 0; bs < n; bs += period) {
            int len = Math.min(period, n - bs);
            double runMax = Double.NEGATIVE_INFINITY;
            double runMin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                int t = bs + i;
                runMax = Math.max(runMax, high[t]);
                runMin = Math.min(runMin, low[t]);
                double hh = Math.max(runMax, prevMax[i + 1]);
                double ll = Math.min(runMin, prevMin[i + 1]);
                double range = hh - ll;
                // scale * (c - LL) / range with the quotient first: it is at most 1, so the value stays
                // within [0, scale] (scale * (c - LL) rounded up, then divided, could exceed it)
                out[t] = range == 0 ? neutral : scale * ((close[t] - ll) / range);
            }
            if (len == period) {
                double sMax = Double.NEGATIVE_INFINITY;
                double sMin = Double.POSITIVE_INFINITY;
                for (int i = period - 1; i >= 0; i--) {
                    sMax = Math.max(sMax, high[bs + i]);
                    sMin = Math.min(sMin, low[bs + i]);
                    curMax[i] = sMax;
                    curMin[i] = sMin;
                }
                double[] swap = prevMax;
                prevMax = curMax;
                curMax = swap;
                swap = prevMin;
                prevMin = curMin;
                curMin = swap;
            }
        }
        // The first block's rows before a full window saw only part of one.
        Arrays.fill(out, 0, Math.min(period - 1, n), Double.NaN);
    }
}
