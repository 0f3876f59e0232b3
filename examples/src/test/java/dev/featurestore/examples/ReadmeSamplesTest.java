package dev.featurestore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code samples of the README, as they are written there, so that they stay true. */
@DisplayName("The README's code samples")
class ReadmeSamplesTest {

    @Test
    @DisplayName("the unit-test sample: one (N, 120, 20) block of closed candles")
    void model_sees_only_closed_candles() {
        SyntheticCandles market = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(5);
        CandleSeries candles = market.generate("SBER");                  // seeded 1m candles, Moscow session hours
        FeatureWindows batch = FeatureStore.forSet("tech_v2").timeframe("5m").window(120).stride(10)
                .completeThrough(market.end())                            // the last 5m bucket is final
                .windows(candles);                                        // one (N, 120, 20) block
        assertThat(batch.shape()).containsExactly(batch.count(), 120, 20);
        assertThat(batch.count()).isGreaterThan(0);
    }

    @Test
    @DisplayName("the JVM-app sample: upsert, build, fetch and export on SQLite")
    void jvm_app(@TempDir Path dir) {
        SyntheticCandles market = SyntheticCandles.seed(7).start(LocalDate.of(2024, 1, 8)).tradingDays(5);
        List<CandleSeries> all = market.generate(List.of("SBER", "GAZP"));
        Instant from = Instant.parse("2024-01-08T00:00:00Z");
        Instant to = market.end();
        Instant now = market.end();
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("featurestore.db")).build()) {
            for (CandleSeries candles : all) {
                store.candles().upsert(candles);                          // idempotent, keyed by (secid, timeframe, ts)
            }
            store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
                    .between(from, to).build();                           // one transaction per secid
            FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120)
                    .secid("SBER").asOf(now).fetch();                     // 120 x 20, oldest first, only closed candles
            double[][] x = w.toArray();
            List<SnapshotRecord> snapshot = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
                    .between(from, to).export("parquet", dir.resolve("data/processed/features"));

            assertThat(x).hasNumberOfRows(120);
            assertThat(x[0]).hasSize(20);
            assertThat(w.availableAt()).isEqualTo(w.lastOpenTime().plusSeconds(300)).isBeforeOrEqualTo(now);
            assertThat(snapshot).extracting(SnapshotRecord::secid).containsExactly("GAZP", "SBER");
            assertThat(Files.isRegularFile(Path.of(snapshot.get(0).path()))).isTrue();
        }
    }
}
