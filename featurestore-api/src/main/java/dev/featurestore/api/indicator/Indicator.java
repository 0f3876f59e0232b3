package dev.featurestore.api.indicator;

import dev.featurestore.api.FeatureKind;
import java.util.List;
import java.util.Map;

/**
 * One feature a feature set can name: what it is called, what it reads, from which row it is
 * defined, and how to compute it over a whole series at once.
 *
 * <p>Implementations are stateless and thread-safe: {@link #compute} reads primitive columns from
 * the context and writes one value per row into {@code out}, with no object per value. A value
 * must depend only on rows at or before its own (no look-ahead), and rows before
 * {@link #firstDefinedRow()} must be NaN.
 */
public interface Indicator {

    /**
     * An indicator from its parts, the usual way to write one:
     *
     * <pre>{@code
     * Indicator.define("my_indicator_10", FeatureKind.NUMERIC, List.of("close"), Map.of("period", 10), 9,
     *         "close over its 10-row maximum", (ctx, out) -> { ... });
     * }</pre>
     *
     * @param name the feature name: a lower-case letter, then lower-case letters, digits or
     *     underscores, at most 63 in all; not null
     * @param kind numeric or categorical; not null
     * @param inputs the candle columns read, each one of {@code open, high, low, close, volume}
     * @param parameters the parameters, for documentation and records, e.g. {@code {period=10}};
     *     not null, without null keys or values
     * @param firstDefinedRow the first 0-based row on which the value is defined, 0 or more
     * @param description one line saying what the feature is, or null to use the name
     * @param function the computation; not null
     * @return an indicator holding copies of {@code inputs} and {@code parameters}
     * @throws IllegalArgumentException for a bad name, an unknown input or a negative first row
     * @throws NullPointerException when an argument other than {@code description} is null
     */
    static Indicator define(String name, FeatureKind kind, List<String> inputs, Map<String, Object> parameters,
            int firstDefinedRow, String description, IndicatorFunction function) {
        return new DefinedIndicator(name, kind, inputs, parameters, firstDefinedRow, description, function);
    }

    /**
     * {@return the feature name used in registry files, e.g. {@code rsi_14}: lower case, digits,
     * underscores}
     */
    String name();

    /** {@return whether the feature is numeric or categorical} */
    FeatureKind kind();

    /** {@return the candle columns read: any of {@code open, high, low, close, volume}} */
    List<String> inputs();

    /** {@return the parameters, for documentation and records, e.g. {@code {period=14}}} */
    Map<String, Object> parameters();

    /** {@return the first 0-based row on which the value is defined (its warm-up), 0 or more} */
    int firstDefinedRow();

    /** {@return one line saying what the feature is; by default its name} */
    default String description() {
        return name();
    }

    /**
     * Computes the feature for every row of the context's series.
     *
     * @param ctx the series and the other features' values
     * @param out an array of {@link IndicatorContext#size()} values to fill; NaN where undefined
     */
    void compute(IndicatorContext ctx, double[] out);
}
