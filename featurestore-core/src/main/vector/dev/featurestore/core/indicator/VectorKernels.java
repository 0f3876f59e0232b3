package dev.featurestore.core.indicator;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link Accelerated} kernels, written with the incubating Vector API. Compiled apart from
 * the rest of the module (it needs {@code --add-modules jdk.incubator.vector}) and loaded by
 * reflection only when the JVM has that module.
 *
 * <p>Range extremes: each lane scans its whole window (14 loads and maxima for %K, 6 more for the
 * 20-row price position), on the prices' bits: for the finite doubles &gt; 0 a
 * {@code CandleSeries} holds, the order of the raw bits as signed longs is the order of the
 * values, and a long maximum is one instruction, without the NaN and -0.0 handling of
 * {@code Math.max}. Maxima and minima are exact, so the values are those of the scalar van Herk
 * kernel, bit for bit; the quotients are the same operations in the same order.
 */
final class VectorKernels implements Accelerated {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int K_PERIOD = 14;
    private static final int POSITION_PERIOD = 20;
    /** Rows per pass: %D then reads the %K just written from the cache. */
    private static final int CHUNK = 8192;

    /** Reflection only; see {@link Accelerated#load()}. */
    VectorKernels() {
    }

    @Override
    public void rangeFamily(double[] high, double[] low, double[] close, double[] position, double[] k, double[] d) {
        int n = close.length;
        if (k == null && position == null) {
            return;
        }
        // The rows before every window is full, one at a time: %D from row 15 reads %K two rows back.
        int head = Math.min(n, POSITION_PERIOD + 1);
        for (int t = 0; t < head; t++) {
            if (k != null) {
                k[t] = t < K_PERIOD - 1 ? Double.NaN : scan(high, low, close, t, K_PERIOD, 100.0, 50.0);
            }
            if (position != null) {
                position[t] = t < POSITION_PERIOD - 1 ? Double.NaN
                        : scan(high, low, close, t, POSITION_PERIOD, 1.0, 0.5);
            }
        }
        if (d != null) {
            Arrays.fill(d, 0, Math.min(15, n), Double.NaN);
            BuiltinIndicators.stochD(k, d, 15, head);
        }
        for (int from = head; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            int bound = from + SPECIES.loopBound(to - from);
            // One loop per combination of outputs: no branch around vector code, which the JIT
            // would otherwise compile with the vectors boxed once both ways have been taken.
            if (position == null) {
                windowRows(high, low, close, k, K_PERIOD, 100.0, 50.0, from, bound);
            } else if (k == null) {
                windowRows(high, low, close, position, POSITION_PERIOD, 1.0, 0.5, from, bound);
            } else {
                bothRows(high, low, close, position, k, from, bound);
            }
            int t = bound;
            for (; t < to; t++) {
                if (k != null) {
                    k[t] = scan(high, low, close, t, K_PERIOD, 100.0, 50.0);
                }
                if (position != null) {
                    position[t] = scan(high, low, close, t, POSITION_PERIOD, 1.0, 0.5);
                }
            }
            if (d != null) {
                meanRows(k, d, from, bound);
                BuiltinIndicators.stochD(k, d, bound, to);
            }
        }
    }

    @Override
    public void engulfing(double[] open, double[] close, double[] bullish, double[] bearish) {
        int n = close.length;
        if (n < 2) {
            return;
        }
        int bound = 1 + SPECIES.loopBound(n - 1);
        // one pass per pattern: no branch around vector code (see rangeFamily)
        if (bullish != null) {
            bullishRows(open, close, bullish, bound, 1.0);
        }
        if (bearish != null) {
            // the bearish pattern is the bullish one of the negated prices
            bullishRows(open, close, bearish, bound, -1.0);
        }
        BuiltinIndicators.engulfingRows(open, close, bullish, bearish, bound, n);
    }

    /**
     * The bullish engulfing pattern of {@code sign} times the prices on rows {@code [1, bound)}:
     * pc < po, ot <= pc, ct >= po, (ot < pc or ct > po). Negating is exact, and with sign -1 every
     * comparison turns round into the bearish pattern's.
     */
    private static void bullishRows(double[] open, double[] close, double[] out, int bound, double sign) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (int t = 1; t < bound; t += SPECIES.length()) {
            DoubleVector po = DoubleVector.fromArray(SPECIES, open, t - 1).mul(sign);
            DoubleVector pc = DoubleVector.fromArray(SPECIES, close, t - 1).mul(sign);
            DoubleVector ot = DoubleVector.fromArray(SPECIES, open, t).mul(sign);
            DoubleVector ct = DoubleVector.fromArray(SPECIES, close, t).mul(sign);
            VectorMask<Double> bull = pc.compare(VectorOperators.LT, po).and(ot.compare(VectorOperators.LE, pc))
                    .and(ct.compare(VectorOperators.GE, po))
                    .and(ot.compare(VectorOperators.LT, pc).or(ct.compare(VectorOperators.GT, po)));
            zero.blend(1.0, bull).intoArray(out, t);
        }
    }

    @Override
    public void shapes(double[] open, double[] high, double[] low, double[] close, double[] ret, double[] range,
            double[] body, double[] upper, double[] lower) {
        int n = close.length;
        if (n == 0) {
            return;
        }
        ret[0] = Double.NaN;
        BuiltinIndicators.intradayRange(high, low, close, range, 0, 1);
        BuiltinIndicators.candleBody(open, high, low, close, body, 0, 1);
        BuiltinIndicators.upperShadow(open, high, low, close, upper, 0, 1);
        BuiltinIndicators.lowerShadow(open, high, low, close, lower, 0, 1);
        int bound = 1 + SPECIES.loopBound(n - 1);
        for (int t = 1; t < bound; t += SPECIES.length()) {
            DoubleVector o = DoubleVector.fromArray(SPECIES, open, t);
            DoubleVector h = DoubleVector.fromArray(SPECIES, high, t);
            DoubleVector l = DoubleVector.fromArray(SPECIES, low, t);
            DoubleVector c = DoubleVector.fromArray(SPECIES, close, t);
            c.div(DoubleVector.fromArray(SPECIES, close, t - 1)).sub(1.0).intoArray(ret, t);
            DoubleVector hl = h.sub(l);
            hl.div(c).intoArray(range, t);
            // max(h - l, MIN_VALUE): 0 for a flat candle, whose numerators are all +0.0 (see
            // BuiltinIndicators); lanewise max has Math.max's semantics
            DoubleVector span = hl.max(Double.MIN_VALUE);
            c.sub(o).div(span).intoArray(body, t);
            h.sub(o.max(c)).div(span).intoArray(upper, t);
            o.min(c).sub(l).div(span).intoArray(lower, t);
        }
        for (int t = bound; t < n; t++) {
            ret[t] = close[t] / close[t - 1] - 1;
        }
        BuiltinIndicators.intradayRange(high, low, close, range, bound, n);
        BuiltinIndicators.candleBody(open, high, low, close, body, bound, n);
        BuiltinIndicators.upperShadow(open, high, low, close, upper, bound, n);
        BuiltinIndicators.lowerShadow(open, high, low, close, lower, bound, n);
    }

    /** %D, the mean of three %K, on rows {@code [from, bound)}. */
    private static void meanRows(double[] k, double[] d, int from, int bound) {
        for (int t = from; t < bound; t += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, k, t - 2).add(DoubleVector.fromArray(SPECIES, k, t - 1))
                    .add(DoubleVector.fromArray(SPECIES, k, t)).div(3).intoArray(d, t);
        }
    }

    /** One range feature of {@code period} rows on rows {@code [from, bound)}, a whole number of vectors. */
    private static void windowRows(double[] high, double[] low, double[] close, double[] out, int period,
            double scale, double neutral, int from, int bound) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (int t = from; t < bound; t += SPECIES.length()) {
            DoubleVector hh = DoubleVector.fromArray(SPECIES, high, t);
            DoubleVector ll = DoubleVector.fromArray(SPECIES, low, t);
            for (int j = 1; j < period; j++) {
                hh = max(hh, DoubleVector.fromArray(SPECIES, high, t - j));
                ll = min(ll, DoubleVector.fromArray(SPECIES, low, t - j));
            }
            position(DoubleVector.fromArray(SPECIES, close, t), hh, ll, scale, neutral, zero).intoArray(out, t);
        }
    }

    /** %K and the price position on rows {@code [from, bound)}: the 20-row window extends the 14-row one. */
    private static void bothRows(double[] high, double[] low, double[] close, double[] position, double[] k, int from,
            int bound) {
        DoubleVector zero = DoubleVector.zero(SPECIES);
        for (int t = from; t < bound; t += SPECIES.length()) {
            DoubleVector hh = DoubleVector.fromArray(SPECIES, high, t);
            DoubleVector ll = DoubleVector.fromArray(SPECIES, low, t);
            for (int j = 1; j < K_PERIOD; j++) {
                hh = max(hh, DoubleVector.fromArray(SPECIES, high, t - j));
                ll = min(ll, DoubleVector.fromArray(SPECIES, low, t - j));
            }
            DoubleVector c = DoubleVector.fromArray(SPECIES, close, t);
            position(c, hh, ll, 100.0, 50.0, zero).intoArray(k, t);
            for (int j = K_PERIOD; j < POSITION_PERIOD; j++) {
                hh = max(hh, DoubleVector.fromArray(SPECIES, high, t - j));
                ll = min(ll, DoubleVector.fromArray(SPECIES, low, t - j));
            }
            position(c, hh, ll, 1.0, 0.5, zero).intoArray(position, t);
        }
    }

    /** {@code scale * ((c - ll) / (hh - ll))}, and {@code neutral} where the range is 0. */
    private static DoubleVector position(DoubleVector c, DoubleVector hh, DoubleVector ll, double scale,
            double neutral, DoubleVector zero) {
        DoubleVector range = hh.sub(ll);
        VectorMask<Double> flat = range.compare(VectorOperators.EQ, zero);
        return c.sub(ll).div(range).mul(scale).blend(neutral, flat);
    }

    private static DoubleVector max(DoubleVector a, DoubleVector b) {
        return a.reinterpretAsLongs().max(b.reinterpretAsLongs()).reinterpretAsDoubles();
    }

    private static DoubleVector min(DoubleVector a, DoubleVector b) {
        return a.reinterpretAsLongs().min(b.reinterpretAsLongs()).reinterpretAsDoubles();
    }

    /** One row's value by scanning its window, as the scalar kernel defines it. */
    private static double scan(double[] high, double[] low, double[] close, int t, int period, double scale,
            double neutral) {
        double hh = Double.NEGATIVE_INFINITY;
        double ll = Double.POSITIVE_INFINITY;
        for (int i = t - period + 1; i <= t; i++) {
            hh = Math.max(hh, high[i]);
            ll = Math.min(ll, low[i]);
        }
        double range = hh - ll;
        return range == 0 ? neutral : scale * ((close[t] - ll) / range);
    }
}
