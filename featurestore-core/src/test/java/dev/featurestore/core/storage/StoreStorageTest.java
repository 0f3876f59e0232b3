package dev.featurestore.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.testing.TestCandles;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.FeatureStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Store with storage: wiring, query steps and the in-memory default")
class StoreStorageTest {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");

    private static CandleSeries walk(String secid, Timeframe tf, int n, long seed) {
        CandleSeries s = TestCandles.randomWalk(seed, n, tf, false);
        return CandleSeries.of(secid, tf, s.timestamps(), s.opens(), s.highs(), s.lows(), s.closes(), s.volumes());
    }

    @Test
    @DisplayName("Without a storage URL the store keeps candles and features in memory")
    void inMemoryByDefault() {
        try (Store store = FeatureStore.builder().build()) {
            assertThat(store.storage()).isInstanceOf(InMemoryStorage.class);
            CandleSeries series = walk("SBER", M1, 1000, 7);
            assertThat(store.candles().upsert(series).inserted()).isEqualTo(1000);
            List<BuildRecord> records = store.forSet("tech_v2").timeframe("5m").secid("SBER").build();
            FeatureFrame stored = store.forSet("tech_v2").timeframe("5m").secid("SBER").frame();
            FeatureFrame computed = store.forSet("tech_v2").timeframe("5m").compute(series);
            assertThat(stored.timestamps()).isEqualTo(computed.timestamps());
            assertThat(records.get(0).rows()).isEqualTo(computed.size());
            for (int j = 0; j < computed.featureNames().size(); j++) {
                assertThat(stored.column(j)).containsExactly(computed.column(j));
            }
        }
    }

    @Test
    @DisplayName("A build through the store that fails after half its rows leaves the stored values as they were")
    void failedBuildThroughTheStore() {
        InMemoryStorage memory = new InMemoryStorage();
        AtomicBoolean fail = new AtomicBoolean();
        FeatureStorage failing = (FeatureStorage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FeatureStorage.class}, (proxy, method, args) -> {
                    if (method.getName().equals("writeBuild") && fail.get()) {
                        FeatureFrame frame = (FeatureFrame) args[1];
                        BuildListener injected = row -> {
                            if (row == frame.size() / 2) {
                                throw new IllegalStateException("injected at row " + row);
                            }
                        };
                        memory.writeBuild((BuildRecord) args[0], frame, injected);
                        return null;
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Store store = FeatureStore.builder().storage(failing).build()) {
            CandleSeries series = walk("SBER", M5, 400, 9);
            store.candles().upsert(series.slice(0, 300));
            store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
            FeatureFrame before = store.forSet("tech_v1").timeframe(M5).secid("SBER").frame();
            store.candles().upsert(series);
            fail.set(true);
            assertThatThrownBy(() -> store.forSet("tech_v1").timeframe(M5).secid("SBER").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("injected");
            FeatureFrame after = store.forSet("tech_v1").timeframe(M5).secid("SBER").frame();
            assertThat(after.timestamps()).isEqualTo(before.timestamps()).hasSize(300 - 33);
            assertThat(after.column("rsi_14")).containsExactly(before.column("rsi_14"));
            assertThat(store.storage().builds("tech_v1", M5, "SBER")).extracting(BuildRecord::status)
                    .containsExactly(BuildRecord.Status.COMPLETED, BuildRecord.Status.FAILED);
            fail.set(false);
            store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
            assertThat(store.forSet("tech_v1").timeframe(M5).secid("SBER").frame().size()).isEqualTo(400 - 33);
        }
    }

    @Test
    @DisplayName("Closing the store closes its storage")
    void closeClosesStorage() {
        Store store = FeatureStore.builder().build();
        store.close();
        assertThatThrownBy(() -> store.candles().upsert(walk("SBER", M1, 10, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    @DisplayName("A storage URL no provider on the class path accepts is an error saying what would be accepted")
    void unknownUrl() {
        assertThatThrownBy(() -> FeatureStore.builder().storage("jdbc:sqlite:x.db").build())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("jdbc:sqlite:x.db")
                .hasMessageContaining("featurestore-jdbc")
                .hasMessageContaining("in-memory");
        assertThatThrownBy(() -> FeatureStore.builder().storage(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("Query steps check their arguments at once")
    void stepArguments() {
        FeatureQuery q = FeatureStore.builder().build().forSet("tech_v1");
        assertThatThrownBy(() -> q.secid("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.secids(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.secids("A", null)).isInstanceOf(NullPointerException.class);
        Instant t = Instant.parse("2024-01-02T00:00:00Z");
        assertThatThrownBy(() -> q.secid("A").between(t, t.minusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from is after to");
        assertThat(q.secids("B", "A", "B").secids()).containsExactly("B", "A");
        assertThat(q.secid("A").secids()).containsExactly("A");
        assertThat(q.secid("A").between(t, t).toString()).contains("secids [A]").contains("between");
    }

    @Test
    @DisplayName("build() refuses asOf, and a timeframe coarser than every stored one needs finer candles")
    void buildChecks() {
        try (Store store = FeatureStore.builder().build()) {
            store.candles().upsert(walk("SBER", Timeframe.parse("1h"), 100, 3));
            assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secid("SBER")
                    .asOf(Instant.parse("2024-01-03T00:00:00Z")).build())
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("asOf");
            assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secid("SBER").build())
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("1h");
            assertThat(store.forSet("tech_v2").timeframe("1h").secid("SBER").build().get(0).rows())
                    .isEqualTo(100 - 33);
        }
    }

    @Test
    @DisplayName("A resampled build uses the finest stored timeframe that divides the one asked for")
    void finestDividingSource() {
        try (Store store = FeatureStore.builder().build()) {
            CandleSeries oneMinute = walk("SBER", M1, 3000, 5);
            // a 5m series for the same secid that is NOT the resampled 1m one: the build must not use it for 15m
            CandleSeries fiveMinute = walk("SBER", M5, 600, 6);
            store.candles().upsert(oneMinute);
            store.candles().upsert(fiveMinute);
            store.forSet("tech_v2").timeframe("15m").secid("SBER").build();
            FeatureFrame stored = store.forSet("tech_v2").timeframe("15m").secid("SBER").frame();
            FeatureFrame fromOneMinute = store.forSet("tech_v2").timeframe("15m").compute(oneMinute);
            assertThat(stored.timestamps()).isEqualTo(fromOneMinute.timestamps());
            assertThat(stored.column("rsi_14")).containsExactly(fromOneMinute.column("rsi_14"));
            // 5m is stored as it is, so a 5m build uses it, not the 1m candles
            store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
            assertThat(store.forSet("tech_v2").timeframe(M5).secid("SBER").frame().timestamps())
                    .isEqualTo(store.forSet("tech_v2").timeframe(M5).compute(fiveMinute).timestamps());
        }
    }
}
