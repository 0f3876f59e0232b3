package dev.featurestore.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import dev.featurestore.testkit.RandomCandles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the storage contract cannot see from outside: the schema version check, NUL handling,
 * the rows as PostgreSQL holds them, the two write methods, options and connection failures.
 */
@DisplayName("PostgreSQL storage")
class PostgresStorageTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final Timeframe M5 = Timeframe.parse("5m");

    private static FeatureStorage open(PostgresDatabase db, Map<String, String> options) {
        return new PostgresStorageProvider().open(new StorageConfig(db.url(), db.user(), db.password(), options));
    }

    private static Connection connect(PostgresDatabase db) throws SQLException {
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    private static long count(PostgresDatabase db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("is found by the store builder for jdbc:postgresql: URLs and names its URL form")
    void providerAcceptsPostgresUrls() {
        PostgresStorageProvider provider = new PostgresStorageProvider();
        assertThat(provider.accepts("jdbc:postgresql://localhost/db")).isTrue();
        assertThat(provider.accepts("jdbc:postgresql:db")).isTrue();
        assertThat(provider.accepts("jdbc:sqlite:x.db")).isFalse();
        assertThat(provider.urlForms()).containsExactly("jdbc:postgresql://<host>[:<port>]/<database> (PostgreSQL)");
        PostgresDatabase db = PG.newDatabase();
        try (Store store = FeatureStore.builder().storage(db.url()).user(db.user()).password(db.password()).build()) {
            assertThat(store.storage()).isInstanceOf(PostgresStorage.class);
            assertThat(store.storage().toString()).contains(db.name());
        }
    }

    @Test
    @DisplayName("opens in two lines from a test: PG.newDatabase().openStore() is this storage, its schema created")
    void opensFromTheTestExtension() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        try (Store store = db.openStore()) {
            assertThat(store.storage()).isInstanceOf(PostgresStorage.class);
            assertThat(store.storage().toString()).contains(db.name());
        }
        assertThat(count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'candles'"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("refuses a database whose schema is newer than the library knows")
    void refusesNewerSchema() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        open(db, Map.of()).close();
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '999', 'from a later release',"
                    + " 'SQL', 'V999__from_a_later_release.sql', 0, 'test', 0, true)");
        }
        assertThatThrownBy(() -> open(db, Map.of())).isInstanceOf(StorageException.class)
                .hasMessageContaining("newer than this library knows").hasMessageContaining("999");
    }

    @Test
    @DisplayName("creates the schema once: a second open of the same database migrates nothing")
    void migratesOnce() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        open(db, Map.of()).close();
        long applied = count(db, "SELECT count(*) FROM flyway_schema_history WHERE success");
        open(db, Map.of()).close();
        assertThat(count(db, "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(applied)
                .isPositive();
        assertThat(count(db, "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('candles',"
                + " 'feature_windows', 'feature_set_columns', 'feature_tables', 'train_data_snapshots')"))
                .isEqualTo(5);
        assertThat(count(db, "SELECT count(*) FROM information_schema.views WHERE table_name = 'feature_values'"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("rejects NUL in a secid, feature-set or feature name with an error naming the field, writing nothing")
    void rejectsNul() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        try (FeatureStorage storage = open(db, Map.of())) {
            CandleSeries nulSecid = RandomCandles.series("SB\u0000ER", M5, 10, 1);
            assertThatThrownBy(() -> storage.upsertCandles(nulSecid)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("secid").hasMessageContaining("NUL").hasMessageContaining("index 2");
            assertThatThrownBy(() -> storage.readCandles("a\u0000", M5, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secid");

            long[] ts = {RandomCandles.START};
            double[][] cols = {{1.0}};
            FeatureFrame badFeature = FeatureFrame.of("SBER", "set", M5, List.of("f\u0000"),
                    List.of(FeatureKind.NUMERIC), ts, cols);
            assertThatThrownBy(() -> storage.writeBuild(record("set", "SBER", ts[0], ts[0]), badFeature))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature name");
            FeatureFrame badSet = FeatureFrame.of("SBER", "s\u0000t", M5, List.of("f"), List.of(FeatureKind.NUMERIC),
                    ts, cols);
            assertThatThrownBy(() -> storage.writeBuild(record("s\u0000t", "SBER", ts[0], ts[0]), badSet))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature set");
        }
        assertThat(count(db, "SELECT count(*) FROM candles")).isZero();
        assertThat(count(db, "SELECT count(*) FROM feature_values")).isZero();
        assertThat(count(db, "SELECT count(*) FROM feature_windows")).isZero();
    }

    @Test
    @DisplayName("stores hostile names as text, verbatim, and leaves the schema alone")
    void hostileNamesAreData() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        List<String> names = List.of("x'; DROP TABLE candles; --", "O'Brien", "semi;colon", "../../etc/passwd",
                "$$ dollar $$", "\\x00");
        try (FeatureStorage storage = open(db, Map.of())) {
            for (String name : names) {
                assertThat(storage.upsertCandles(RandomCandles.series(name, M5, 5, 3)).inserted()).isEqualTo(5);
            }
        }
        List<String> stored = new ArrayList<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT secid FROM candles ORDER BY secid")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(names);
        assertThat(count(db, "SELECT count(*) FROM candles")).isEqualTo(5L * names.size());
    }

    @ParameterizedTest(name = "write.method={0}")
    @ValueSource(strings = {"copy", "batch"})
    @DisplayName("counts inserted, replaced and unchanged candles of a series larger than one COPY buffer")
    void upsertCountsAtScale(String method) {
        PostgresDatabase db = PG.newDatabase();
        try (FeatureStorage storage = open(db, Map.of("write.method", method, "batch.size", "333"))) {
            CandleSeries series = RandomCandles.series("SBER", Timeframe.ONE_MINUTE, 12_000, 77);
            assertThat(storage.upsertCandles(series.slice(0, 9_000))).isEqualTo(new UpsertResult(9_000, 0, 0));
            CandleSeries changed = series;
            for (int row : new int[] {5, 500, 8_999}) {
                changed = RandomCandles.withChangedClose(changed, row, 1.001);
            }
            assertThat(storage.upsertCandles(changed)).isEqualTo(new UpsertResult(3_000, 3, 8_997));
            CandleSeries back = storage.readCandles("SBER", Timeframe.ONE_MINUTE, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(back.timestamps()).isEqualTo(changed.timestamps());
            assertThat(back.closes()).isEqualTo(changed.closes());
        }
    }

    @Test
    @DisplayName("rebuilding the same range leaves every stored row version untouched")
    void rebuildWritesNothing() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        try (Store store = FeatureStore.builder().storage(db.url()).user(db.user()).password(db.password()).build()) {
            store.candles().upsert(RandomCandles.series("SBER", M5, 400, 8));
            store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
            String versions = "SELECT md5(string_agg(ts::text || ':' || xmin::text, ',' ORDER BY ts)) FROM ";
            String before = text(db, versions + "features_tech_v1");
            store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
            assertThat(text(db, versions + "features_tech_v1")).isEqualTo(before);
            assertThat(count(db, "SELECT count(*) FROM feature_windows")).isEqualTo(2);
            assertThat(count(db, "SELECT count(*) FROM features_tech_v1")).isEqualTo(400 - 33);
        }
    }

    private static String text(PostgresDatabase db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    @DisplayName("COPY and batch writes store the same bytes")
    void copyAndBatchStoreTheSameBytes() throws SQLException {
        // Each row's text, doubles with every digit (PostgreSQL 12+ prints the shortest exact form).
        String digest = "SELECT md5(string_agg(f::text, ',' ORDER BY ts)) FROM ";
        List<String> digests = new ArrayList<>();
        for (String method : List.of("copy", "batch")) {
            PostgresDatabase db = PG.newDatabase();
            try (Store store = FeatureStore.builder().storage(db.url()).user(db.user()).password(db.password())
                    .option("write.method", method).build()) {
                store.candles().upsert(RandomCandles.series("SBER", M5, 700, 21));
                store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
            }
            digests.add(text(db, digest + "features_tech_v2 f")
                    + text(db, "SELECT md5(string_agg(ts || ':' || open || high || low || close || volume, ','"
                            + " ORDER BY ts)) FROM candles"));
        }
        assertThat(digests.get(0)).isEqualTo(digests.get(1)).isNotBlank();
    }

    @Test
    @DisplayName("two threads writing builds of the same series both complete, one after the other")
    void concurrentWritesOfOneSeries() throws Exception {
        PostgresDatabase db = PG.newDatabase();
        try (FeatureStorage storage = open(db, Map.of())) {
            int rows = 3_000;
            long[] ts = new long[rows];
            for (int i = 0; i < rows; i++) {
                ts[i] = RandomCandles.START + i * M5.millis();
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    double value = t + 1;
                    Callable<Integer> task = () -> {
                        start.await();
                        for (int round = 0; round < 5; round++) {
                            double[] col = new double[rows];
                            java.util.Arrays.fill(col, value * 100 + round);
                            FeatureFrame frame = FeatureFrame.of("SBER", "set", M5, List.of("f"),
                                    List.of(FeatureKind.NUMERIC), ts, new double[][] {col});
                            storage.writeBuild(record("set", "SBER", ts[0], ts[rows - 1]), frame);
                        }
                        return 5;
                    };
                    futures.add(pool.submit(task));
                }
                start.countDown();
                for (Future<Integer> f : futures) {
                    assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(5);
                }
            } finally {
                pool.shutdownNow();
            }
            FeatureFrame back = storage.readFeatures("set", List.of("f"), "SBER", M5, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(back.size()).isEqualTo(rows);
            double[] col = back.column(0);
            assertThat(col).containsOnly(col[0]);
            assertThat(col[0]).isIn(104.0, 204.0);
            assertThat(storage.builds("set", M5, "SBER")).hasSize(10);
        }
    }

    @Test
    @DisplayName("a write failing part way keeps none of its rows and is recorded as FAILED with no rows")
    void failedWriteIsRecorded() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        try (FeatureStorage storage = open(db, Map.of())) {
            long[] ts = {RandomCandles.START, RandomCandles.START + M5.millis(), RandomCandles.START + 2 * M5.millis()};
            FeatureFrame frame = FeatureFrame.of("SBER", "set", M5, List.of("f"), List.of(FeatureKind.NUMERIC), ts,
                    new double[][] {{1, 2, 3}});
            IllegalStateException injected = new IllegalStateException("injected");
            assertThatThrownBy(() -> storage.writeBuild(record("set", "SBER", ts[0], ts[2]), frame, row -> {
                if (row == 1) {
                    throw injected;
                }
            })).isSameAs(injected);
            assertThat(storage.builds("set", M5, "SBER")).singleElement().satisfies(b -> {
                assertThat(b.status()).isEqualTo(BuildRecord.Status.FAILED);
                assertThat(b.rows()).isZero();
            });
        }
        assertThat(count(db, "SELECT count(*) FROM feature_values")).isZero();
    }

    @Test
    @DisplayName("checks its options and says which values are valid")
    void checksOptions() {
        PostgresDatabase db = PG.newDatabase();
        assertThatThrownBy(() -> open(db, Map.of("write.method", "turbo"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write.method").hasMessageContaining("turbo").hasMessageContaining("copy")
                .hasMessageContaining("batch");
        assertThatThrownBy(() -> open(db, Map.of("pool.size", "0"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool.size");
        assertThatThrownBy(() -> open(db, Map.of("batch.size", "many"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch.size");
        assertThatThrownBy(() -> open(db, Map.of("connection.timeout.ms", "100")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connection.timeout.ms")
                .hasMessageContaining(">= 250");
        try (FeatureStorage batch = open(db, Map.of("write.method", "BATCH"))) {
            assertThat(((PostgresStorage) batch).writeMethod()).isEqualTo(PostgresStorage.WriteMethod.BATCH);
        }
    }

    @Test
    @DisplayName("fails to open an unreachable server with a StorageException that keeps the password out")
    void unreachableServer() {
        String url = "jdbc:postgresql://127.0.0.1:1/nowhere?password=hunter2&connectTimeout=2";
        assertThatThrownBy(() -> new PostgresStorageProvider().open(StorageConfig.of(url)))
                .isInstanceOf(StorageException.class).hasMessageContaining("127.0.0.1:1/nowhere")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    @DisplayName("is unusable after close, with an error that says so")
    void closed() {
        PostgresDatabase db = PG.newDatabase();
        FeatureStorage storage = open(db, Map.of());
        storage.close();
        assertThatThrownBy(() -> storage.firstCandleTs("SBER", M5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /** A build of the open times {@code from .. last}, both included: the half-open range {@code [from, last + 1)}. */
    private static BuildRecord record(String set, String secid, long from, long last) {
        Instant now = Instant.now();
        return new BuildRecord(set, M5, secid, from, last + 1, from, 1, 1, now, now, BuildRecord.Status.COMPLETED,
                "0".repeat(64));
    }
}
