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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
        List<PipelineResult> results = run(storeOptions, job, source, ingestTimeframe, completeThrough, parallel, err,
                stages);
        boolean blocking = false;
        for (PipelineResult r : results) {
            out.print(describe(r));
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

    static List<PipelineResult> run(StoreOptions storeOptions, JobOptions job, SourceOptions source,
            String ingestTimeframe, Instant completeThrough, boolean parallel, PrintWriter err, Stage... stages) {
        Timeframe tf = parseTimeframe("--timeframe", job.timeframe);
        Timeframe ingestTf = parseTimeframe("--ingest-timeframe", ingestTimeframe);
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
                ProgressListener listener = ProgressPrinter.of(err, job.quiet, job.plain || (parallel && several),
                        several ? set : null);
                pipelines.add(p.listener(listener));
            }
            if (!parallel || !several) {
                List<PipelineResult> results = new ArrayList<>();
                for (Pipeline p : pipelines) {
                    results.add(p.run(store));
                }
                return results;
            }
            ExecutorService pool = Executors.newFixedThreadPool(pipelines.size());
            try {
                List<Future<PipelineResult>> futures = new ArrayList<>();
                for (Pipeline p : pipelines) {
                    futures.add(pool.submit(() -> p.run(store)));
                }
                List<PipelineResult> results = new ArrayList<>();
                for (Future<PipelineResult> f : futures) {
                    results.add(f.get());
                }
                return results;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(Main.INTERNAL, "interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static Timeframe parseTimeframe(String option, String text) {
        try {
            return Timeframe.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.BAD_INPUT, option + ": " + e.getMessage());
        }
    }

    /** A few lines saying what each stage did and where its output is. */
    static String describe(PipelineResult r) {
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
                }
                default -> throw new IllegalStateException(s.stage().toString());
            }
            sb.append(" (").append(ProgressPrinter.seconds(s.took())).append(")\n");
        }
        return sb.toString();
    }

    /** {@code ", set fingerprint <hex>"} when the records name one, else nothing. */
    private static String fingerprint(java.util.stream.Stream<String> fingerprints) {
        List<String> distinct = fingerprints.filter(java.util.Objects::nonNull).distinct().toList();
        return distinct.size() == 1 ? ", set fingerprint " + distinct.get(0) : "";
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
