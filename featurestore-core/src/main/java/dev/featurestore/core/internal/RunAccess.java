package dev.featurestore.core.internal;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The steps of {@code StoredQuery} and {@code SnapshotLog} that {@code Pipeline} runs out of their
 * usual order to overlap a run's stages, kept out of the public API (this package is not
 * exported). Each class hands its implementation over from its static initializer; the types are
 * parameters so that this package depends on none of theirs.
 */
public final class RunAccess {
    /** A build that tells of each secid's rows as soon as they are computed. */
    @FunctionalInterface
    public interface Builds<Q, B> {
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
        List<B> buildAhead(Q query, Consumer<B> computed, Consumer<B> stored);
    }

    /** A snapshot export in two steps: the file beside its place, then in place and recorded. */
    public interface Exports<E, L> {
        /**
         * Writes the snapshot file of the frames beside its target (written, forced to disk,
         * hashed), neither in place nor recorded.
         *
         * @param exporter the format and options
         * @param dir the snapshot output directory
         * @param frames the rows, one frame per secid
         * @param meta the file's metadata, as {@code SnapshotLog} would make it
         * @return the staged file; close it to delete it when it is not published
         */
        Staged stage(E exporter, Path dir, List<FeatureFrame> frames, SnapshotMetadata meta);

        /**
         * Moves a staged file into place and records its audit rows, as {@code SnapshotLog.export}
         * does after writing a file.
         *
         * @param log the log to record into
         * @param staged the staged file
         * @param historyStart per secid, the history start its rows were computed from
         * @return the recorded rows, in secid order
         */
        List<SnapshotRecord> publish(L log, Staged staged, Map<String, Long> historyStart);
    }

    /** A snapshot file written beside its target and not yet moved into place. */
    public interface Staged extends AutoCloseable {
        /** Deletes the file unless it was published. */
        @Override
        void close();
    }

    private static volatile Builds<?, ?> builds;
    private static volatile Exports<?, ?> exports;

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
     * Set by {@code SnapshotLog}'s static initializer.
     *
     * @param e the implementation
     */
    public static void exports(Exports<?, ?> e) {
        exports = Objects.requireNonNull(e, "exports");
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
     * The export steps.
     *
     * @param <E> {@code SnapshotExporter}
     * @param <L> {@code SnapshotLog}
     * @return the implementation
     */
    @SuppressWarnings("unchecked")
    public static <E, L> Exports<E, L> exports() {
        init("dev.featurestore.core.snapshot.SnapshotLog");
        return (Exports<E, L>) exports;
    }

    private static void init(String name) {
        try {
            Class.forName(name, true, RunAccess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
