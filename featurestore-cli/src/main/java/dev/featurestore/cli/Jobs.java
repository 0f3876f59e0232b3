package dev.featurestore.cli;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.Store;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.pipeline.PipelineResult;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.quality.QualityReport;
import dev.featurestore.report.html.QualityHtml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** Runs {@link Pipeline}s for the commands build, export, quality and run, and prints what they did. */
final class Jobs {
    private Jobs() {
    }

    /**
     * Runs the stages for every feature set of {@code job} (in parallel threads when asked), prints a
     * summary per set on standard output, and returns the exit code: 1 when a blocking quality
     * check failed, else 0.
     */
    static int run(CommandSpec spec, StoreOptions storeOptions, JobOptions job, SourceOptions source,
            String ingestTimeframe, Instant completeThrough, boolean parallel, Stage... stages) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PipelineResult> results = run(storeOptions, job, source, ingestTimeframe, completeThrough, parallel, out,
                err, stages);
        boolean blocking = false;
        for (PipelineResult r : results) {
            out.print(describe(r, job.html));
            blocking |= r.blockingFailure();
        }
        out.flush();
        if (blocking) {
            for (PipelineResult r : results) {
                if (r.blockingFailure()) {
                    err.println(spec.qualifiedName() + ": blocking data-quality check(s) failed for " + r.featureSet()
                            + " " + r.timeframe() + ": " + r.quality().blockingFailures().stream()
                                    .map(c -> c.check().key() + " = " + c.value()).collect(Collectors.joining(", "))
                            + "; see " + r.qualityFile());
                }
            }
            err.flush();
            return Main.QUALITY;
        }
        return Main.OK;
    }

    /**
     * Runs the stages for every feature set of {@code job} and returns the results, in set order.
     * When a stage of any set fails, the other sets run to their end (in parallel) or do not start
     * (one after the other); then a summary of every set (what each stage did and wrote, or that it
     * failed or did not run) goes to {@code out} and the failure is thrown, naming the set,
     * timeframe and stage of each one that failed.
     */
    static List<PipelineResult> run(StoreOptions storeOptions, JobOptions job, SourceOptions source,
            String ingestTimeframe, Instant completeThrough, boolean parallel, PrintWriter out, PrintWriter err,
            Stage... stages) {
        Timeframe tf = parseTimeframe("--timeframe", job.timeframe);
        Timeframe ingestTf = parseTimeframe("--ingest-timeframe", ingestTimeframe);
        long budget = job.memoryBudgetBytes();
        if ((job.from == null) != (job.to == null)) {
            throw new CliException(Main.BAD_INPUT, "give both --from and --to, or neither");
        }
        try (Store store = storeOptions.open()) {
            Instant from = job.fromInstant(store.registry().calendar(), tf);
            Instant to = job.toInstant(store.registry().calendar(), tf);
            List<String> secids = job.secids;
            SourceOptions.Chosen chosen = null;
            if (source != null && source.chosen()) {
                chosen = source.open(secids, from, to, ingestTf, store.registry().calendar());
                secids = chosen.secids();
                from = chosen.from();
                to = chosen.to();
            }
            if (secids == null) {
                throw new CliException(Main.BAD_INPUT, "--secids is required, e.g. --secids SBER,GAZP");
            }
            List<String> sets = List.copyOf(new LinkedHashSet<>(job.sets));
            for (String set : sets) {
                store.forSet(set); // every name known before any work starts
            }
            boolean several = sets.size() > 1;
            List<Pipeline> pipelines = new ArrayList<>();
            List<StageLog> logs = new ArrayList<>();
            for (String set : sets) {
                Pipeline p = Pipeline.forSet(set).timeframe(tf).secids(secids).ingestTimeframe(ingestTf.toString())
                        .snapshotOutputDir(job.snapshotDir).snapshotFileFormat(job.formats.toArray(String[]::new))
                        .overwriteSnapshots(job.overwrite).stages(stages);
                if (from != null) {
                    p = p.between(from, to);
                }
                if (chosen != null) {
                    p = p.source(chosen.source());
                }
                if (completeThrough != null) {
                    p = p.completeThrough(completeThrough);
                }
                if (job.qualityDir != null) {
                    p = p.qualityReportDir(job.qualityDir);
                }
                if (job.runId != null) {
                    p = p.runId(job.runId);
                }
                if (budget >= 0) {
                    p = p.memoryBudget(budget);
                }
                String subject = set + " " + tf;
                StageLog log = new StageLog(subject, planned(stages, chosen != null, job.formats));
                logs.add(log);
                ProgressListener listener = ProgressPrinter.of(err, job.quiet, job.plain || (parallel && several),
                        several ? set : null, subject);
                pipelines.add(p.listener(listener.andThen(log)));
            }
            List<PipelineResult> results = new ArrayList<>(Collections.nCopies(pipelines.size(), null));
            List<RuntimeException> errors = new ArrayList<>(Collections.nCopies(pipelines.size(), null));
            if (!parallel || !several) {
                for (int i = 0; i < pipelines.size(); i++) {
                    try {
                        results.set(i, pipelines.get(i).run(store));
                    } catch (RuntimeException e) {
                        errors.set(i, e);
                        break;
                    }
                }
            } else {
                runInParallel(store, pipelines, results, errors);
            }
            writePages(results, job);
            if (errors.stream().allMatch(Objects::isNull)) {
                return results;
            }
            throw failed(results, errors, logs, out, job.html);
        }
    }

    /** The HTML page of each quality report written, beside its JSON, unless {@code --no-html}. */
    private static void writePages(List<PipelineResult> results, JobOptions job) {
        if (!job.html) {
            return;
        }
        for (PipelineResult r : results) {
            if (r != null && r.quality() != null) {
                QualityHtml.write(r.quality(), r.qualityFile().toAbsolutePath().getParent());
            }
        }
    }

    /** The page of a result's quality report, beside its JSON. */
    static Path page(PipelineResult r) {
        return r.qualityFile().resolveSibling(QualityHtml.fileName(r.featureSet(), r.timeframe(), r.runId()));
    }

    /** Runs every pipeline on a thread of its own and waits for all of them, each failure kept. */
    private static void runInParallel(Store store, List<Pipeline> pipelines, List<PipelineResult> results,
            List<RuntimeException> errors) {
        ExecutorService pool = Executors.newFixedThreadPool(pipelines.size());
        try {
            List<Future<PipelineResult>> futures = new ArrayList<>();
            for (Pipeline p : pipelines) {
                futures.add(pool.submit(() -> p.run(store)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.set(i, futures.get(i).get());
                } catch (ExecutionException e) {
                    errors.set(i, e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException(e.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Main.INTERNAL, "interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The stages a pipeline goes through: those asked for, less the ingest without a source and the export without a format. */
    private static List<Stage> planned(Stage[] stages, boolean source, List<String> formats) {
        List<Stage> out = new ArrayList<>();
        for (Stage s : stages) {
            if ((s != Stage.INGEST || source) && (s != Stage.EXPORT || !formats.isEmpty())) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * After a failure: the summary of every set on {@code out} (when any stage started) and the
     * exception to throw. A failure before any stage started (a check of the arguments) is thrown
     * as it is; otherwise the message names set, timeframe and stage of each failure, keeping the
     * exit code of the first; an unexpected internal error is thrown as it is, for its stack trace.
     */
    private static RuntimeException failed(List<PipelineResult> results, List<RuntimeException> errors,
            List<StageLog> logs, PrintWriter out, boolean html) {
        RuntimeException first = errors.stream().filter(Objects::nonNull).findFirst().orElseThrow();
        if (logs.stream().noneMatch(StageLog::started)) {
            return first;
        }
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            StageLog log = logs.get(i);
            if (results.get(i) != null) {
                out.print(describe(results.get(i), html));
            } else {
                out.print(log.describe("a set before it failed"));
            }
            if (errors.get(i) != null) {
                Stage stage = log.failedStage();
                messages.add(log.subject() + (stage == null ? "" : " " + stage.label()) + ": "
                        + Main.oneLine(errors.get(i).getMessage()));
            }
        }
        out.flush();
        if (Main.exitCode(first) == Main.INTERNAL && !(first instanceof CliException)) {
            return first;
        }
        return new CliException(Main.exitCode(first), String.join("; ", messages), first);
    }

    static Timeframe parseTimeframe(String option, String text) {
        try {
            return Timeframe.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.BAD_INPUT, option + ": " + e.getMessage());
        }
    }

    /** A few lines saying what each stage did and where its output is (the quality page too when {@code html}). */
    static String describe(PipelineResult r, boolean html) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.featureSet()).append(' ').append(r.timeframe()).append(" (run ").append(r.runId()).append(")\n");
        for (PipelineResult.StageResult s : r.stages()) {
            sb.append(String.format(Locale.ROOT, "  %-8s", s.stage().label()));
            switch (s.stage()) {
                case INGEST -> sb.append(s.rows()).append(" candles read, ").append(r.ingest().total().inserted())
                        .append(" new");
                case BUILD -> sb.append(s.rows()).append(" feature rows built and stored")
                        .append(fingerprint(r.builds().stream().map(BuildRecord::fingerprint)));
                case EXPORT -> sb.append(s.rows()).append(" rows to ").append(join(s.outputs())).append("; ")
                        .append(r.snapshots().size()).append(" audit rows")
                        .append(fingerprint(r.snapshots().stream().map(SnapshotRecord::fingerprint)));
                case QUALITY -> {
                    QualityReport q = r.quality();
                    sb.append(q.status().jsonName()).append(q.blockingFailure() ? " (a blocking check failed)" : "")
                            .append(", ").append(s.rows()).append(" rows checked, report ").append(join(s.outputs()));
                    if (html) {
                        sb.append(", page ").append(page(r));
                    }
                }
                default -> throw new IllegalStateException(s.stage().toString());
            }
            sb.append(" (").append(ProgressPrinter.seconds(s.took())).append(")\n");
        }
        return sb.toString();
    }

    /** {@code ", set fingerprint <hex>"} when the records name one, else nothing. */
    private static String fingerprint(java.util.stream.Stream<String> fingerprints) {
        List<String> distinct = fingerprints.filter(Objects::nonNull).distinct().toList();
        return distinct.size() == 1 ? ", set fingerprint " + distinct.get(0) : "";
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
