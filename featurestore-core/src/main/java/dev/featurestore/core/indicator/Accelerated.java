package dev.featurestore.core.indicator;

import java.util.Optional;

/**
 * Kernels with a SIMD implementation, used in place of the scalar ones when the JVM runs with
 * the incubating Vector API ({@code --add-modules jdk.incubator.vector}); they give the same bits.
 * Without that module, or with {@code -Dfeaturestore.vector=false}, the scalar kernels run.
 */
interface Accelerated {
    /**
     * {@code price_position_20} into {@code position} and {@code stoch_k_14}, {@code stoch_d_3}
     * into {@code k}, {@code d}, exactly as {@link Kernels#rangePosition} and the three-row mean
     * of %K compute them. Any output may be null, except {@code k} when {@code d} is wanted.
     */
    void rangeFamily(double[] high, double[] low, double[] close, double[] position, double[] k, double[] d);

    /**
     * Both engulfing patterns from row 1 on (row 0, NaN, is the caller's), exactly as
     * {@link BuiltinIndicators#engulfingRows} computes them; either output may be null.
     */
    void engulfing(double[] open, double[] close, double[] bullish, double[] bearish);

    /**
     * {@code return_1}, {@code intraday_range_pct}, {@code candle_body_pct},
     * {@code upper_shadow_pct} and {@code lower_shadow_pct} in one pass, exactly as the scalar
     * kernels compute them; no output may be null.
     */
    void shapes(double[] open, double[] high, double[] low, double[] close, double[] ret, double[] range,
            double[] body, double[] upper, double[] lower);

    /** The SIMD kernels, or null when the Vector API is not available or is turned off. */
    static Accelerated load() {
        if (!Boolean.parseBoolean(System.getProperty("featurestore.vector", "true"))) {
            return null;
        }
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty()) {
            return null;
        }
        // On the module path this module does not require the incubating module (javac would
        // warn, and the module would not resolve without it): the kernels read it from here on.
        Accelerated.class.getModule().addReads(vector.get());
        try {
            return (Accelerated) Class.forName("dev.featurestore.core.indicator.VectorKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
