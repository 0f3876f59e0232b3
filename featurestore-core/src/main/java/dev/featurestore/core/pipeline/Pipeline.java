package dev.featurestore.core.pipeline;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.ingest.Ingest;
import dev.featurestore.core.ingest.IngestResult;
import dev.featurestore.core.internal.FrameSpill;
import dev.featurestore.core.internal.RunAccess;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.quality.QualityReport;
import dev.featurestore.core.quality.QualityReports;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.snapshot.SnapshotFormats;
import dev.featurestore.core.snapshot.SnapshotLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call that runs the whole job for a feature set and timeframe: <b>ingest</b> the candles of
 * the secids from a source (resumable, see {@link Ingest}), <b>build</b> the features from the
 * stored candles, <b>export</b> the stored features to snapshot files recorded in the audit log
 * (as {@link StoredQuery#export} does), and write the data-quality <b>report</b>. What one stage
 * has in hand goes to the next: the rows the build wrote are exported and checked without being
 * read back, and the report's candles are the ones the build resampled.
 *
 * <pre>{@code
 * PipelineResult r = Pipeline.forSet("tech_v2").timeframe("5m")
 *         .secids("SBER", "GAZP").between(from, to)
 *         .source(SyntheticCandleSource.of(SyntheticCandles.seed(42)))
 *         .snapshotOutputDir(Path.of("data/processed/features")).snapshotFileFormat("parquet", "feather")
 *         .run(store);
 * if (r.blockingFailure()) { ... }
 * }</pre>
 *
 * <p>The parameters are those of the job description: {@code feature_set} ({@link #forSet}),
 * {@code timeframe}, {@code secids}, {@code from}/{@code to} ({@link #between}, candle open times
 * in {@code [from, to)}), {@code snapshot_output_dir} (default {@value #DEFAULT_SNAPSHOT_DIR}) and
 * {@code snapshot_file_format} (default {@code parquet}). Without a {@link #source} the ingest is
 * skipped and the build uses the candles already stored; then the range may be left out, and is
 * that of the stored candles.
 *
 * <p>A range in the past (its {@code to} not after the {@link #clock(Clock) clock}'s now) states
 * that the candles are complete through {@code to}: the last bucket resampled from finer candles
 * ending by then is built even when no later candle exists. {@link #completeThrough(Instant)}
 * states another time instead.
 *
 * <p>Immutable: each step returns a new pipeline, so one can be shared and specialised (one per
 * feature set, say). Arguments are checked at once; whether they fit together and with the store
 * (a known set that allows the timeframe, formats on the class path, a source that delivers the
 * ingest timeframe) is checked by {@link #run(Store)} before any work starts. Runs of different
 * feature sets may go at the same time, on threads of one process or in several processes, over
 * the same database: the ingest's upserts are idempotent, each build writes its own set's rows,
 * and snapshots and reports go to per-set paths.
 */
public final class Pipeline {
    /** The default {@code snapshot_output_dir}. */
    public static final String DEFAULT_SNAPSHOT_DIR = "data/processed/features";
    /** The default {@code snapshot_file_format}. */
    public static final String DEFAULT_FORMAT = "parquet";
    /** The default {@link #memoryBudget(long)}: 256 MiB. */
    public static final long DEFAULT_MEMORY_BUDGET = 256L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String featureSet;
    private final Timeframe timeframe;
    private final List<String> secids;
    private final Instant from;
    private final Instant to;
    private final Path snapshotOutputDir;
    private final List<String> formats;
    private final CandleSource source;
    private final Timeframe ingestTimeframe;
    private final Path qualityDir;
    private final String runId;
    private final boolean overwrite;
    private final ProgressListener listener;
    private final Clock clock;
    private final Set<Stage> stages;
    private final Instant completeThrough;
    private final long memoryBudget;

    private Pipeline(String featureSet, Timeframe timeframe, List<String> secids, Instant from, Instant to,
            Path snapshotOutputDir, List<String> formats, CandleSource source, Timeframe ingestTimeframe,
            Path qualityDir, String runId, boolean overwrite, ProgressListener listener, Clock clock, Set<Stage> stages,
            Instant completeThrough, long memoryBudget) {
        this.featureSet = featureSet;
        this.timeframe = timeframe;
        this.secids = secids;
        this.from = from;
        this.to = to;
        this.snapshotOutputDir = snapshotOutputDir;
        this.formats = formats;
        this.source = source;
        this.ingestTimeframe = ingestTimeframe;
        this.qualityDir = qualityDir;
        this.runId = runId;
        this.overwrite = overwrite;
        this.listener = listener;
        this.clock = clock;
        this.stages = stages;
        this.completeThrough = completeThrough;
        this.memoryBudget = memoryBudget;
    }

    /**
     * A pipeline for this feature set ({@code feature_set}); the name is checked against the store at run.
     *
     * @param featureSet the set's name as the registry spells it, e.g. {@code tech_v2}; not blank
     * @return a pipeline of every stage with the defaults: snapshots as {@value #DEFAULT_FORMAT} under
     *     {@value #DEFAULT_SNAPSHOT_DIR}, ingest at {@code 1m}, no source, the UTC system clock
     * @throws IllegalArgumentException when the name is blank
     */
    public static Pipeline forSet(String featureSet) {
        Objects.requireNonNull(featureSet, "featureSet");
        if (featureSet.isBlank()) {
            throw new IllegalArgumentException("feature set name is blank");
        }
        return new Pipeline(featureSet, null, null, null, null, Path.of(DEFAULT_SNAPSHOT_DIR),
                List.of(DEFAULT_FORMAT), null, Timeframe.ONE_MINUTE, null, null, false, ProgressListener.NONE,
                Clock.systemUTC(), Set.copyOf(EnumSet.allOf(Stage.class)), null, DEFAULT_MEMORY_BUDGET);
    }

    private Pipeline with(Timeframe timeframe, List<String> secids, Instant from, Instant to, Path snapshotOutputDir,
            List<String> formats, CandleSource source, Timeframe ingestTimeframe, Path qualityDir, String runId,
            boolean overwrite, ProgressListener listener, Clock clock) {
        return new Pipeline(featureSet, timeframe, secids, from, to, snapshotOutputDir, formats, source,
                ingestTimeframe, qualityDir, runId, overwrite, listener, clock, stages, completeThrough, memoryBudget);
    }

    /**
     * Only these stages (default: all; the ingest runs only with a {@link #source}): e.g.
     * {@code stages(Stage.QUALITY)} reports on what is stored, {@code stages(Stage.BUILD, Stage.EXPORT)}
     * rebuilds and exports without fetching. Stages run in their fixed order whatever the order given.
     *
     * @param stages the stages to run, at least one; repeats count once
     * @return a new pipeline of these stages, the other parts unchanged
     * @throws IllegalArgumentException when none is given
     */
    public Pipeline stages(Stage... stages) {
        Objects.requireNonNull(stages, "stages");
        if (stages.length == 0) {
            throw new IllegalArgumentException("give at least one stage of " + Arrays.toString(Stage.values()));
        }
        EnumSet<Stage> set = EnumSet.noneOf(Stage.class);
        for (Stage st : stages) {
            set.add(Objects.requireNonNull(st, "stage"));
        }
        return new Pipeline(featureSet, timeframe, secids, from, to, snapshotOutputDir, formats, source,
                ingestTimeframe, qualityDir, runId, overwrite, listener, clock, Set.copyOf(set), completeThrough,
                memoryBudget);
    }

    /**
     * States that the stored candles are complete through this time, so that the build (and the
     * quality report's candles) keeps a resampled bucket ending at or before it even when no later
     * candle exists. It replaces what the range states: without it, a range whose {@code to} is
     * not after the clock's now states the candles complete through {@code to}, and a range in the
     * future (or still running) states nothing, so a last bucket without a later candle is left
     * out as possibly still forming. Without a range, the range is that of the stored candles, so
     * its end is the close of the last stored candle.
     *
     * @param time the end of the complete stored candles
     * @return a new pipeline with this completeness bound, the other parts unchanged
     */
    public Pipeline completeThrough(Instant time) {
        return new Pipeline(featureSet, timeframe, secids, from, to, snapshotOutputDir, formats, source,
                ingestTimeframe, qualityDir, runId, overwrite, listener, clock, stages,
                Objects.requireNonNull(time, "completeThrough"), memoryBudget);
    }

    /**
     * How many bytes of built rows and candles the run holds in the heap for its export and quality
     * report (8 per value; default {@value #DEFAULT_MEMORY_BUDGET}, 256 MiB). The build hands each
     * secid's rows on as it stores them; once the secids held pass this budget, the next ones go
     * to a temporary file (in {@code java.io.tmpdir}, deleted when the run ends) and are read
     * back from it, one frame at a time for the export and one feature's column at a time for
     * the report (one feature at a time then), so that the heap holds the budget and one
     * feature's values of every secid, which the report's exact percentiles need, rather than
     * every secid's rows. The files and the report are the same, byte for byte, whatever the
     * budget.
     *
     * @param bytes the budget, 0 or more; 0 sends every secid to the file
     * @return a new pipeline with this budget, the other parts unchanged
     * @throws IllegalArgumentException when the budget is negative
     */
    public Pipeline memoryBudget(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memoryBudget(" + bytes + "): the budget is negative; give 0 or more"
                    + " bytes (0 keeps no rows in the heap)");
        }
        return new Pipeline(featureSet, timeframe, secids, from, to, snapshotOutputDir, formats, source,
                ingestTimeframe, qualityDir, runId, overwrite, listener, clock, stages, completeThrough, bytes);
    }

    /**
     * The {@code timeframe} of the features, e.g. {@code "5m"}.
     *
     * @param timeframe the timeframe as text: {@code Nm}, {@code Nh} or {@code 1d}
     * @return a new pipeline at this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe (the message lists the
     *     valid forms)
     */
    public Pipeline timeframe(String timeframe) {
        return timeframe(Timeframe.parse(Objects.requireNonNull(timeframe, "timeframe")));
    }

    /**
     * The {@code timeframe} of the features; whether the set allows it is checked by {@link #run(Store)}.
     *
     * @param timeframe the timeframe
     * @return a new pipeline at this timeframe, the other parts unchanged
     */
    public Pipeline timeframe(Timeframe timeframe) {
        return with(Objects.requireNonNull(timeframe, "timeframe"), secids, from, to, snapshotOutputDir, formats,
                source, ingestTimeframe, qualityDir, runId, overwrite, listener, clock);
    }

    /**
     * The {@code secids}, in order (repeats dropped).
     *
     * @param secids the instruments' codes, at least one, none blank
     * @return a new pipeline over these instruments, the other parts unchanged
     * @throws IllegalArgumentException when none is given or one is blank
     */
    public Pipeline secids(String... secids) {
        return secids(Arrays.asList(Objects.requireNonNull(secids, "secids")));
    }

    /**
     * The {@code secids}, in order (repeats dropped).
     *
     * @param secids the instruments' codes, at least one, none blank
     * @return a new pipeline over these instruments, the other parts unchanged
     * @throws IllegalArgumentException when the collection is empty or a secid is blank
     */
    public Pipeline secids(Collection<String> secids) {
        return with(timeframe, Ingest.checkSecids(secids), from, to, snapshotOutputDir, formats, source,
                ingestTimeframe, qualityDir, runId, overwrite, listener, clock);
    }

    /**
     * {@code from}/{@code to}: candle open times in {@code [from, to)}: the candles ingested and
     * the feature rows built, exported and checked.
     *
     * {@code from == to} is an empty range (a run over it finds no candles to build).
     *
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return a new pipeline over this range, the other parts unchanged
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     */
    public Pipeline between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("between(" + from + ", " + to + "): from is after to; the range is "
                    + "from <= ts < to");
        }
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, source, ingestTimeframe, qualityDir,
                runId, overwrite, listener, clock);
    }

    /**
     * {@code snapshot_output_dir}: where snapshots go, as {@code {dir}/{set}/{tf}/YYYYMMDD.ext}.
     *
     * @param dir the snapshot output directory, created when missing; relative paths stay relative
     *     in the audit log
     * @return a new pipeline writing there, the other parts unchanged
     */
    public Pipeline snapshotOutputDir(Path dir) {
        return with(timeframe, secids, from, to, Objects.requireNonNull(dir, "dir"), formats, source, ingestTimeframe,
                qualityDir, runId, overwrite, listener, clock);
    }

    /**
     * {@code snapshot_file_format}: one or more formats, e.g. {@code "parquet"} or {@code "parquet",
     * "feather"}; none skips the export.
     *
     * @param formats the format names, none blank, matched ignoring case; repeats count once.
     *     Whether each is on the class path is checked by {@link #run(Store)}
     * @return a new pipeline exporting in these formats, in the order given, the other parts unchanged
     * @throws IllegalArgumentException when a name is blank
     */
    public Pipeline snapshotFileFormat(String... formats) {
        Objects.requireNonNull(formats, "formats");
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String f : formats) {
            Objects.requireNonNull(f, "format");
            if (f.isBlank()) {
                throw new IllegalArgumentException("a snapshot format name is blank");
            }
            names.add(f.toLowerCase(Locale.ROOT));
        }
        return with(timeframe, secids, from, to, snapshotOutputDir, List.copyOf(names), source, ingestTimeframe,
                qualityDir, runId, overwrite, listener, clock);
    }

    /**
     * Where the candles come from; without one the ingest stage is skipped.
     *
     * @param source the candle source, e.g. a {@code MoexIssSource}
     * @return a new pipeline ingesting from it, the other parts unchanged
     */
    public Pipeline source(CandleSource source) {
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, Objects.requireNonNull(source, "source"),
                ingestTimeframe, qualityDir, runId, overwrite, listener, clock);
    }

    /**
     * The timeframe ingested and stored (default 1m); the build resamples it to {@link #timeframe}.
     *
     * @param timeframe the timeframe as text, e.g. {@code "1m"}; it must divide the features' timeframe
     * @return a new pipeline ingesting at this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe
     */
    public Pipeline ingestTimeframe(String timeframe) {
        return with(this.timeframe, secids, from, to, snapshotOutputDir, formats, source,
                Timeframe.parse(Objects.requireNonNull(timeframe, "timeframe")), qualityDir, runId, overwrite,
                listener, clock);
    }

    /**
     * Where the quality report goes (default: the registry's {@code quality.report_dir}).
     *
     * @param dir the report directory, created when missing
     * @return a new pipeline reporting there, the other parts unchanged
     */
    public Pipeline qualityReportDir(Path dir) {
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, source, ingestTimeframe,
                Objects.requireNonNull(dir, "dir"), runId, overwrite, listener, clock);
    }

    /**
     * The run's id, naming its quality report (default: the start time, {@code 20260302T101500Z}).
     *
     * @param runId a letter or digit, then letters, digits, {@code .}, {@code _} or {@code -}, at
     *     most 128 characters, so that it can name a file
     * @return a new pipeline with this run id, the other parts unchanged
     * @throws IllegalArgumentException when the id cannot name a file
     */
    public Pipeline runId(String runId) {
        Objects.requireNonNull(runId, "runId");
        QualityReports.fileName(featureSet, "1m", runId); // checks that it can name a file
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, source, ingestTimeframe, qualityDir,
                runId, overwrite, listener, clock);
    }

    /**
     * Whether a snapshot with different content at the same path may be replaced (default false).
     *
     * @param overwrite true to replace it (the audit rows then name the replaced file's hash),
     *     false to fail the export with a {@link dev.featurestore.api.snapshot.SnapshotConflictException}
     * @return a new pipeline with this choice, the other parts unchanged
     */
    public Pipeline overwriteSnapshots(boolean overwrite) {
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, source, ingestTimeframe, qualityDir,
                runId, overwrite, listener, clock);
    }

    /**
     * Hears the progress of every stage.
     *
     * @param listener told of each stage's start, its secids, its files and its end; {@link
     *     ProgressListener#NONE} for none
     * @return a new pipeline heard by this listener, the other parts unchanged
     */
    public Pipeline listener(ProgressListener listener) {
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, source, ingestTimeframe, qualityDir,
                runId, overwrite, Objects.requireNonNull(listener, "listener"), clock);
    }

    /**
     * The clock of the run id, the report's date and its staleness (default: the UTC system clock).
     *
     * @param clock the clock; a fixed one makes runs reproducible in tests
     * @return a new pipeline on this clock, the other parts unchanged
     */
    public Pipeline clock(Clock clock) {
        return with(timeframe, secids, from, to, snapshotOutputDir, formats, source, ingestTimeframe, qualityDir,
                runId, overwrite, listener, Objects.requireNonNull(clock, "clock"));
    }

    /** {@return the name of the feature set, as given to {@link #forSet(String)}} */
    public String featureSet() {
        return featureSet;
    }

    /** {@return the secids given, in order without repeats; empty when none yet} */
    public List<String> secidList() {
        return secids == null ? List.of() : secids;
    }

    /** {@return the snapshot format names, lower-case, in the order given; empty when the export is skipped} */
    public List<String> snapshotFileFormats() {
        return formats;
    }

    /** {@return the snapshot output directory (default {@value #DEFAULT_SNAPSHOT_DIR})} */
    public Path snapshotOutputDir() {
        return snapshotOutputDir;
    }

    /**
     * Runs ingest (when there is a source), build, export (when there is a format) and quality, in
     * this order, each stage over every secid, telling the listener as it goes.
     *
     * @param store the store whose registry, storage and snapshot log the run uses
     * @return per stage: rows, wall time, files; the quality report and whether a blocking check failed
     * @throws dev.featurestore.api.UnknownFeatureSetException when the store's registry lacks the set
     * @throws InvalidQueryException when timeframe, secids or range are missing, or the set does not
     *     allow the timeframe, or nothing can be built or exported
     * @throws dev.featurestore.api.FeatureStoreException when a snapshot format is not on the class
     *     path (checked before any work), a source or the storage fails; work committed before a
     *     failure stays (a new run resumes the ingest and rebuilds the same values)
     */
    public PipelineResult run(Store store) {
        Objects.requireNonNull(store, "store");
        FeatureQuery query = store.forSet(featureSet);
        FeatureSetSpec spec = query.spec();
        if (timeframe == null) {
            throw new InvalidQueryException("the pipeline needs a timeframe; call timeframe(...) (allowed for '"
                    + featureSet + "': " + spec.timeframes() + ")");
        }
        if (!spec.allows(timeframe)) {
            throw new InvalidQueryException("feature set '" + featureSet + "' does not allow timeframe " + timeframe
                    + "; allowed: " + spec.timeframes());
        }
        if (secids == null) {
            throw new InvalidQueryException("the pipeline needs secids; call secids(...)");
        }
        for (String f : formats) {
            SnapshotFormats.byName(f);
        }
        if (stages.contains(Stage.BUILD) || stages.contains(Stage.EXPORT)) {
            store.registry().requireUnchanged(store.storage(), featureSet, timeframe, secids, "the pipeline run");
        }
        if (source != null && !source.supports(ingestTimeframe)) {
            throw new IllegalArgumentException(source.name() + " cannot deliver the ingest timeframe "
                    + ingestTimeframe + "; it holds " + source.nativeTimeframes());
        }
        if (ingestTimeframe.millis() > timeframe.millis()) {
            throw new InvalidQueryException("ingest timeframe " + ingestTimeframe + " is coarser than the feature "
                    + "timeframe " + timeframe);
        }
        if (from == null) {
            if (source != null && stages.contains(Stage.INGEST)) {
                throw new InvalidQueryException("the pipeline needs a range to ingest from " + source.name()
                        + "; call between(from, to)");
            }
            long[] range = storedRange(store);
            return between(Instant.ofEpochMilli(range[0]), Instant.ofEpochMilli(range[1])).run(store);
        }
        Instant startedAt = clock.instant();
        String run = runId != null ? runId : RUN_ID.format(startedAt) + "-"
                + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
        Path reports = qualityDir != null ? qualityDir : store.registry().quality().reportDirectory();
        LOG.info("run {}: {} {} for {} over [{}, {})", run, featureSet, timeframe, secids, from, to);

        boolean exports = !formats.isEmpty() && stages.contains(Stage.EXPORT);
        boolean quality = stages.contains(Stage.QUALITY);
        try (FrameSpill kept = exports || quality ? FrameSpill.create("run-" + run, memoryBudget) : null) {
            List<PipelineResult.StageResult> done = new ArrayList<>();
            IngestResult ingest = null;
            if (source != null && stages.contains(Stage.INGEST)) {
                ingest = store.ingest(source).secids(secids).timeframe(ingestTimeframe).between(from, to)
                        .listener(listener).run();
                done.add(new PipelineResult.StageResult(Stage.INGEST, ingest.total().total(), ingest.took(),
                        List.of()));
            }

            Instant complete = completeThrough != null ? completeThrough : to.isAfter(clock.instant()) ? null : to;
            List<BuildRecord> builds = new ArrayList<>();
            if (stages.contains(Stage.BUILD)) {
                long t0 = System.nanoTime();
                listener.stageStarted(Stage.BUILD, secids);
                try {
                    StoredQuery q = query.timeframe(timeframe).secids(secids).between(from, to);
                    if (complete != null) {
                        q = q.completeThrough(complete);
                    }
                    // Each secid's rows go on to the export and the report as soon as they are
                    // stored (held up to the budget, then in the spill's file), not kept in a list.
                    Consumer<StoredQuery.Built> stored = one -> {
                        BuildRecord b = one.record();
                        builds.add(b);
                        if (kept != null) {
                            FeatureFrame rows = onlyBuiltRowsInRange(store, b.secid(), b) ? one.rows()
                                    : query.timeframe(timeframe).secid(b.secid()).between(from, to).frame();
                            kept.append(rows, quality ? one.candles() : null);
                        }
                        listener.advanced(Stage.BUILD, b.secid(), b.rows(), b.rows());
                        listener.secidFinished(Stage.BUILD, b.secid(), b.rows());
                    };
                    RunAccess.<StoredQuery, StoredQuery.Built>builds().buildEach(q, stored);
                } catch (RuntimeException | Error e) {
                    listener.stageFailed(Stage.BUILD, Duration.ofNanos(System.nanoTime() - t0), e);
                    throw e;
                }
                listener.stageFinished(Stage.BUILD, Duration.ofNanos(System.nanoTime() - t0));
                done.add(new PipelineResult.StageResult(Stage.BUILD, builds.stream().mapToLong(BuildRecord::rows).sum(),
                        Duration.ofNanos(System.nanoTime() - t0), List.of()));
            }

            boolean exported = false;
            List<SnapshotRecord> snapshots = new ArrayList<>();
            if (exports) {
                long t1 = System.nanoTime();
                listener.stageStarted(Stage.EXPORT, secids);
                List<Path> files = new ArrayList<>();
                long rows = 0;
                try {
                    keepStored(store, query, kept, quality, complete, Stage.EXPORT);
                    exported = true;
                    List<FeatureFrame> stored = kept.nonEmptyFramesBySecid();
                    if (stored.isEmpty()) {
                        throw new InvalidQueryException("nothing to export: no " + featureSet + " " + timeframe
                                + " row is stored for " + secids + " in [" + from + ", " + to + "); build it first");
                    }
                    for (String format : formats) {
                        List<SnapshotRecord> written = export(store, stored, format);
                        snapshots.addAll(written);
                        for (SnapshotRecord r : written) {
                            rows += r.rowsCount();
                            Path p = Path.of(r.path());
                            if (!files.contains(p)) {
                                files.add(p);
                                listener.fileWritten(Stage.EXPORT, p);
                            }
                        }
                    }
                    for (String secid : secids) {
                        listener.secidFinished(Stage.EXPORT, secid, kept.rows(kept.indexOf(secid)));
                    }
                } catch (RuntimeException | Error e) {
                    listener.stageFailed(Stage.EXPORT, Duration.ofNanos(System.nanoTime() - t1), e);
                    throw e;
                }
                listener.stageFinished(Stage.EXPORT, Duration.ofNanos(System.nanoTime() - t1));
                done.add(new PipelineResult.StageResult(Stage.EXPORT, rows, Duration.ofNanos(System.nanoTime() - t1),
                        files));
            }

            QualityReport report = null;
            Path reportFile = null;
            if (quality) {
                long t2 = System.nanoTime();
                listener.stageStarted(Stage.QUALITY, secids);
                long checked = 0;
                try {
                    if (!exported) {
                        keepStored(store, query, kept, true, complete, Stage.QUALITY);
                    }
                    QualityReport.Builder b = QualityReport.builder(featureSet, timeframe, run)
                            .config(store.registry().quality()).calendar(store.registry().calendar()).clock(clock)
                            .range(from, to).fingerprint(store.registry().fingerprint(featureSet))
                            .previous(QualityReports.findPrevious(reports, featureSet, timeframe, run).orElse(null));
                    if (ingest != null) {
                        for (String secid : secids) {
                            InputStats in = ingest.inputStats().get(secid);
                            if (in != null) {
                                b.inputStats(in);
                            }
                        }
                    }
                    RunAccess.<QualityReport.Builder>quality().rows(b, kept);
                    for (String secid : secids) {
                        int n = kept.rows(kept.indexOf(secid));
                        checked += n;
                        listener.advanced(Stage.QUALITY, secid, n, n);
                        listener.secidFinished(Stage.QUALITY, secid, n);
                    }
                    report = b.build();
                    reportFile = QualityReports.write(report, reports);
                    listener.fileWritten(Stage.QUALITY, reportFile);
                } catch (RuntimeException | Error e) {
                    listener.stageFailed(Stage.QUALITY, Duration.ofNanos(System.nanoTime() - t2), e);
                    throw e;
                }
                listener.stageFinished(Stage.QUALITY, Duration.ofNanos(System.nanoTime() - t2));
                done.add(new PipelineResult.StageResult(Stage.QUALITY, checked,
                        Duration.ofNanos(System.nanoTime() - t2), List.of(reportFile)));
                if (report.blockingFailure()) {
                    LOG.info("run {}: blocking data-quality check(s) failed: {}", run, report.blockingFailures());
                }
            }
            return new PipelineResult(run, featureSet, timeframe.toString(), done, ingest, builds, snapshots, report,
                    reportFile);
        }
    }

    /**
     * Every secid's stored rows of the range (and, for the report, its candles at the features'
     * timeframe) into {@code kept}, for the secids the build did not hand over: all of them when
     * the build stage did not run. Each secid is read from the storage and kept before the next.
     */
    private void keepStored(Store store, FeatureQuery query, FrameSpill kept, boolean candles, Instant complete,
            Stage stage) {
        for (String secid : secids) {
            int i = kept.indexOf(secid);
            if (i < 0) {
                kept.append(query.timeframe(timeframe).secid(secid).between(from, to).frame(),
                        candles ? candlesAtTimeframe(store, secid, complete) : null);
                i = kept.indexOf(secid);
            }
            listener.advanced(stage, secid, kept.rows(i), kept.rows(i));
        }
    }

    /**
     * Whether the stored rows of the range are all the build's: rows are stored by builds only,
     * so none lies in the parts of the range outside the build's own unless an earlier completed
     * build covered them (say one that stated its candles complete further).
     */
    private boolean onlyBuiltRowsInRange(Store store, String secid, BuildRecord b) {
        long fromTs = from.toEpochMilli();
        long toTs = to.toEpochMilli();
        for (BuildRecord earlier : store.storage().builds(featureSet, timeframe, secid)) {
            if (earlier.status() == BuildRecord.Status.COMPLETED
                    && (overlaps(earlier, fromTs, Math.min(toTs, b.fromTs()))
                            || overlaps(earlier, Math.max(fromTs, b.toTs()), toTs))) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlaps(BuildRecord b, long fromTs, long toTs) {
        return fromTs < toTs && b.fromTs() < toTs && fromTs < b.toTs();
    }

    /** Exports the stored rows at hand (as {@link StoredQuery#export} would read them) into one snapshot. */
    private List<SnapshotRecord> export(Store store, List<FeatureFrame> stored, String format) {
        List<SnapshotRecord> written = new SnapshotLog(store.storage()).export(exporter(store, format),
                snapshotOutputDir, stored, null);
        for (SnapshotRecord r : written) {
            listener.advanced(Stage.EXPORT, r.secid(), r.rowsCount(), r.rowsCount());
        }
        return written;
    }

    private SnapshotExporter exporter(Store store, String format) {
        return SnapshotExporter.builder().format(format).options(ExportOptions.defaults().overwrite(overwrite))
                .calendar(store.registry().calendar()).build();
    }

    /** From the first stored candle of any secid to the end of the last one, at the ingest or feature timeframe. */
    private long[] storedRange(Store store) {
        long first = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (String secid : secids) {
            List<Timeframe> stored = store.candles().timeframes(secid);
            Timeframe tf = stored.contains(ingestTimeframe) ? ingestTimeframe
                    : stored.contains(timeframe) ? timeframe : null;
            if (tf == null) {
                continue;
            }
            OptionalLong a = store.storage().firstCandleTs(secid, tf);
            OptionalLong b = a.isPresent() ? store.candles().newestTs(secid, tf, a.getAsLong(), Long.MAX_VALUE)
                    : OptionalLong.empty();
            if (b.isPresent()) {
                first = Math.min(first, a.getAsLong());
                end = Math.max(end, store.registry().calendar().availableAt(tf, b.getAsLong()));
            }
        }
        if (first == Long.MAX_VALUE) {
            throw new InvalidQueryException("no candles of secids " + secids + " are stored at " + ingestTimeframe
                    + " or " + timeframe + " to take the range from; ingest them first, or call between(from, to)");
        }
        return new long[] {first, end};
    }

    /** The stored candles of the range at the features' timeframe (resampled when stored finer), or null. */
    private CandleSeries candlesAtTimeframe(Store store, String secid, Instant complete) {
        List<Timeframe> stored = store.candles().timeframes(secid);
        if (stored.contains(timeframe)) {
            return store.candles().read(secid, timeframe, from, to);
        }
        if (!stored.contains(ingestTimeframe)) {
            return null;
        }
        CandleSeries fine = store.candles().read(secid, ingestTimeframe, from, to);
        return Resampler.resample(fine, timeframe, complete, store.registry().exchangeZone());
    }

    @Override
    public String toString() {
        return "Pipeline[" + featureSet + (timeframe == null ? "" : " " + timeframe)
                + (secids == null ? "" : ", secids " + secids) + (from == null ? "" : ", [" + from + ", " + to + ")")
                + (source == null ? ", no source" : ", from " + source.name()) + ", snapshots " + formats + " in "
                + snapshotOutputDir + "]";
    }
}
