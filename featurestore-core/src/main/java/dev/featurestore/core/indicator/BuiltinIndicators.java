package dev.featurestore.core.indicator;

import static dev.featurestore.api.FeatureKind.CATEGORICAL;
import static dev.featurestore.api.FeatureKind.NUMERIC;

import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.indicator.IndicatorContext;
import dev.featurestore.api.indicator.IndicatorFunction;
import dev.featurestore.api.indicator.IndicatorProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The built-in features of {@code tech_v1} and {@code tech_v2}, exactly as the feature
 * definitions give them (conventions, neutral values, first defined rows). Registered with
 * {@link java.util.ServiceLoader} like any other provider.
 */
public final class BuiltinIndicators implements IndicatorProvider {
    private static final List<String> C = List.of("close");
    private static final List<String> OC = List.of("open", "close");
    private static final List<String> HLC = List.of("high", "low", "close");
    private static final List<String> OHLC = List.of("open", "high", "low", "close");

    /** The provider, as {@link java.util.ServiceLoader} creates it. */
    public BuiltinIndicators() {
    }

    /*
     * Features that share their work are computed in one pass, by one kernel with an output per
     * member, filling those the computation asks for: the MACD family shares its EMAs, RSI and
     * ATR overlap their recurrences, the two engulfing patterns read open and close once, and the
     * price position, %K and %D share their range extremes when the SIMD kernels run, and so do
     * the return and the candle shapes their reads of the candle columns. (Simple
     * ratios stay one loop each: the JIT vectorises those, not a loop that does several.) A
     * feature's values are the same bits whichever members are asked for.
     */
    private static final FeatureGroup ENGULFING = new FeatureGroup(List.of("bullish_engulfing", "bearish_engulfing"),
            (ctx, outs) -> engulfing(ctx.open(), ctx.close(), outs[0], outs[1]));
    private static final FeatureGroup MACD = new FeatureGroup(List.of("ema_ratio_12_26", "macd_line", "macd_signal",
            "macd_hist"), (ctx, outs) -> Kernels.macd(ctx.close(), 12, 26, 9, outs[0], outs[1], outs[2], outs[3]));
    private static final FeatureGroup WILDER = new FeatureGroup(List.of("rsi_14", "atr_14"),
            (ctx, outs) -> wilder(ctx.high(), ctx.low(), ctx.close(), 14, outs[0], outs[1]));
    private static final FeatureGroup RANGES = new FeatureGroup(List.of("price_position_20", "stoch_k_14",
            "stoch_d_3"), (ctx, outs) -> rangeFamily(ctx.high(), ctx.low(), ctx.close(), outs[0], outs[1], outs[2]));
    private static final FeatureGroup SHAPES = new FeatureGroup(List.of("return_1", "intraday_range_pct",
            "candle_body_pct", "upper_shadow_pct", "lower_shadow_pct"),
            (ctx, outs) -> shapes(ctx.open(), ctx.high(), ctx.low(), ctx.close(), outs[0], outs[1], outs[2], outs[3],
                    outs[4]));
    /** The SIMD kernels when the JVM has the Vector API, else null. */
    private static final Accelerated ACCELERATED = Accelerated.load();

    private static final List<Indicator> ALL = List.of(
            numeric("return_1", C, Map.of(), 1, "c[t]/c[t-1] - 1",
                    (ctx, out) -> SHAPES.compute(ctx, "return_1", out)),
            numeric("sma_ratio_5_20", C, Map.of("fast", 5, "slow", 20), 19, "SMA_5(close) / SMA_20(close)",
                    BuiltinIndicators::smaRatio),
            numeric("ema_ratio_12_26", C, Map.of("fast", 12, "slow", 26), 25, "EMA_12(close) / EMA_26(close)",
                    (ctx, out) -> MACD.compute(ctx, "ema_ratio_12_26", out)),
            numeric("macd_line", C, Map.of("fast", 12, "slow", 26), 25, "EMA_12(close) - EMA_26(close)",
                    (ctx, out) -> MACD.compute(ctx, "macd_line", out)),
            numeric("macd_signal", C, Map.of("fast", 12, "slow", 26, "signal", 9), 33, "EMA_9(macd_line)",
                    (ctx, out) -> MACD.compute(ctx, "macd_signal", out)),
            numeric("macd_hist", C, Map.of("fast", 12, "slow", 26, "signal", 9), 33, "macd_line - macd_signal",
                    (ctx, out) -> MACD.compute(ctx, "macd_hist", out)),
            numeric("rsi_14", C, Map.of("period", 14), 14, "Wilder RSI(14), 50 when flat",
                    (ctx, out) -> WILDER.compute(ctx, "rsi_14", out)),
            numeric("volatility_20", C, Map.of("period", 20), 20, "sample std of return_1 over 20 rows",
                    (ctx, out) -> Kernels.rollingMeanStd(ctx.feature("return_1"), 1, 20, 1, null, out)),
            numeric("atr_14", HLC, Map.of("period", 14), 14, "Wilder average true range(14)",
                    (ctx, out) -> WILDER.compute(ctx, "atr_14", out)),
            numeric("volume_zscore_20", List.of("volume"), Map.of("period", 20), 19,
                    "(v - SMA_20(v)) / STD_20(v), 0 when the std is 0", BuiltinIndicators::volumeZscore),
            numeric("price_position_20", HLC, Map.of("period", 20), 19,
                    "(c - LL_20) / (HH_20 - LL_20), 0.5 when HH = LL",
                    (ctx, out) -> RANGES.compute(ctx, "price_position_20", out)),
            numeric("intraday_range_pct", HLC, Map.of(), 0, "(h - l) / c",
                    (ctx, out) -> SHAPES.compute(ctx, "intraday_range_pct", out)),
            numeric("candle_body_pct", OHLC, Map.of(), 0, "(c - o) / (h - l), 0 when h = l",
                    (ctx, out) -> SHAPES.compute(ctx, "candle_body_pct", out)),
            numeric("upper_shadow_pct", OHLC, Map.of(), 0, "(h - max(o,c)) / (h - l), 0 when h = l",
                    (ctx, out) -> SHAPES.compute(ctx, "upper_shadow_pct", out)),
            numeric("lower_shadow_pct", OHLC, Map.of(), 0, "(min(o,c) - l) / (h - l), 0 when h = l",
                    (ctx, out) -> SHAPES.compute(ctx, "lower_shadow_pct", out)),
            Indicator.define("bullish_engulfing", CATEGORICAL, OC, Map.of(), 1, "bullish engulfing pattern, 0 or 1",
                    (ctx, out) -> ENGULFING.compute(ctx, "bullish_engulfing", out)),
            Indicator.define("bearish_engulfing", CATEGORICAL, OC, Map.of(), 1, "bearish engulfing pattern, 0 or 1",
                    (ctx, out) -> ENGULFING.compute(ctx, "bearish_engulfing", out)),
            numeric("bollinger_band_pct", C, Map.of("period", 20, "k", 2), 19,
                    "Bollinger %B(20, 2) with the population std, 0.5 when the std is 0",
                    BuiltinIndicators::bollingerPct),
            numeric("stoch_k_14", HLC, Map.of("period", 14), 13, "100 (c - LL_14) / (HH_14 - LL_14), 50 when HH = LL",
                    (ctx, out) -> RANGES.compute(ctx, "stoch_k_14", out)),
            numeric("stoch_d_3", HLC, Map.of("period", 14, "smooth", 3), 15, "SMA_3(stoch_k_14)",
                    (ctx, out) -> RANGES.compute(ctx, "stoch_d_3", out)));

    /**
     * The version of the built-in formulas, part of the fingerprint of every feature set naming a
     * built-in feature. Raise it with any change that alters a built-in feature's values (a
     * formula, a neutral value, a warm-up); a change that keeps every value bit for bit (a faster
     * kernel) keeps it.
     */
    public static final String DEFINITION_VERSION = "1";

    @Override
    public List<Indicator> indicators() {
        return ALL;
    }

    /** {@value #DEFINITION_VERSION}: see {@link #DEFINITION_VERSION}. */
    @Override
    public String definitionVersion() {
        return DEFINITION_VERSION;
    }

    private static Indicator numeric(String name, List<String> inputs, Map<String, Object> params, int first,
            String description, IndicatorFunction f) {
        return Indicator.define(name, NUMERIC, inputs, params, first, description, f);
    }


    private static void smaRatio(IndicatorContext ctx, double[] out) {
        Kernels.smaRatio(ctx.close(), 5, 20, out);
    }

    private static double rsiValue(double ag, double al) {
        double sum = ag + al;
        // 100 * (AG / sum): the quotient is at most 1, so the value never exceeds 100 by a rounding
        return sum == 0 ? 50.0 : 100 * (ag / sum);
    }

    private static double trueRange(double h, double l, double prevClose) {
        return Math.max(h - l, Math.max(Math.abs(h - prevClose), Math.abs(l - prevClose)));
    }

    private static void volumeZscore(IndicatorContext ctx, double[] out) {
        Kernels.zScore(ctx.volume(), 0, 20, 0.0, out);
    }

    private static void bollingerPct(IndicatorContext ctx, double[] out) {
        Kernels.bollingerPercentB(ctx.close(), 20, 2.0, 0.5, out);
    }

    /**
     * The return and the four candle-shape columns; any output may be null. With the SIMD kernels
     * and all five wanted, one pass reads the candle columns once and writes all five.
     */
    static void shapes(double[] o, double[] h, double[] l, double[] c, double[] ret, double[] range, double[] body,
            double[] upper, double[] lower) {
        if (ACCELERATED != null && ret != null && range != null && body != null && upper != null && lower != null) {
            ACCELERATED.shapes(o, h, l, c, ret, range, body, upper, lower);
            return;
        }
        int n = c.length;
        if (ret != null) {
            Kernels.simpleReturn(c, ret);
        }
        if (range != null) {
            intradayRange(h, l, c, range, 0, n);
        }
        if (body != null) {
            candleBody(o, h, l, c, body, 0, n);
        }
        if (upper != null) {
            upperShadow(o, h, l, c, upper, 0, n);
        }
        if (lower != null) {
            lowerShadow(o, h, l, c, lower, 0, n);
        }
    }

    /** {@code (h - l) / c} on rows {@code [from, to)}. */
    static void intradayRange(double[] h, double[] l, double[] c, double[] out, int from, int to) {
        for (int t = from; t < to; t++) {
            out[t] = (h[t] - l[t]) / c[t];
        }
    }

    // Candle shape ratios. When h == l the candle is flat (validation guarantees
    // l <= min(o,c) <= max(o,c) <= h), so every numerator below is exactly +0.0, and dividing it by
    // Double.MIN_VALUE gives the neutral 0 the definitions ask for; when h > l the difference is at
    // least Double.MIN_VALUE, so max() leaves it unchanged. No branch: the loops vectorise.

    /** {@code (c - o) / (h - l)} on rows {@code [from, to)}, 0 when h = l. */
    static void candleBody(double[] o, double[] h, double[] l, double[] c, double[] out, int from, int to) {
        for (int t = from; t < to; t++) {
            out[t] = (c[t] - o[t]) / Math.max(h[t] - l[t], Double.MIN_VALUE);
        }
    }

    /** {@code (h - max(o, c)) / (h - l)} on rows {@code [from, to)}, 0 when h = l. */
    static void upperShadow(double[] o, double[] h, double[] l, double[] c, double[] out, int from, int to) {
        for (int t = from; t < to; t++) {
            out[t] = (h[t] - Math.max(o[t], c[t])) / Math.max(h[t] - l[t], Double.MIN_VALUE);
        }
    }

    /** {@code (min(o, c) - l) / (h - l)} on rows {@code [from, to)}, 0 when h = l. */
    static void lowerShadow(double[] o, double[] h, double[] l, double[] c, double[] out, int from, int to) {
        for (int t = from; t < to; t++) {
            out[t] = (Math.min(o[t], c[t]) - l[t]) / Math.max(h[t] - l[t], Double.MIN_VALUE);
        }
    }

    /** 1 when the double with bits {@code a} is below the one with bits {@code b} (both finite, > 0), else 0. */
    private static long lt(long a, long b) {
        return (a - b) >>> 63;
    }

    /**
     * The range family in one call: the price position (20 rows), %K (14) and %D (the mean of
     * three %K); any output may be null. %D needs %K, computed into a scratch column when %K itself
     * is not wanted.
     */
    static void rangeFamily(double[] h, double[] l, double[] c, double[] position, double[] k, double[] d) {
        if (d != null && k == null) {
            k = new double[c.length];
        }
        if (ACCELERATED != null) {
            ACCELERATED.rangeFamily(h, l, c, position, k, d);
            return;
        }
        if (position != null) {
            Kernels.rangePosition(h, l, c, 20, 1.0, 0.5, position);
        }
        if (k != null) {
            Kernels.rangePosition(h, l, c, 14, 100.0, 50.0, k);
        }
        if (d != null) {
            Arrays.fill(d, 0, Math.min(15, d.length), Double.NaN);
            stochD(k, d, 15, d.length);
        }
    }

    /** %D, the mean of the last three %K, on rows {@code [from, to)}, {@code from >= 2}. */
    static void stochD(double[] k, double[] d, int from, int to) {
        for (int t = from; t < to; t++) {
            d[t] = (k[t - 2] + k[t - 1] + k[t]) / 3;
        }
    }

    /** {@return the names of the built-in features, in definition order, e.g. {@code return_1}} */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Indicator i : ALL) {
            names.add(i.name());
        }
        return names;
    }

    /**
     * Tells a built-in indicator from one of a provider.
     *
     * @param indicator any indicator
     * @return true when it is one of the built-in instances (which never leave a NaN after their
     *     warm-up), false for any other, even one of the same name
     */
    public static boolean isBuiltin(Indicator indicator) {
        for (Indicator i : ALL) {
            if (i == indicator) {
                return true;
            }
        }
        return false;
    }

    // ---- feature groups: the single-feature dispatch and the fused passes ----

    /**
     * Wilder's RSI and ATR of {@code period} in one pass (three independent recurrences over the
     * same rows); either output may be null. RSI: gains and losses from row 1, seeded with their
     * means over rows 1..period, {@code 100 * AG / (AG + AL)}, 50 when both are 0. ATR: the true
     * range from row 1, seeded with its mean over rows 1..period. Both defined from row {@code period}.
     */
    static void wilder(double[] h, double[] l, double[] c, int period, double[] rsiOut, double[] atrOut) {
        int n = c.length;
        if (rsiOut != null) {
            Arrays.fill(rsiOut, 0, Math.min(period, n), Double.NaN);
        }
        if (atrOut != null) {
            Arrays.fill(atrOut, 0, Math.min(period, n), Double.NaN);
        }
        if (period >= n) {
            return;
        }
        double sumGain = 0;
        double sumLoss = 0;
        double sumTr = 0;
        for (int t = 1; t <= period; t++) {
            double d = c[t] - c[t - 1];
            sumGain += Math.max(d, 0);
            sumLoss += Math.max(-d, 0);
            sumTr += trueRange(h[t], l[t], c[t - 1]);
        }
        double ag = sumGain / period;
        double al = sumLoss / period;
        double atr = sumTr / period;
        if (rsiOut != null) {
            rsiOut[period] = rsiValue(ag, al);
        }
        if (atrOut != null) {
            atrOut[period] = atr;
        }
        double k = Kernels.wilderFactor(period);
        double q = 1 - k;
        for (int t = period + 1; t < n; t++) {
            double prev = c[t - 1];
            double d = c[t] - prev;
            ag = k * Math.max(d, 0) + q * ag;
            al = k * Math.max(-d, 0) + q * al;
            atr = k * trueRange(h[t], l[t], prev) + q * atr;
            if (rsiOut != null) {
                rsiOut[t] = rsiValue(ag, al);
            }
            if (atrOut != null) {
                atrOut[t] = atr;
            }
        }
    }

    // The engulfing patterns compare prices through their bit patterns: for finite doubles > 0
    // (which CandleSeries guarantees) the order of Double.doubleToRawLongBits is the order of the
    // values, so "a < b" is the sign bit of bits(a) - bits(b). Exact, and free of branches that
    // the data would make unpredictable.

    /** Both engulfing patterns in one pass over open and close; either output may be null. */
    static void engulfing(double[] o, double[] c, double[] bull, double[] bear) {
        int n = c.length;
        if (n == 0) {
            return;
        }
        if (bull != null) {
            bull[0] = Double.NaN;
        }
        if (bear != null) {
            bear[0] = Double.NaN;
        }
        if (ACCELERATED != null) {
            ACCELERATED.engulfing(o, c, bull, bear);
        } else {
            engulfingRows(o, c, bull, bear, 1, n);
        }
    }

    /** Rows {@code [from, to)} of both engulfing patterns, {@code from >= 1}; either output may be null. */
    static void engulfingRows(double[] o, double[] c, double[] bull, double[] bear, int from, int to) {
        for (int t = from; t < to; t++) {
            long po = Double.doubleToRawLongBits(o[t - 1]);
            long pc = Double.doubleToRawLongBits(c[t - 1]);
            long ot = Double.doubleToRawLongBits(o[t]);
            long ct = Double.doubleToRawLongBits(c[t]);
            // ct > ot (bullish) follows from ot <= pc < po <= ct, and ct < ot (bearish) from
            // ct <= po < pc <= ot, so neither is tested
            if (bull != null) {
                // pc < po, ot <= pc, ct >= po, (ot < pc or ct > po)
                bull[t] = lt(pc, po) & (lt(pc, ot) ^ 1) & (lt(ct, po) ^ 1) & (lt(ot, pc) | lt(po, ct));
            }
            if (bear != null) {
                // pc > po, ot >= pc, ct <= po, (ot > pc or ct < po)
                bear[t] = lt(po, pc) & (lt(ot, pc) ^ 1) & (lt(po, ct) ^ 1) & (lt(pc, ot) | lt(ct, po));
            }
        }
    }
}
