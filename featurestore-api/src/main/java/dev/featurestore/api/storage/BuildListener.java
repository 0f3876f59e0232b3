package dev.featurestore.api.storage;

/**
 * Told of the progress of one {@link FeatureStorage#writeBuild(BuildRecord,
 * dev.featurestore.api.FeatureFrame, BuildListener) build write}: each row of the frame once it
 * is staged in the transaction, before the commit. For progress reports, and for tests that
 * inject a failure part way through a write.
 */
@FunctionalInterface
public interface BuildListener {
    /** A listener that does nothing. */
    BuildListener NONE = row -> {
    };

    /**
     * Row {@code row} (0-based, in frame order) is staged. Throwing aborts the write: nothing of
     * it is kept.
     *
     * @param row the row just staged, 0-based in frame order; rows come in increasing order
     */
    void rowStaged(int row);
}
