package dev.featurestore.bench.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to write one snapshot of 1,000,000 rows x 20 features (18 numeric doubles, 2 categorical)
 * plus {@code secid} and {@code ts}, for 10 secids of 100,000 one-minute rows each; rows/s is
 * 1,000,000 divided by the time.
 *
 * <ul>
 *   <li>{@code parquet-snappy}, {@code parquet-zstd}, {@code feather}: the format's
 *       {@code write} into a new file (what the exporter does before fsync and rename);
 *   <li>{@code parquet-snappy-export}: the whole export, with fsync, SHA-256 and atomic rename;
 *   <li>{@code duckdb-parquet}, {@code duckdb-parquet-zstd}: DuckDB ({@code SET threads=1})
 *       running {@code COPY (SELECT * FROM t) TO 'file.parquet' (FORMAT parquet, COMPRESSION snappy)}
 *       (or {@code zstd}) from the same rows already loaded into an in-memory table; only the COPY
 *       is measured.
 * </ul>
 *
 * <p>Each invocation writes about 150 MB, so the benchmark runs as single shots; the file of the
 * previous shot is deleted outside the measurement.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-opens=java.base/java.nio=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class SnapshotWriteBenchmark {
    static final int SECIDS = 10;
    static final int ROWS_PER_SECID = 100_000;
    static final int FEATURES = 20;

    @Param({"parquet-snappy", "parquet-zstd", "feather", "duckdb-parquet", "duckdb-parquet-zstd", "parquet-snappy-export"})
    public String writer;

    private Path dir;
    private Path out;
    private List<FeatureFrame> frames;
    private SnapshotMetadata meta;
    private SnapshotFormat format;
    private String codec;
    private SnapshotExporter exporter;
    private Connection duck;
    private String copySql;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        dir = Files.createTempDirectory("fs-snapshot-bench");
        frames = frames();
        meta = SnapshotMetadata.of(frames.get(0), "bench", frames.get(0).ts(0), frames.get(0).ts(0),
                frames.get(0).ts(ROWS_PER_SECID - 1));
        switch (writer) {
            case "parquet-snappy":
            case "parquet-snappy-export":
                format = SnapshotFormats.byName("parquet");
                codec = "snappy";
                break;
            case "parquet-zstd":
                format = SnapshotFormats.byName("parquet");
                codec = "zstd";
                break;
            case "feather":
                format = SnapshotFormats.byName("feather");
                codec = null;
                break;
            case "duckdb-parquet":
            case "duckdb-parquet-zstd":
                Path source = dir.resolve("source.parquet");
                SnapshotFormats.byName("parquet").write(frames, meta, "snappy", source);
                duck = DriverManager.getConnection("jdbc:duckdb:");
                try (Statement st = duck.createStatement()) {
                    st.execute("SET threads=1");
                    st.execute("SET preserve_insertion_order=true");
                    st.execute("CREATE TABLE t AS SELECT * FROM read_parquet('" + sql(source) + "')");
                }
                Files.delete(source);
                break;
            default:
                throw new IllegalArgumentException("unknown writer " + writer);
        }
        if (writer.endsWith("-export")) {
            exporter = SnapshotExporter.builder().format(format).compression(codec).overwrite(true)
                    .staleTempAge(Duration.ZERO).build();
        }
        out = dir.resolve("out." + (format == null ? "parquet" : format.extension()));
        copySql = "COPY (SELECT * FROM t) TO '" + sql(out) + "' (FORMAT parquet, COMPRESSION "
                + (writer.endsWith("-zstd") ? "zstd" : "snappy") + ")";
    }

    @Setup(Level.Invocation)
    public void clean() throws IOException {
        Files.deleteIfExists(out);
        if (exporter != null) {
            deleteTree(dir.resolve("export"));
        }
    }

    @Benchmark
    public long write() throws SQLException, IOException {
        if (duck != null) {
            try (Statement st = duck.createStatement()) {
                st.execute(copySql);
            }
        } else if (exporter != null) {
            exporter.export(dir.resolve("export"), frames, meta, LocalDate.of(2026, 1, 1));
            return 1;
        } else {
            format.write(frames, meta, codec, out);
        }
        return Files.size(out);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException, IOException {
        if (duck != null) {
            duck.close();
        }
        deleteTree(dir);
    }

    static List<FeatureFrame> frames() {
        List<String> names = new ArrayList<>();
        List<FeatureKind> kinds = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            names.add("f" + f);
            kinds.add(f == 15 || f == 16 ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC);
        }
        Random rnd = new Random(7);
        Timeframe tf = Timeframe.parse("1m");
        List<FeatureFrame> out = new ArrayList<>();
        long start = 1_767_225_600_000L;
        for (int s = 0; s < SECIDS; s++) {
            long[] ts = new long[ROWS_PER_SECID];
            double[][] cols = new double[FEATURES][ROWS_PER_SECID];
            double walk = 100;
            for (int i = 0; i < ROWS_PER_SECID; i++) {
                ts[i] = start + i * 60_000L;
                walk += rnd.nextGaussian() * 0.1;
                for (int f = 0; f < FEATURES; f++) {
                    cols[f][i] = kinds.get(f) == FeatureKind.CATEGORICAL ? rnd.nextInt(2)
                            : f % 3 == 0 ? walk / 100 : rnd.nextGaussian();
                }
            }
            out.add(Columns.frame(String.format("SEC%02d", s), "bench_set", tf, names, kinds, ts, cols, 0,
                    ROWS_PER_SECID));
        }
        return out;
    }

    private static String sql(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
