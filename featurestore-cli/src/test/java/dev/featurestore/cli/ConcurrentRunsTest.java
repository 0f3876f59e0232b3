package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.pipeline.PipelineResult;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("tech_v1 and tech_v2 run at the same time on one SQLite database, on two threads or in two processes")
class ConcurrentRunsTest {
    private static final SyntheticCandles GEN = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(3);
    private static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH");
    private static final List<String> SETS = List.of("tech_v1", "tech_v2");

    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("shared.db");
    }

    @Test
    @DisplayName("Two threads, each with its own store on the same new file opened at once, ingest the same candles and build their set")
    void twoThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<PipelineResult>> runs = new ArrayList<>();
            for (String set : SETS) {
                runs.add(pool.submit(() -> {
                    try (Store store = FeatureStore.builder().storage(db()).build()) {
                        return Pipeline.forSet(set).timeframe("5m").secids(SECIDS)
                                .between(GEN.firstTradingDay().atStartOfDay(ZoneOffset.UTC).toInstant(), GEN.end())
                                .source(SyntheticCandleSource.of(GEN).pageSize(500))
                                .snapshotOutputDir(dir.resolve("snap")).snapshotFileFormat("parquet", "feather")
                                .qualityReportDir(dir.resolve("quality")).run(store);
                    }
                }));
            }
            for (Future<PipelineResult> r : runs) {
                PipelineResult result = r.get(5, TimeUnit.MINUTES);
                assertThat(result.snapshots()).hasSize(2 * SECIDS.size());
                assertThat(result.qualityFile()).isRegularFile();
            }
        } finally {
            pool.shutdownNow();
        }
        assertStoredAsComputed();
    }

    @Test
    @DisplayName("Two JVMs started with the test class path run the command line's run on the same new file at once")
    void twoProcesses() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String set : SETS) {
            Path log = dir.resolve(set + ".log");
            logs.add(log);
            ProcessBuilder pb = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "run", "--synthetic", "--days", "3",
                    "--secids", String.join(",", SECIDS), "--set", set, "--format", "parquet,feather", "--plain",
                    "--db", db(), "--snapshot-dir", dir.resolve("snap").toString(), "--quality-dir",
                    dir.resolve("quality").toString());
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            processes.add(pb.start());
        }
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("%s finished", SETS.get(i)).isTrue();
            String log = Files.readString(logs.get(i), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(log).isZero();
            assertThat(log).contains(SETS.get(i) + " 5m (run").contains("quality: done");
            String set = SETS.get(i);
            assertThat(Cli.listing(dir.resolve("quality"))).filteredOn(n -> n.startsWith(set + "_5m_")
                    && n.endsWith(".html")).singleElement().satisfies(n -> assertThat(log).contains(n));
        }
        assertStoredAsComputed();
    }

    /** Every set's stored rows equal an in-memory computation over the generated candles; each set has its files. */
    private void assertStoredAsComputed() throws Exception {
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            for (String secid : SECIDS) {
                CandleSeries candles = GEN.generate(secid);
                assertThat(store.candles().readAll(secid, Timeframe.ONE_MINUTE).timestamps()).isEqualTo(candles.timestamps());
                for (String set : SETS) {
                    FeatureFrame expected = FeatureStore.forSet(set).timeframe(Timeframe.parse("5m"))
                            .completeThrough(GEN.end()).compute(candles);
                    FeatureFrame stored = store.forSet(set).timeframe("5m").secid(secid).frame();
                    assertThat(stored.size()).as("%s %s", set, secid).isEqualTo(expected.size());
                    for (int j = 0; j < expected.featureNames().size(); j++) {
                        assertThat(stored.column(j)).as("%s %s %s", set, secid, expected.featureNames().get(j))
                                .isEqualTo(expected.column(j));
                    }
                }
            }
            for (String set : SETS) {
                assertThat(store.snapshots().find(set, Timeframe.parse("5m"))).hasSize(2 * SECIDS.size());
                assertThat(Cli.listing(dir.resolve("snap").resolve(set).resolve("5m"))).containsExactly("20240110.feather", "20240110.parquet");
                assertThat(Cli.listing(dir.resolve("quality"))).filteredOn(n -> n.startsWith(set + "_5m_")
                        && n.endsWith(".json")).hasSize(1);
            }
        }
    }
}
