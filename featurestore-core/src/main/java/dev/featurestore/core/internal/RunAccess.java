package dev.featurestore.core.internal;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The steps of {@code StoredQuery} and {@code QualityReport.Builder} that {@code Pipeline} runs
 * in its own way to keep a run's heap bounded, kept out of the public API (this package is not
 * exported). Each class hands its implementation over from its static initializer; the types are
 * parameters so that this package depends on none of theirs.
 */
public final class RunAccess {
    /** A build that hands each secid's rows on once stored and keeps none of them. */
    @FunctionalInterface
    public interface Builds<Q, B> {
        /**
         * {@code query.buildKeepingRows(stored)} without the list of every secid's result: each
         * result is told to {@code stored} and then let go.
         *
         * @param query the build's query
         * @param stored told of each secid's result once stored, on the calling thread, in order
         */
        void buildEach(Q query, Consumer<B> stored);
    }

    /** A quality report over a run's {@link FrameSpill} instead of frames handed to its builder. */
    @FunctionalInterface
    public interface Quality<B> {
        /**
         * Makes the builder report on the spill's rows and candles.
         *
         * @param builder a {@code QualityReport.Builder} given no frames and no candles of the spill's secids
         * @param spill the run's rows and candles, kept open until the report is built
         */
        void rows(B builder, FrameSpill spill);
    }

    private static volatile Builds<?, ?> builds;
    private static volatile Quality<?> quality;

    private RunAccess() {
    }

    /**
     * Set by {@code StoredQuery}'s static initializer.
     *
     * @param b the implementation
     */
    public static void builds(Builds<?, ?> b) {
        builds = Objects.requireNonNull(b, "builds");
    }

    /**
     * Set by {@code QualityReport}'s static initializer.
     *
     * @param q the implementation
     */
    public static void quality(Quality<?> q) {
        quality = Objects.requireNonNull(q, "quality");
    }

    /**
     * The build steps.
     *
     * @param <Q> {@code StoredQuery}
     * @param <B> {@code StoredQuery.Built}
     * @return the implementation
     */
    @SuppressWarnings("unchecked")
    public static <Q, B> Builds<Q, B> builds() {
        init("dev.featurestore.core.StoredQuery");
        return (Builds<Q, B>) builds;
    }

    /**
     * The quality step.
     *
     * @param <B> {@code QualityReport.Builder}
     * @return the implementation
     */
    @SuppressWarnings("unchecked")
    public static <B> Quality<B> quality() {
        init("dev.featurestore.core.quality.QualityReport");
        return (Quality<B>) quality;
    }

    private static void init(String name) {
        try {
            Class.forName(name, true, RunAccess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
