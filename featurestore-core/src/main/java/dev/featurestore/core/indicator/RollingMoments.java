package dev.featurestore.core.indicator;

/**
 * The state of a rolling mean and standard deviation over the last {@code period} values of a
 * column, advanced one row at a time: a handful of numbers, so it can be carried from a batch
 * pass into a stream.
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
 * ({@link #deviation(double)}), so they keep their digits when they are small next to the level.
 * Whether a rebuild happens depends only on the rows up to the current one, so a prefix of a
 * series gives bit-identical values to the whole series.
 */
final class RollingMoments {
    /** Rows between rebuilds of the sums from the window (at least one window). */
    private static final int REBUILD_EVERY = 64;
    /**
     * Rebuild when the squared deviations fall below this fraction of the largest sum of squares
     * since the last rebuild: the rounding of 64 updates is at most a few 1e-14 of that sum, so
     * the squared deviations keep a relative error below about 1e-10.
     */
    private static final double CANCELLATION = 1e-3;

    private final int period;
    private final double inv;
    private final double invNm1;
    private final int start;
    private double pivot;
    private double s1;
    private double s2;
    private long peakBits;
    private int run;
    private int untilRebuild;
    private double last;

    /**
     * @param start the first row on which the input is defined
     */
    RollingMoments(int period, int start) {
        this.period = period;
        this.inv = 1.0 / period;
        this.invNm1 = 1.0 / (period - 1);
        this.start = start;
    }

    /**
     * Advances to row {@code t}; rows must come in order from {@code start}. Once
     * {@code t >= start + period - 1} the window {@code x[t-period+1..t]} is full.
     */
    void advance(double[] x, int t) {
        double v = x[t];
        // run + 1 after an equal value, else 1; written as arithmetic so that no branch depends
        // on the data (equal neighbours are common in tick-rounded prices).
        int equal = (t > start) & (v == last) ? 1 : 0;
        run = 1 + equal * run;
        last = v;
        if (t < start + period - 1) {
            return;
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
        // One call site, so the JIT inlines it and keeps this object's fields in registers.
        if (rebuild) {
            rebuild(x, t);
        }
        untilRebuild--;
    }

    private void rebuild(double[] x, int t) {
        pivot = x[t];
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

    /** True when every value in the window is the same. */
    boolean isConstant() {
        return run >= period;
    }

    /** The mean of the window. */
    double mean() {
        return run >= period ? last : pivot + s1 * inv;
    }

    /**
     * {@code v - mean()} for a value {@code v} of the window, without rounding the mean to the
     * level first: {@code (v - pivot) - s1 / period}, where {@code v - pivot} is exact whenever v
     * and the pivot are within a factor of two, as neighbouring quotes are. Exactly 0 for a
     * constant window.
     */
    double deviation(double v) {
        return run >= period ? 0.0 : (v - pivot) - s1 * inv;
    }

    /**
     * The standard deviation of the window with divisor {@code period - ddof} (1 for the sample
     * deviation, 0 for the population one); exactly 0 for a constant window.
     */
    double std(double[] x, int t, int ddof) {
        if (run >= period) {
            return 0.0;
        }
        double m2 = s2 - s1 * s1 * inv;
        if (!(m2 > 0)) {
            m2 = Kernels.exactSquaredDeviations(x, t - period + 1, t + 1);
        }
        return Math.sqrt(m2 * (ddof == 0 ? inv : invNm1));
    }
}
