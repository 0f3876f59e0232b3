package dev.featurestore.core.quality;

import java.util.Map;

/**
 * The values a feature can take by its definition: {@code [min, max]} (either end may be
 * infinite), or, when {@code integral}, the whole numbers in it (the 0/1 candle patterns).
 * {@link #builtin(String)} holds the table of the built-in features; features without a range
 * (MACD, z-scores, Bollinger %B, custom features) are not range-checked.
 *
 * <p>A value is accepted within a tolerance of 1e-9 x max(1, |bound|), so that a rolling mean
 * whose inputs are all 100 is not reported at 100.00000000000001.
 *
 * @param min the least valid value
 * @param max the greatest valid value
 * @param integral whether only whole numbers are valid
 */
public record ValidRange(double min, double max, boolean integral) {
    private static final double TOLERANCE = 1e-9;

    private static final Map<String, ValidRange> BUILTIN = Map.ofEntries(
            Map.entry("return_1", new ValidRange(-1, Double.POSITIVE_INFINITY, false)),
            Map.entry("sma_ratio_5_20", new ValidRange(0, Double.POSITIVE_INFINITY, false)),
            Map.entry("ema_ratio_12_26", new ValidRange(0, Double.POSITIVE_INFINITY, false)),
            Map.entry("rsi_14", new ValidRange(0, 100, false)),
            Map.entry("volatility_20", new ValidRange(0, Double.POSITIVE_INFINITY, false)),
            Map.entry("atr_14", new ValidRange(0, Double.POSITIVE_INFINITY, false)),
            Map.entry("price_position_20", new ValidRange(0, 1, false)),
            Map.entry("intraday_range_pct", new ValidRange(0, Double.POSITIVE_INFINITY, false)),
            Map.entry("candle_body_pct", new ValidRange(-1, 1, false)),
            Map.entry("upper_shadow_pct", new ValidRange(0, 1, false)),
            Map.entry("lower_shadow_pct", new ValidRange(0, 1, false)),
            Map.entry("bullish_engulfing", new ValidRange(0, 1, true)),
            Map.entry("bearish_engulfing", new ValidRange(0, 1, true)),
            Map.entry("stoch_k_14", new ValidRange(0, 100, false)),
            Map.entry("stoch_d_3", new ValidRange(0, 100, false)));

    /**
     * Checks the bounds.
     *
     * @param min the least valid value, may be negative infinity
     * @param max the greatest valid value, may be positive infinity
     * @param integral whether only whole numbers are valid
     * @throws IllegalArgumentException when a bound is NaN or {@code min > max}
     */
    public ValidRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
        }
    }

    /**
     * The range of a built-in feature.
     *
     * @param feature the feature's name, e.g. {@code rsi_14}
     * @return its range, or null when it has none (or is not built in)
     */
    public static ValidRange builtin(String feature) {
        return BUILTIN.get(feature);
    }

    /** {@return all built-in ranges by feature name; unmodifiable} */
    public static Map<String, ValidRange> builtins() {
        return BUILTIN;
    }

    /**
     * Whether a finite value is valid (NaN and infinities are counted apart, as non-finite).
     *
     * @param v a finite feature value
     * @return true when it lies in {@code [min, max]} within the tolerance and, when {@code integral},
     *     is a whole number
     */
    public boolean contains(double v) {
        if (v < min - TOLERANCE * Math.max(1, Math.abs(min)) || v > max + TOLERANCE * Math.max(1, Math.abs(max))) {
            return false;
        }
        return !integral || v == Math.rint(v);
    }

    @Override
    public String toString() {
        return integral ? "whole numbers in [" + fmt(min) + ", " + fmt(max) + "]" : "[" + fmt(min) + ", " + fmt(max) + "]";
    }

    private static String fmt(double d) {
        return d == Double.POSITIVE_INFINITY ? "inf" : d == Double.NEGATIVE_INFINITY ? "-inf"
                : d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
