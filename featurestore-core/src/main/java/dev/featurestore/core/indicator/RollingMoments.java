package dev.featurestore.core.indicator;

import java.util.Arrays;

/**
 * The kernels over a rolling mean and standard deviation of the last {@code period} values of a
 * column (the deviation itself, the z-score, Bollinger %B), advanced one row at a time in one
 * loop whose state (a handful of numbers) lives in local variables, which the JIT keeps in
 * registers.
 *
 * <p>Exactness: a window whose values are all equal has a deviation of exactly 0 and a mean
 * equal to that value, found by counting equal neighbours, never by testing a computed
 * deviation. Otherwise the sums are kept relative to a pivot taken from the window, and rebuilt
 * from the window every 64 rows (or every window, if longer), so the sum of squares never cancels against the
 * level of the series (the running {@code E[x^2] - E[x]^2} form would) and rounding cannot pile
 * up along a long series. The sums are also rebuilt at once when the sum of squared deviations
 * falls below {@value #CANCELLATION} of the largest sum of squares seen since the last rebuild:
 * then a large value has left the window (a volume spike, a price gap) or the pivot has drifted
 * far from the window, and what is left of the sum would be mostly rounding. A rebuild takes the
 * pivot from the window, which bounds the sum of squares by (period + 1) times the squared
 * deviations, far above that threshold. Deviations from the mean are taken relative to the pivot
 * ({@code (v - pivot) - s1 / period}), so they keep their digits when they are small next to the level.
 * Whether a rebuild happens depends only on the rows up to the current one, so a prefix of a
 * series gives bit-identical values to the whole series.
 */
final class RollingMoments {
    /** Rows between rebuilds of the sums from the window (at least one window). */
    static final int REBUILD_EVERY = 64;
    /**
     * Rebuild when the squared deviations fall below this fraction of the largest sum of squares
     * since the last rebuild: the rounding of 64 updates is at most a few 1e-14 of that sum, so
     * the squared deviations keep a relative error below about 1e-10.
     */
    static final double CANCELLATION = 1e-3;

    private static final int MEAN_STD = 0;
    private static final int Z_SCORE = 1;
    private static final int PERCENT_B = 2;

    private RollingMoments() {
    }

    /**
     * The rolling mean and standard deviation (divisor {@code period - ddof}) of x, whose first
     * defined row is {@code start}; either output may be null.
     */
    static void meanStd(double[] x, int start, int period, int ddof, double[] meanOut, double[] stdOut) {
        fill(x, start, period, MEAN_STD, stdOut, meanOut, ddof, 0, 0);
    }

    /** {@code (x - mean) / std} with the sample deviation, {@code neutral} when the window is constant. */
    static void zScore(double[] x, int start, int period, double neutral, double[] out) {
        fill(x, start, period, Z_SCORE, out, null, 1, 0, neutral);
    }

    /**
     * Bollinger %B with the population deviation, {@code (x - mid + k sd) / (2 k sd)}, and
     * {@code neutral} when the window is constant.
     */
    static void percentB(double[] x, int period, double k, double neutral, double[] out) {
        fill(x, 0, period, PERCENT_B, out, null, 0, k, neutral);
    }

    /**
     * One pass over x: {@code out} (the deviation for {@link #meanStd}, else the z-score or %B)
     * and {@code meanOut} get NaN before row {@code start + period - 1} and their values from it on.
     */
    private static void fill(double[] x, int start, int period, int kind, double[] out, double[] meanOut, int ddof,
            double k, double neutral) {
        int n = x.length;
        int first = start + period - 1;
        if (out != null) {
            Arrays.fill(out, 0, Math.min(first, n), Double.NaN);
        }
        if (meanOut != null) {
            Arrays.fill(meanOut, 0, Math.min(first, n), Double.NaN);
        }
        double inv = 1.0 / period;
        double scale = ddof == 0 ? inv : 1.0 / (period - 1);
        double pivot = 0;
        double s1 = 0;
        double s2 = 0;
        long peakBits = 0;
        int run = 0;
        int untilRebuild = 0;
        double last = 0;
        for (int t = start; t < n; t++) {
            double v = x[t];
            // run + 1 after an equal value, else 1; written as arithmetic so that no branch depends
            // on the data (equal neighbours are common in tick-rounded prices).
            int equal = (t > start) & (v == last) ? 1 : 0;
            run = 1 + equal * run;
            last = v;
            if (t < first) {
                continue;
            }
            boolean rebuild = untilRebuild == 0;
            if (!rebuild) {
                double din = v - pivot;
                double dout = x[t - period] - pivot;
                s1 += din - dout;
                s2 += din * din - dout * dout;
                // The largest s2 since the rebuild, kept as bits: s2 >= 0 (or -0.0 or a tiny negative
                // rounding, which never wins), and non-negative doubles order like their bits, so a
                // long max (no NaN or -0.0 handling on the loop-carried chain) gives the same peak.
                peakBits = Math.max(peakBits, Double.doubleToRawLongBits(s2));
                rebuild = run < period && s2 - s1 * s1 * inv < CANCELLATION * Double.longBitsToDouble(peakBits);
            }
            if (rebuild) {
                pivot = v;
                double a = 0;
                double b = 0;
                for (int i = t - period + 1; i <= t; i++) {
                    double d = x[i] - pivot;
                    a += d;
                    b += d * d;
                }
                s1 = a;
                s2 = b;
                peakBits = Double.doubleToRawLongBits(b);
                untilRebuild = Math.max(REBUILD_EVERY, period);
            }
            untilRebuild--;
            // A constant window has a deviation of exactly 0 and a mean equal to its value. Otherwise
            // deviations from the mean are taken relative to the pivot, (v - pivot) - s1 / period,
            // where v - pivot is exact whenever v and the pivot are within a factor of two, as
            // neighbouring quotes are.
            boolean constant = run >= period;
            if (kind == MEAN_STD) {
                if (meanOut != null) {
                    meanOut[t] = constant ? last : pivot + s1 * inv;
                }
                if (out != null) {
                    out[t] = constant ? 0.0 : std(x, t, period, inv, s1, s2, scale);
                }
            } else if (kind == Z_SCORE) {
                out[t] = constant ? neutral : ((v - pivot) - s1 * inv) / std(x, t, period, inv, s1, s2, scale);
            } else if (constant) {
                out[t] = neutral;
            } else {
                // (x - dn) / (up - dn) with dn = mid - k sd, up = mid + k sd, written as
                // (x - mid + k sd) / (2 k sd) so that x - mid keeps its digits next to the level
                double sd = std(x, t, period, inv, s1, s2, scale);
                out[t] = (((v - pivot) - s1 * inv) + k * sd) / (2 * k * sd);
            }
        }
    }

    /**
     * The deviation of a window that is not constant: {@code sqrt(m2 * scale)} with m2 the squared
     * deviations from the sums, or recomputed from the window if they cancelled to nothing.
     */
    private static double std(double[] x, int t, int period, double inv, double s1, double s2, double scale) {
        double m2 = s2 - s1 * s1 * inv;
        if (!(m2 > 0)) {
            m2 = Kernels.exactSquaredDeviations(x, t - period + 1, t + 1);
        }
        return Math.sqrt(m2 * scale);
    }
}
