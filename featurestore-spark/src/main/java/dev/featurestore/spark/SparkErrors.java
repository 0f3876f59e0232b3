package dev.featurestore.spark;

import dev.featurestore.api.FeatureStoreException;

/** What a failed Spark job threw on an executor, as the driver sees it. */
final class SparkErrors {
    private SparkErrors() {
    }

    /**
     * The library's own exception among the causes of a failed job (an invalid candle, say, which
     * Spark ships back from the executor inside its own exceptions), with the Spark exception kept
     * as a suppressed one; else the exception as it is, or a {@link FeatureStoreException} around
     * a checked one (Scala throws {@code SparkException}, a checked exception, undeclared).
     */
    static RuntimeException unwrap(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FeatureStoreException f) {
                if (f != e) {
                    f.addSuppressed(e);
                }
                return f;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return e instanceof RuntimeException r ? r
                : new FeatureStoreException("the Spark job failed: " + e.getMessage(), e);
    }
}
