package dev.featurestore.cli;

import dev.featurestore.core.Store;
import dev.featurestore.core.pipeline.PipelineResult;
import dev.featurestore.core.progress.Stage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code featurestore demo}: the main job on sample data. Generates five trading days of 1-minute
 * candles for three secids into a CSV file, ingests them into an embedded SQLite database, and runs
 * {@code tech_v1} and {@code tech_v2} at 5 minutes at the same time (build, Parquet and Feather
 * snapshots with their audit rows, quality reports).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Runs the main job on sample data, with no configuration: generates 5 trading days of "
                + "synthetic 1m candles for SBER, GAZP and LKOH into data/sample/candles_1m.csv, ingests them into "
                + "the SQLite database featurestore.db, runs tech_v1 and tech_v2 at 5m at the same time (two threads): "
                + "build, Parquet and Feather snapshots under data/processed/features (recorded in the audit log) and "
                + "quality reports (JSON and an HTML page) under docs/data_quality; then prints where each output is. Paths are under --dir. "
                + "Running it again resumes the ingest, rebuilds the same values and finds the snapshots unchanged."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed", "2:bad usage",
                "3:the database or an output could not be written", "70:unexpected internal error"})
final class DemoCommand implements Callable<Integer> {
    static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH");
    static final LocalDate START = LocalDate.of(2024, 1, 8);

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Directory under which everything is written (default: the current directory).")
    Path dir;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path candles = dir.resolve("data/sample/candles_1m.csv").normalize();
        Path dbFile = dir.resolve("featurestore.db").normalize();
        GenerateCommand.Result g = GenerateCommand.generate(SECIDS, 5, seed, START, 0.01, candles);
        out.println(g.describe());
        out.flush();

        StoreOptions store = new StoreOptions();
        store.db = "jdbc:sqlite:" + dbFile;
        JobOptions job = new JobOptions();
        job.sets = List.of("tech_v1", "tech_v2");
        job.timeframe = "5m";
        job.formats = List.of("parquet", "feather");
        job.snapshotDir = dir.resolve("data/processed/features").normalize();
        job.qualityDir = dir.resolve("docs/data_quality").normalize();
        job.quiet = quiet;
        job.plain = true;
        SourceOptions source = new SourceOptions();
        source.csv = candles;
        List<PipelineResult> results = Jobs.run(store, job, source, "1m", null, true, out, err, Stage.values());

        boolean blocking = false;
        long auditRows;
        try (Store s = store.open()) {
            auditRows = s.snapshots().all().size();
        }
        out.println("ingested the candles into " + dbFile + " (SQLite)");
        for (PipelineResult r : results) {
            out.print(Jobs.describe(r, job.html));
            blocking |= r.blockingFailure();
        }
        out.println("audit log: " + auditRows + " rows in train_data_snapshots of " + dbFile
                + " (list them: featurestore snapshots list --db jdbc:sqlite:" + dbFile + ")");
        out.flush();
        return blocking ? Main.QUALITY : Main.OK;
    }
}
