package dev.featurestore.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import dev.featurestore.testkit.RandomCandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * First builds of one feature set for several secids at once, on PostgreSQL (where builds of
 * different secids run in parallel): the set's table is created once, every build completes.
 */
@DisplayName("PostgreSQL: first builds of one set for four secids at once all complete")
class FirstBuildsTogetherTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final Timeframe M5 = Timeframe.parse("5m");

    @RepeatedTest(3)
    void fourSecidsAtOnce() throws Exception {
        PostgresDatabase db = PG.newDatabase();
        List<String> secids = List.of("SBER", "GAZP", "LKOH", "MOEX");
        try (Store store = db.storeBuilder().option("pool.size", "4").build()) {
            for (int i = 0; i < secids.size(); i++) {
                store.candles().upsert(RandomCandles.series(secids.get(i), M5, 300, 40 + i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(secids.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<BuildRecord>>> builds = new ArrayList<>();
            for (String secid : secids) {
                builds.add(pool.submit(() -> {
                    start.await();
                    return store.forSet("tech_v2").timeframe(M5).secid(secid).build();
                }));
            }
            start.countDown();
            for (Future<List<BuildRecord>> f : builds) {
                assertThat(f.get().get(0).status()).isEqualTo(BuildRecord.Status.COMPLETED);
            }
            pool.shutdown();
            for (String secid : secids) {
                assertThat(store.forSet("tech_v2").timeframe(M5).secid(secid).frame().size()).isEqualTo(300 - 33);
            }
        }
    }
}
