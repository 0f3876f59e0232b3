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

    /** {@link #streamTail()} of a feature whose value may depend on every row before it. */
    int WHOLE_HISTORY = Integer.MAX_VALUE;

    /**
     * How many of the most recent rows, the current one included, determine this feature's value,
     * for a stream that takes one candle at a time: it keeps that many candles and, on each new
     * row, recomputes the feature over them with {@link #compute} and takes the last value. A
     * value over that tail must equal the value over the whole series, bit for bit, and a value
     * must not depend on the row's absolute index once the tail is full: true of a feature over a
     * fixed window of {@code n} rows (tail {@code n}), never of a recursive one (an EMA).
     *
     * <p>The default, {@link #WHOLE_HISTORY}, is always exact: the stream keeps every candle and
     * recomputes over all of them (O(n) per row). Declare the tail with {@link #withStreamTail(int)}
     * to make a windowed feature O(tail) per row. The built-in features keep explicit state instead
     * and do not use this.
     *
     * @return the number of rows, at least {@code firstDefinedRow() + 1}, or {@link #WHOLE_HISTORY}
     */
    default int streamTail() {
        return WHOLE_HISTORY;
    }

    /**
     * This indicator with a declared {@link #streamTail()}; everything else is delegated unchanged.
     *
     * <pre>{@code
     * Indicator.define("my_indicator_10", ...).withStreamTail(10); // reads the last 10 rows only
     * }</pre>
     *
     * @param rows the number of most recent rows that determine a value, at least
     *     {@code firstDefinedRow() + 1}
     * @return an indicator that is this one, with that tail
     * @throws IllegalArgumentException when {@code rows} is below {@code firstDefinedRow() + 1}
     */
    default Indicator withStreamTail(int rows) {
        return new TailedIndicator(this, rows);
    }
}
