package dev.featurestore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureSetChangedException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.storage.InMemoryStorage;
import dev.featurestore.core.testing.TestCandles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A feature set whose definition changed under the same name")
class FeatureSetChangedTest {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;

    private static FeatureRegistry registry(String features) {
        return FeatureRegistry.parse("test.yaml", "version: 1\nfeature_sets:\n  test_v1:\n"
                + "    default_window_size: 5\n    timeframes: [5m]\n    features: " + features + "\n");
    }

    private static CandleSeries candles(String secid) {
        CandleSeries s = TestCandles.randomWalk(17, 600, M1, false);
        return CandleSeries.of(secid, M1, s.timestamps(), s.opens(), s.highs(), s.lows(), s.closes(), s.volumes());
    }

    @Test
    @DisplayName("is refused by build(), export() and the pipeline, naming both fingerprints and asking for a new set")
    void refused(@TempDir Path dir) {
        FeatureRegistry before = registry("[return_1, rsi_14]");
        FeatureRegistry after = registry("[return_1, rsi_14, atr_14]");
        String old = before.fingerprint("test_v1");
        String now = after.fingerprint("test_v1");
        assertThat(old).isNotEqualTo(now);

        InMemoryStorage storage = new InMemoryStorage();
        Store first = FeatureStore.builder().registry(before).storage(storage).build();
        first.candles().upsert(candles("SBER"));
        first.candles().upsert(candles("GAZP"));
        List<BuildRecord> built = first.forSet("test_v1").timeframe("5m").secids("SBER", "GAZP").build();
        assertThat(built).extracting(BuildRecord::fingerprint).containsExactly(old, old);
        assertThat(storage.builds("test_v1", Timeframe.parse("5m"), "SBER")).extracting(BuildRecord::fingerprint)
                .containsExactly(old);
        assertThat(first.forSet("test_v1").timeframe("5m").secid("SBER").build().get(0).fingerprint())
                .as("the unchanged set builds again").isEqualTo(old);

        try (Store second = FeatureStore.builder().registry(after).storage(storage).build()) {
            assertThatThrownBy(() -> second.forSet("test_v1").timeframe("5m").secids("GAZP").build())
                    .isInstanceOf(FeatureSetChangedException.class).isInstanceOf(InvalidQueryException.class)
                    .hasMessageContaining("build()").hasMessageContaining("GAZP").hasMessageContaining(old)
                    .hasMessageContaining(now).hasMessageContaining("new feature set in the registry")
                    .satisfies(e -> {
                        FeatureSetChangedException c = (FeatureSetChangedException) e;
                        assertThat(c.featureSet()).isEqualTo("test_v1");
                        assertThat(c.storedFingerprint()).isEqualTo(old);
                        assertThat(c.registryFingerprint()).isEqualTo(now);
                    });
            assertThat(storage.builds("test_v1", Timeframe.parse("5m"), "GAZP")).as("nothing was built")
                    .hasSize(1);
            assertThatThrownBy(() -> second.forSet("test_v1").timeframe("5m").secids("SBER", "GAZP")
                    .export("parquet", dir)).isInstanceOf(FeatureSetChangedException.class)
                    .hasMessageContaining("export()").hasMessageContaining(old).hasMessageContaining(now)
                    .hasMessageContaining("new feature set in the registry");
            assertThat(second.snapshots().all()).as("nothing was exported").isEmpty();
            assertThatThrownBy(() -> Pipeline.forSet("test_v1").timeframe("5m").secids(List.of("SBER")).snapshotFileFormat()
                    .between(Instant.ofEpochMilli(TestCandles.START), Instant.ofEpochMilli(TestCandles.START)
                            .plusSeconds(86_400))
                    .run(second)).isInstanceOf(FeatureSetChangedException.class)
                    .hasMessageContaining("pipeline").hasMessageContaining(old).hasMessageContaining(now);
            assertThat(storage.builds("test_v1", Timeframe.parse("5m"), "SBER")).hasSize(2);
        }
    }

    @Test
    @DisplayName("a series last built before fingerprints were kept builds, and its new build records the fingerprint")
    void olderBuildsWithoutFingerprintPass() {
        FeatureRegistry registry = registry("[return_1, rsi_14]");
        try (Store store = FeatureStore.builder().registry(registry).build()) {
            store.candles().upsert(candles("SBER"));
            BuildRecord built = store.forSet("test_v1").timeframe("5m").secid("SBER").build().get(0);
            BuildRecord legacy = new BuildRecord(built.featureSet(), built.timeframe(), built.secid(), built.fromTs(),
                    built.toTs(), built.historyStartTs(), built.rows(), built.windowSize(), built.startedAt(),
                    built.finishedAt(), BuildRecord.Status.COMPLETED, null);
            store.storage().writeBuild(legacy, store.forSet("test_v1").timeframe("5m").secid("SBER").frame());
            assertThat(store.storage().builds("test_v1", Timeframe.parse("5m"), "SBER").get(1).fingerprint()).isNull();
            assertThat(store.forSet("test_v1").timeframe("5m").secid("SBER").build().get(0).fingerprint())
                    .isEqualTo(registry.fingerprint("test_v1"));
        }
    }
}
