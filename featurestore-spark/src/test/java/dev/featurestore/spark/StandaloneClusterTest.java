package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.parquet.ParquetSnapshotFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster: a Spark master and one worker, each a JVM of its own on
 * 127.0.0.1 started from the test class path, and executors the worker starts, so that every
 * closure and every exception crosses a process boundary (which {@code local} mode never asks of
 * them). Both are stopped at the end.
 */
@DisplayName("SparkFeatures on a standalone master and worker")
class StandaloneClusterTest {
    private static final String LOOPBACK = "127.0.0.1";

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    @DisplayName("computes and exports the same rows as one machine, and an invalid candle comes back typed")
    void cluster(@TempDir Path dir) throws Exception {
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("jars")); // the jars come from the class path given
        int masterPort = freePort();
        List<Process> started = new ArrayList<>();
        SparkSession spark = null;
        try {
            started.add(start(dir, sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", LOOPBACK,
                    "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())));
            awaitPort(masterPort, Duration.ofSeconds(90), started.get(0), dir.resolve("master.log"));
            String master = "spark://" + LOOPBACK + ":" + masterPort;
            started.add(start(dir, sparkHome, "worker", "org.apache.spark.deploy.worker.Worker", master, "--host",
                    LOOPBACK, "--cores", "2", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", Files.createDirectories(dir.resolve("work")).toString()));
            spark = SparkSessions.configured(SparkSession.builder().master(master))
                    .config("spark.executor.memory", "768m")
                    .config("spark.cores.max", "2")
                    .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.executor.extraJavaOptions", javaOptions())
                    .getOrCreate();

            List<CandleSeries> series = TestCandles.generate(71, 4, 6);
            Dataset<Row> candles = TestCandles.dataset(spark, series, 71);
            Map<String, List<Row>> bySecid = TestCandles.group(
                    SparkFeatures.compute(candles, "tech_v2", "5m").collectAsList());
            Map<String, FeatureFrame> expected = new HashMap<>();
            for (CandleSeries s : series) {
                expected.put(s.secid(), FeatureStore.forSet("tech_v2").timeframe("5m").compute(s));
                TestCandles.assertSameBits(bySecid.get(s.secid()), expected.get(s.secid()));
            }
            assertThat(spark.sparkContext().getExecutorMemoryStatus().size()).as("driver and executor")
                    .isGreaterThanOrEqualTo(2);

            try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("fs.db")).build()) {
                SparkSnapshot s = SparkFeatures.forSet("tech_v2").timeframe("5m")
                        .exportSnapshot(candles, dir.resolve("out"), store);
                int frames = 0;
                for (Path file : s.files()) {
                    for (FeatureFrame read : new ParquetSnapshotFormat().read(file)) {
                        FeatureFrame want = expected.get(read.secid());
                        assertThat(read.timestamps()).isEqualTo(want.timestamps());
                        for (int f = 0; f < want.featureNames().size(); f++) {
                            assertThat(Arrays.stream(read.column(f)).mapToLong(Double::doubleToRawLongBits).toArray())
                                    .isEqualTo(Arrays.stream(want.column(f)).mapToLong(Double::doubleToRawLongBits)
                                            .toArray());
                        }
                        frames++;
                    }
                }
                assertThat(frames).isEqualTo(series.size());
                assertThat(store.storage().snapshots(SnapshotQuery.all())).hasSize(series.size());

                CandleSeries bad = series.get(2);
                Dataset<Row> broken = candles.withColumn("volume", functions.when(
                        functions.col("secid").equalTo(bad.secid())
                                .and(functions.col("ts").equalTo(functions.lit(new java.sql.Timestamp(bad.ts(99))))),
                        functions.lit(-1.0)).otherwise(functions.col("volume")));
                InvalidCandleException e = catchThrowableOfType(InvalidCandleException.class,
                        () -> SparkFeatures.forSet("tech_v2").timeframe("5m").exportSnapshot(broken,
                                dir.resolve("broken"), store));
                assertThat(e.secid()).isEqualTo(bad.secid());
                assertThat(e.row()).isEqualTo(99);
                assertThat(e.tsMillis()).isEqualTo(bad.ts(99));
                assertThat(e.field()).isEqualTo("volume");
                assertThat(store.storage().snapshots(SnapshotQuery.all())).hasSize(series.size());
            }
        } catch (Throwable t) {
            for (String log : List.of("master.log", "worker.log")) {
                Path p = dir.resolve(log);
                if (Files.exists(p)) {
                    System.out.println("---- " + log + "\n" + Files.readString(p));
                }
            }
            throw t;
        } finally {
            if (spark != null) {
                spark.stop();
            }
            for (int i = started.size() - 1; i >= 0; i--) {
                Process p = started.get(i);
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
        }
        assertThat(started).allMatch(p -> !p.isAlive());
    }

    private static String javaOptions() {
        return System.getProperty("spark.test.java.options", "");
    }

    private static Process start(Path dir, Path sparkHome, String name, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        for (String o : javaOptions().split(" ")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", LOOPBACK);
        pb.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Duration limit, Process process, Path log) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the process ended with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                new Socket(LOOPBACK, port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("nothing listens on " + LOOPBACK + ":" + port + " after " + limit + ":\n"
                + Files.readString(log));
    }
}
