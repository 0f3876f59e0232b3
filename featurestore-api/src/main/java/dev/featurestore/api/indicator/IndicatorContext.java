package dev.featurestore.api.indicator;

import java.util.function.Function;

/**
 * What an {@link Indicator} sees while it computes: the candle columns of one series, the values
 * of other features, and a per-computation cache for intermediate columns that several features
 * share (an EMA, a rolling maximum).
 *
 * <p>Read the arrays returned, never write into them. The built-in features read the series' own
 * columns without a copy; the features of every other provider get copies, made once per feature
 * and column they read (a column costs 8 bytes a row), so a provider that writes into what it is
 * given changes only its own copy, never the series, another feature's values or the result.
 * {@link #claim(String)} hands such a provider only the output columns of features that are not
 * built in.
 */
public interface IndicatorContext {

    /** {@return the number of rows, the length of every column} */
    int size();

    /** {@return the candle open times, epoch ms UTC, oldest first} */
    long[] ts();

    /** {@return the candle open prices, one a row} */
    double[] open();

    /** {@return the candle high prices, one a row} */
    double[] high();

    /** {@return the candle low prices, one a row} */
    double[] low();

    /** {@return the candle close prices, one a row} */
    double[] close();

    /** {@return the candle volumes, one a row} */
    double[] volume();

    /**
     * The values of another feature over the same rows, computed once per computation. Lets a
     * feature build on another ({@code macd_signal} on {@code macd_line}) without computing it twice.
     *
     * @param name the other feature's name, e.g. {@code macd_line}
     * @return its {@link #size()} values, NaN where it is undefined; read, never write
     * @throws dev.featurestore.api.FeatureStoreException when no provider defines the feature, or
     *     when features depend on each other in a cycle
     */
    double[] feature(String name);

    /**
     * An intermediate column under a key of the caller's choosing, computed by {@code compute} the
     * first time it is asked for in this computation and cached until the computation ends.
     * Keys should name the computation fully, e.g. {@code "ema(close,12)"}.
     *
     * @param key names the intermediate column, e.g. {@code "ema(close,12)"}
     * @param compute makes the column, {@link #size()} values, from this context; called at most
     *     once per key and computation
     * @return the cached column; read, never write
     */
    double[] shared(String key, Function<IndicatorContext, double[]> compute);

    /**
     * The output column of another feature of this computation, handed over so that one pass can
     * compute several related features (the caller then fills it, every row, with exactly what
     * that feature's own indicator would write, NaN before its first defined row). Returns null
     * when that feature is not among the outputs, or is already computed or being computed; the
     * caller then computes only its own feature. A feature claimed here is not computed again.
     *
     * <p>The default returns null: a context need not support it.
     *
     * @param feature the other feature's name
     * @return its output column of {@link #size()} values for the caller to fill, or null
     */
    default double[] claim(String feature) {
        return null;
    }
}
