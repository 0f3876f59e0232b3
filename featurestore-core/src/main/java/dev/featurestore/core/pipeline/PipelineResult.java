package dev.featurestore.core.pipeline;

import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.ingest.IngestResult;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.quality.QualityReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Pipeline} run did: one {@link StageResult} per stage that ran (rows, wall time,
 * files written), the ingest, build and snapshot records, and the data-quality report with
 * whether a blocking check failed.
 *
 * @param runId the run's id (it names the quality report file)
 * @param featureSet the feature set built
 * @param timeframe the timeframe built, e.g. {@code 5m}
 * @param stages the stages that ran, in order
 * @param ingest what the ingest did, or null when the run had no source
 * @param builds one build record per secid
 * @param snapshots the snapshot audit rows recorded, per format per secid
 * @param quality the data-quality report, or null when the quality stage did not run
 * @param qualityFile where the report was written, or null
 */
public record PipelineResult(String runId, String featureSet, String timeframe, List<StageResult> stages,
        IngestResult ingest, List<BuildRecord> builds, List<SnapshotRecord> snapshots, QualityReport quality,
        Path qualityFile) {

    /**
     * Copies the lists.
     *
     * @param runId the run's id
     * @param featureSet the feature set built
     * @param timeframe the timeframe built
     * @param stages the stages that ran, in order
     * @param ingest what the ingest did, or null
     * @param builds one build record per secid
     * @param snapshots the snapshot audit rows recorded
     * @param quality the data-quality report, or null
     * @param qualityFile where the report was written, or null
     * @throws NullPointerException when {@code runId} or a list is null
     */
    public PipelineResult {
        Objects.requireNonNull(runId, "runId");
        stages = List.copyOf(stages);
        builds = List.copyOf(builds);
        snapshots = List.copyOf(snapshots);
    }

    /** {@return whether a data-quality check marked blocking failed (the command line exits 1); false without a report} */
    public boolean blockingFailure() {
        return quality != null && quality.blockingFailure();
    }

    /**
     * The result of one stage.
     *
     * @param stage the stage
     * @return its result, empty when it did not run
     */
    public Optional<StageResult> stage(Stage stage) {
        return stages.stream().filter(s -> s.stage() == stage).findFirst();
    }

    /** {@return the snapshot files written, once each, in the order written} */
    public List<Path> snapshotFiles() {
        return snapshots.stream().map(r -> Path.of(r.path())).distinct().toList();
    }

    /** {@return the wall time of all stages, summed} */
    public Duration took() {
        Duration d = Duration.ZERO;
        for (StageResult s : stages) {
            d = d.plus(s.took());
        }
        return d;
    }

    /**
     * One stage of a run.
     *
     * @param stage which stage
     * @param rows candles stored (ingest: offered to the upsert), feature rows written (build),
     *     rows exported per format (export), or feature rows checked (quality)
     * @param took its wall time
     * @param outputs the files it wrote (snapshots, the quality report); empty for the others
     */
    public record StageResult(Stage stage, long rows, Duration took, List<Path> outputs) {
        /**
         * Copies the list.
         *
         * @param stage which stage
         * @param rows the rows the stage handled
         * @param took its wall time
         * @param outputs the files it wrote
         * @throws NullPointerException when a part is null
         */
        public StageResult {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(took, "took");
            outputs = List.copyOf(outputs);
        }
    }
}
