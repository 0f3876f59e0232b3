package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's JVM-app sample, run as it is written there: the region between the markers, less
 * the lines marked {@code sample:omit} (the checks). Its relative paths ({@code data/...}) resolve
 * in the tests' working directory, {@code examples/target/readme-samples}.
 */
@DisplayName("README sample: a JVM app")
class JvmAppSampleTest {

    @Test
    @DisplayName("upserts, builds, fetches a 120 x 20 window of closed candles and exports Parquet, on SQLite")
    void jvm_app() throws IOException {
        deleteRecursively(Path.of("data"));
        SyntheticCandles market = SyntheticCandles.seed(7).start(LocalDate.of(2024, 1, 8)).tradingDays(5);
        List<CandleSeries> series = market.generate(List.of("SBER", "GAZP"));
        Instant from = Instant.parse("2024-01-08T00:00:00Z");
        Instant to = market.end();
        Instant now = market.end();
        // sample:begin readme-jvm-app
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:data/featurestore.db").build()) {
            for (CandleSeries candles : series) {
                store.candles().upsert(candles);                              // idempotent, keyed by (secid, timeframe, ts)
            }
            store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
                    .between(from, to).build();                               // one transaction per secid
            FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120)
                    .secid("SBER").asOf(now).fetch();                         // 120 x 20, oldest first, only closed candles
            double[][] x = w.toArray();
            List<SnapshotRecord> snapshot = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
                    .between(from, to).export("parquet", Path.of("data/processed/features"));
            assertThat(x).hasNumberOfRows(120);                                                    // sample:omit
            assertThat(x[0]).hasSize(20);                                                          // sample:omit
            assertThat(w.availableAt()).isBeforeOrEqualTo(now);                                   // sample:omit
            assertThat(snapshot).extracting(SnapshotRecord::secid).containsExactly("GAZP", "SBER"); // sample:omit
            assertThat(Path.of(snapshot.get(0).path())).isRegularFile()                            // sample:omit
                    .startsWith(Path.of("data/processed/features").toAbsolutePath());              // sample:omit
        }
        // sample:end readme-jvm-app
        assertThat(Path.of("data/featurestore.db")).isRegularFile();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
