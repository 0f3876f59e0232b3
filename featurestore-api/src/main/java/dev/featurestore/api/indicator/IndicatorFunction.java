package dev.featurestore.api.indicator;

/** The computation of one feature: fill {@code out} from the context's columns. */
@FunctionalInterface
public interface IndicatorFunction {
    void compute(IndicatorContext ctx, double[] out);
}
