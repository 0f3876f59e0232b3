package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.jdbc.internal.Migrations;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import dev.featurestore.testkit.RandomCandles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * V5 numbers the builds stored before it in their previous order (started_at, finished_at,
 * build_id), keeps every value, and later builds follow them.
 */
@DisplayName("Build sequence migration V5 (SQLite and PostgreSQL)")
class BuildSequenceMigrationTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final String FP = "c".repeat(64);

    @TempDir
    Path dir;

    @Test
    @DisplayName("SQLite: builds of schema version 4 keep their values and their order, ties broken by build_id")
    void sqlite() throws Exception {
        upgradeKeepsOrder("jdbc:sqlite:" + dir.resolve("v4.db"), null, null, Migrations.Vendor.SQLITE);
    }

    @Test
    @DisplayName("PostgreSQL: builds of schema version 4 keep their values and their order, ties broken by build_id")
    void postgres() throws Exception {
        PostgresDatabase db = PG.newDatabase();
        upgradeKeepsOrder(db.url(), db.user(), db.password(), Migrations.Vendor.POSTGRESQL);
    }

    private void upgradeKeepsOrder(String url, String user, String password, Migrations.Vendor vendor)
            throws Exception {
        Flyway.configure(getClass().getClassLoader()).dataSource(url, user, password).locations(Migrations.LOCATION)
                .placeholders(vendor.placeholders()).target("4").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            // inserted out of order: the old order is by started_at, finished_at, then build_id
            assertThat(st.executeUpdate("INSERT INTO feature_windows (build_id, feature_set, timeframe, secid, "
                    + "from_ts, to_ts, history_start_ts, rows_count, window_size, started_at, finished_at, status, "
                    + "fingerprint) VALUES "
                    + "('d', 'tech_v2', '5m', 'SBER', 1000, 2000, 40, 7, 120, 9000, 9500, 'COMPLETED', NULL), "
                    + "('b', 'tech_v2', '5m', 'SBER', 1000, 2000, 20, 7, 120, 3000, 4000, 'COMPLETED', '" + FP + "'), "
                    + "('c', 'tech_v2', '5m', 'SBER', 1000, 2000, 30, 0, 120, 3000, 4000, 'FAILED', NULL), "
                    + "('a', 'tech_v2', '5m', 'SBER', 1000, 2000, 10, 7, 120, 3000, 3500, 'COMPLETED', NULL)"))
                    .isEqualTo(4);
        }
        Store.Builder builder = FeatureStore.builder().storage(url);
        if (user != null) {
            builder.user(user).password(password);
        }
        try (Store store = builder.build()) {
            assertThat(store.storage().builds("tech_v2", M5, "SBER")).containsExactly(
                    build(10, 7, 3000, 3500, BuildRecord.Status.COMPLETED, null),
                    build(20, 7, 3000, 4000, BuildRecord.Status.COMPLETED, FP),
                    build(30, 0, 3000, 4000, BuildRecord.Status.FAILED, null),
                    build(40, 7, 9000, 9500, BuildRecord.Status.COMPLETED, null));

            // a build recorded now comes last, whatever its times
            store.candles().upsert(RandomCandles.series("SBER", Timeframe.ONE_MINUTE, 600, 3));
            store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
            List<BuildRecord> builds = store.storage().builds("tech_v2", M5, "SBER");
            assertThat(builds).hasSize(5);
            assertThat(builds.get(4).historyStartTs()).isEqualTo(RandomCandles.START);
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT build_id FROM feature_windows ORDER BY build_seq")) {
            StringBuilder ids = new StringBuilder();
            while (rs.next()) {
                ids.append(rs.getString(1).length() == 1 ? rs.getString(1) : "+");
            }
            assertThat(ids).hasToString("abcd+");
        }
    }

    private static BuildRecord build(long historyStart, long rows, long started, long finished,
            BuildRecord.Status status, String fingerprint) {
        return new BuildRecord("tech_v2", M5, "SBER", 1000, 2000, historyStart, rows, 120, Instant.ofEpochMilli(started),
                Instant.ofEpochMilli(finished), status, fingerprint);
    }
}
