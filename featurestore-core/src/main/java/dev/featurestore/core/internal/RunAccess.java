package dev.featurestore.core.internal;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The steps of {@link StoredQuery} and {@link SnapshotLog} that {@code Pipeline} runs out of their
 * usual order to overlap a run's stages, kept out of the public API (this package is not
 * exported). Each class hands its implementation over from its static initializer.
 */
public final class RunAccess {
    /** A build that tells of each secid's rows as soon as they are computed. */
    @FunctionalInterface
    public interface Builds {
        /**
         * {@code query.buildKeepingRows(stored)}, computing every secid ahead of the writes and
         * telling {@code computed} of each secid's rows (on the computing thread, in order) before
         * they are stored.
         *
         * @param query the build's query
         * @param computed told of each secid's rows once computed, not yet stored
         * @param stored told of each secid's result once stored, on the calling thread
         * @return one result per secid, in order
         */
        List<StoredQuery.Built> buildAhead(StoredQuery query, Consumer<StoredQuery.Built> computed,
                Consumer<StoredQuery.Built> stored);
    }

    /** A snapshot export in two steps: the file beside its place, then in place and recorded. */
    public interface Exports {
        /**
         * Writes the snapshot file of the frames beside its target (written, forced to disk,
         * hashed), neither in place nor recorded.
         *
         * @param exporter the format and options
         * @param dir the snapshot output directory
         * @param frames the rows, one frame per secid
         * @param meta the file's metadata, as {@link SnapshotLog} would make it
         * @return the staged file; close it to delete it when it is not published
         */
        Staged stage(SnapshotExporter exporter, Path dir, List<FeatureFrame> frames, SnapshotMetadata meta);

        /**
         * Moves a staged file into place and records its audit rows, as {@link
         * SnapshotLog#export} does after writing a file.
         *
         * @param log the log to record into
         * @param staged the staged file
         * @param historyStart per secid, the history start its rows were computed from
         * @return the recorded rows, in secid order
         */
        List<SnapshotRecord> publish(SnapshotLog log, Staged staged, Map<String, Long> historyStart);
    }

    /** A snapshot file written beside its target and not yet moved into place. */
    public interface Staged extends AutoCloseable {
        /** Deletes the file unless it was published. */
        @Override
        void close();
    }

    private static volatile Builds builds;
    private static volatile Exports exports;

    private RunAccess() {
    }

    /**
     * Set by {@link StoredQuery}'s static initializer.
     *
     * @param b the implementation
     */
    public static void builds(Builds b) {
        builds = Objects.requireNonNull(b, "builds");
    }

    /**
     * Set by {@link SnapshotLog}'s static initializer.
     *
     * @param e the implementation
     */
    public static void exports(Exports e) {
        exports = Objects.requireNonNull(e, "exports");
    }

    /**
     * The build steps.
     *
     * @return the implementation
     */
    public static Builds builds() {
        init(StoredQuery.class);
        return builds;
    }

    /**
     * The export steps.
     *
     * @return the implementation
     */
    public static Exports exports() {
        init(SnapshotLog.class);
        return exports;
    }

    private static void init(Class<?> c) {
        try {
            Class.forName(c.getName(), true, c.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
