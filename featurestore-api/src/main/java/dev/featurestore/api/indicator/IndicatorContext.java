package dev.featurestore.api.indicator;

import java.util.function.Function;

/**
 * What an {@link Indicator} sees while it computes: the candle columns of one series, the values
 * of other features, and a per-computation cache for intermediate columns that several features
 * share (an EMA, a rolling maximum).
 *
 * <p>The arrays returned are shared: read them, never write into them.
 */
public interface IndicatorContext {

    /** The number of rows. */
    int size();

    /** Candle open times, epoch ms UTC. */
    long[] ts();

    double[] open();

    double[] high();

    double[] low();

    double[] close();

    double[] volume();

    /**
     * The values of another feature over the same rows, computed once per computation. Lets a
     * feature build on another ({@code macd_signal} on {@code macd_line}) without computing it twice.
     *
     * @throws dev.featurestore.api.FeatureStoreException when no provider defines the feature, or
     *     when features depend on each other in a cycle
     */
    double[] feature(String name);

    /**
     * An intermediate column under a key of the caller's choosing, computed by {@code compute} the
     * first time it is asked for in this computation and cached until the computation ends.
     * Keys should name the computation fully, e.g. {@code "ema(close,12)"}.
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
     */
    default double[] claim(String feature) {
        return null;
    }
}
