package dev.featurestore.api.indicator;

/** The computation of one feature: fill {@code out} from the context's columns. */
@FunctionalInterface
public interface IndicatorFunction {
    /**
     * Fills {@code out}, one value per row of the context, NaN where the feature is not defined yet.
     *
     * @param ctx the candle columns and other features of the series
     * @param out the output column, as long as the series
     */
    void compute(IndicatorContext ctx, double[] out);
}
