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
     * @throws IllegalArgumentException for a bad name, an unknown input or a negative first row
     */
    static Indicator define(String name, FeatureKind kind, List<String> inputs, Map<String, Object> parameters,
            int firstDefinedRow, String description, IndicatorFunction function) {
        return new DefinedIndicator(name, kind, inputs, parameters, firstDefinedRow, description, function);
    }

    /** The feature name used in registry files, e.g. {@code rsi_14}. Lower case, digits, underscores. */
    String name();

    /** Numeric or categorical. */
    FeatureKind kind();

    /** The candle columns read: any of {@code open, high, low, close, volume}. */
    List<String> inputs();

    /** The parameters, for documentation and records, e.g. {@code {period=14}}. */
    Map<String, Object> parameters();

    /** The first 0-based row on which the value is defined (its warm-up). */
    int firstDefinedRow();

    /** One line saying what the feature is. */
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
