package dev.featurestore.spark;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: reads candles from Parquet, CSV or a JDBC table, builds a
 * feature set on the cluster and writes and records one snapshot ({@link SparkSnapshot}).
 *
 * <pre>{@code
 * spark-submit --class dev.featurestore.spark.SparkBuild --master local[2] \
 *     --jars <featurestore jars> featurestore-spark.jar \
 *     --set tech_v2 --timeframe 5m --candles data/candles.parquet \
 *     --snapshot-output-dir data/processed/features --store jdbc:sqlite:data/featurestore.db
 * }</pre>
 *
 * <p>Exit codes: 0 success, 2 bad input or usage (one line on standard error says what and where:
 * a wrong column type, an invalid candle with its secid, ts and field), 3 a storage or other
 * library error, 70 an unexpected error.
 */
@Command(name = "featurestore-spark", mixinStandardHelpOptions = true,
        description = "Builds a feature set on Apache Spark and writes one snapshot, recorded in train_data_snapshots.")
public final class SparkBuild implements Callable<Integer> {
    @Option(names = "--set", required = true, description = "the feature set, e.g. tech_v2")
    String set;

    @Option(names = "--timeframe", required = true, description = "the features' timeframe, e.g. 5m")
    String timeframe;

    @Option(names = "--candle-timeframe", defaultValue = "1m", description = "the candles' timeframe (default ${DEFAULT-VALUE})")
    String candleTimeframe;

    @Option(names = "--candles", description = "candle files: a Parquet file or directory, or a CSV file (header "
            + "secid,ts,open,high,low,close,volume; ts ISO-8601 with an offset, or epoch ms)")
    String candles;

    @Option(names = "--format", defaultValue = "auto", description = "parquet, csv or auto (by the file name; default)")
    String format;

    @Option(names = "--jdbc-url", description = "read the candles over JDBC instead, e.g. jdbc:postgresql://host/db")
    String jdbcUrl;

    @Option(names = "--jdbc-table", description = "the table or subquery the candles come from (default: the fact "
            + "layer's candles of the candle timeframe)")
    String jdbcTable;

    @Option(names = "--jdbc-user", description = "the JDBC user")
    String jdbcUser;

    @Option(names = "--jdbc-password", description = "the JDBC password")
    String jdbcPassword;

    @Option(names = "--registry", description = "the registry file (default: the built-in registry)")
    Path registry;

    @Option(names = "--from", description = "first candle open time of the rows, ISO-8601, e.g. 2024-01-01T00:00:00Z")
    Instant from;

    @Option(names = "--to", description = "open time where the rows end, excluded; the candles are taken as "
            + "complete through it")
    Instant to;

    @Option(names = "--complete-through", description = "the candles are complete through this time, ISO-8601: "
            + "the last resampled bucket ending by then is built even without a later candle (default: --to)")
    Instant completeThrough;

    @Option(names = "--snapshot-output-dir", defaultValue = "data/processed/features",
            description = "the snapshot_output_dir (default ${DEFAULT-VALUE})")
    Path outputDir;

    @Option(names = "--store", defaultValue = "jdbc:sqlite:data/featurestore.db",
            description = "the store keeping train_data_snapshots (default ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--overwrite", description = "replace a snapshot of the same date")
    boolean overwrite;

    @Option(names = "--master", description = "the Spark master when not given by spark-submit, e.g. local[2]")
    String master;

    SparkBuild() {
    }

    /**
     * Runs the build and exits with its code.
     *
     * @param args the options, see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the build without exiting the JVM.
     *
     * @param args the options, see {@code --help}
     * @return the exit code: 0 success, 2 bad input or usage, 3 a library or storage error, 70 an
     *     unexpected error
     */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkBuild());
        cl.registerConverter(Instant.class, Instant::parse);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof IllegalArgumentException || e instanceof dev.featurestore.api.InvalidCandleException
                    || e instanceof dev.featurestore.api.InvalidQueryException
                    || e instanceof dev.featurestore.api.UnknownFeatureSetException) {
                err.println("featurestore-spark: " + e.getMessage());
                return 2;
            }
            if (e instanceof FeatureStoreException) {
                err.println("featurestore-spark: " + e.getMessage());
                return 3;
            }
            e.printStackTrace(err);
            return 70;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        if ((candles == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("give the candles with exactly one of --candles or --jdbc-url");
        }
        SparkFeatures job = SparkFeatures.forSet(set).timeframe(timeframe).candleTimeframe(candleTimeframe);
        if (registry != null) {
            job = job.registry(registry);
        }
        if (from != null || to != null) {
            if (from == null || to == null) {
                throw new IllegalArgumentException("give both --from and --to, or neither");
            }
            job = job.between(from, to).completeThrough(to);
        }
        if (completeThrough != null) {
            job = job.completeThrough(completeThrough);
        }
        SparkSession.Builder b = SparkSession.builder().appName("featurestore-spark " + set + " " + timeframe);
        if (master != null) {
            b = b.master(master);
        }
        SparkSession spark = b.getOrCreate();
        StageTimes stages = new StageTimes();
        spark.sparkContext().addSparkListener(stages);
        try (Store st = FeatureStore.builder().storage(store).build()) {
            SparkSnapshot s = job.exportSnapshot(read(spark), outputDir, st, overwrite);
            System.out.println("snapshot " + s.directory() + ": " + s.rows() + " rows of " + s.records().size()
                    + " secids in " + s.files().size() + " files, recorded in train_data_snapshots");
            for (Map.Entry<String, Duration> e : s.steps().entrySet()) {
                System.out.printf(Locale.ROOT, "  %-8s %8.2f s%n", e.getKey(), e.getValue().toNanos() / 1e9);
            }
            System.out.println("Spark stages (wall s, tasks, task time s):");
            for (String line : stages.lines()) {
                System.out.println("  " + line);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    private Dataset<Row> read(SparkSession spark) {
        if (jdbcUrl != null) {
            Properties props = new Properties();
            if (jdbcUser != null) {
                props.setProperty("user", jdbcUser);
            }
            if (jdbcPassword != null) {
                props.setProperty("password", jdbcPassword);
            }
            String table = jdbcTable != null ? jdbcTable
                    : "(SELECT secid, ts, open, high, low, close, volume FROM candles WHERE timeframe = '"
                            + candleTimeframe.replace("'", "''") + "') c";
            return numbers(spark.read().jdbc(jdbcUrl, table, props));
        }
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("auto")) {
            f = candles.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
        }
        switch (f) {
            case "parquet":
                return spark.read().parquet(candles);
            case "csv":
                return csv(spark.read().option("header", "true").csv(candles));
            default:
                throw new IllegalArgumentException("--format is '" + format + "'; valid: parquet, csv, auto");
        }
    }

    /** The wall time, tasks and summed task run time of each completed Spark stage, in completion order. */
    static final class StageTimes extends org.apache.spark.scheduler.SparkListener {
        private final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted completed) {
            org.apache.spark.scheduler.StageInfo info = completed.stageInfo();
            if (info.submissionTime().isEmpty() || info.completionTime().isEmpty()) {
                return;
            }
            long wall = (Long) info.completionTime().get() - (Long) info.submissionTime().get();
            long run = info.taskMetrics() == null ? 0 : info.taskMetrics().executorRunTime();
            String name = info.name().length() > 40 ? info.name().substring(0, 40) : info.name();
            lines.add(String.format(Locale.ROOT, "stage %-3d %-40s %8.2f %5d %8.2f", info.stageId(), name,
                    wall / 1e3, info.numTasks(), run / 1e3));
        }

        java.util.List<String> lines() {
            return java.util.List.copyOf(lines);
        }
    }

    /**
     * A JDBC table's columns as the candle schema: a database's integer or decimal ts (SQLite's
     * BIGINT reads as decimal(20,0)) as bigint epoch ms, its numeric prices and volumes as double.
     */
    static Dataset<Row> numbers(Dataset<Row> table) {
        Dataset<Row> t = table;
        for (org.apache.spark.sql.types.StructField f : table.schema().fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            boolean numeric = f.dataType() instanceof org.apache.spark.sql.types.NumericType;
            if (name.equals("ts") && numeric) {
                t = t.withColumn(f.name(), functions.col(f.name()).cast("long"));
            } else if (numeric && java.util.List.of("open", "high", "low", "close", "volume").contains(name)) {
                t = t.withColumn(f.name(), functions.col(f.name()).cast("double"));
            }
        }
        return t;
    }

    /** The CSV's text columns, named in any letter case, as the candle schema. */
    static Dataset<Row> csv(Dataset<Row> text) {
        Dataset<Row> t = text;
        for (String c : text.columns()) {
            t = t.withColumnRenamed(c, c.trim().toLowerCase(Locale.ROOT));
        }
        for (String c : new String[] {"secid", "ts", "open", "high", "low", "close", "volume"}) {
            if (!java.util.Arrays.asList(t.columns()).contains(c)) {
                throw new IllegalArgumentException("the candle CSV has no column '" + c + "'; columns: "
                        + String.join(", ", text.columns()) + "; expected secid, ts, open, high, low, close, volume");
            }
        }
        Column ts = functions.col("ts");
        Column parsed = functions.when(ts.rlike("^-?[0-9]+$"), functions.timestamp_millis(ts.cast("long")))
                .otherwise(functions.to_timestamp(ts));
        return t.select(functions.col("secid"), parsed.as("ts"), functions.col("open").cast("double").as("open"),
                functions.col("high").cast("double").as("high"), functions.col("low").cast("double").as("low"),
                functions.col("close").cast("double").as("close"),
                functions.col("volume").cast("double").as("volume"));
    }
}
