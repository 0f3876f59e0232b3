package dev.featurestore.core.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Hears how long work advances: a stage starts, advances secid by secid (rows done of rows
 * expected), writes files, and finishes or fails. {@link dev.featurestore.core.ingest.Ingest} and
 * {@link dev.featurestore.core.pipeline.Pipeline} call it from the thread that runs
 * them; a listener shared between runs on several threads must be thread-safe.
 *
 * <pre>{@code
 * ProgressListener printing = new ProgressListener() {
 *     public void advanced(Stage stage, String secid, long done, long total) {
 *         System.out.println(stage.label() + " " + secid + " " + done + "/" + total);
 *     }
 * };
 * store.ingest(source).secids("SBER").timeframe("1m").between(from, to).listener(printing).run();
 * }</pre>
 *
 * <p>Every method does nothing unless overridden. A listener that throws stops the work it
 * reports on (what was committed before stays committed).
 */
public interface ProgressListener {
    /** A listener that hears nothing. */
    ProgressListener NONE = new ProgressListener() {
    };

    /**
     * A stage starts.
     *
     * @param stage the stage starting
     * @param secids the instruments it will work through, in order
     */
    default void stageStarted(Stage stage, List<String> secids) {
    }

    /**
     * Work on {@code secid} advanced.
     *
     * @param stage the stage the work belongs to
     * @param secid the instrument worked on
     * @param done rows done so far for this secid in this stage
     * @param total rows expected for this secid, or -1 when not known in advance; for the ingest,
     *     the most candles the source expects ({@link
     *     dev.featurestore.api.source.CandleSource#expectedCandles}), which the rows done may stay
     *     below, or -1 when the source cannot tell
     */
    default void advanced(Stage stage, String secid, long done, long total) {
    }

    /**
     * Work on one secid in a stage is finished.
     *
     * @param stage the stage the work belongs to
     * @param secid the instrument done
     * @param rows the rows done for this secid in this stage (candles stored; feature rows built, exported or checked)
     */
    default void secidFinished(Stage stage, String secid, long rows) {
    }

    /**
     * A stage finished its work. A stage that fails is told to {@link #stageFailed} instead.
     *
     * @param stage the stage finished
     * @param took the stage's wall time
     */
    default void stageFinished(Stage stage, Duration took) {
    }

    /**
     * A stage stopped with {@code error}, which propagates next; what it wrote and committed
     * before stays (the files it wrote were told to {@link #fileWritten}). By default this tells
     * {@link #stageFinished}, as listeners written before this method was added expect.
     *
     * @param stage the stage that failed
     * @param took the stage's wall time up to the failure
     * @param error the failure, thrown on to the caller after the listener returns
     */
    default void stageFailed(Stage stage, Duration took, Throwable error) {
        stageFinished(stage, took);
    }

    /**
     * A stage wrote a file, complete and in place: a snapshot once its audit rows are recorded, a
     * quality report.
     *
     * @param stage the stage that wrote it
     * @param file the file written
     */
    default void fileWritten(Stage stage, Path file) {
    }

    /** {@return a listener that logs through SLF4J: stages at INFO, secids at DEBUG, pages at TRACE} */
    static ProgressListener logging() {
        return LoggingProgress.INSTANCE;
    }

    /**
     * A listener that tells {@code this} first, then {@code other}.
     *
     * @param other the listener told second, of every event
     * @return a listener telling both; a throw of the first keeps the second from hearing that event
     */
    default ProgressListener andThen(ProgressListener other) {
        Objects.requireNonNull(other, "other");
        ProgressListener first = this;
        return new ProgressListener() {
            @Override
            public void stageStarted(Stage stage, List<String> secids) {
                first.stageStarted(stage, secids);
                other.stageStarted(stage, secids);
            }

            @Override
            public void advanced(Stage stage, String secid, long done, long total) {
                first.advanced(stage, secid, done, total);
                other.advanced(stage, secid, done, total);
            }

            @Override
            public void secidFinished(Stage stage, String secid, long rows) {
                first.secidFinished(stage, secid, rows);
                other.secidFinished(stage, secid, rows);
            }

            @Override
            public void stageFinished(Stage stage, Duration took) {
                first.stageFinished(stage, took);
                other.stageFinished(stage, took);
            }

            @Override
            public void stageFailed(Stage stage, Duration took, Throwable error) {
                first.stageFailed(stage, took, error);
                other.stageFailed(stage, took, error);
            }

            @Override
            public void fileWritten(Stage stage, Path file) {
                first.fileWritten(stage, file);
                other.fileWritten(stage, file);
            }
        };
    }
}
