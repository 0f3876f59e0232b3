package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotRecord;
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
 * Migration V3 on both databases: builds and snapshot rows written at schema version 2 are kept
 * whole, with a NULL fingerprint, and a series last built then builds again and records the
 * registry's fingerprint.
 */
@DisplayName("Fingerprint migration V3 (SQLite and PostgreSQL)")
class FingerprintMigrationTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    @DisplayName("SQLite: builds and snapshot rows of schema version 2 are intact after V3, with no fingerprint")
    void sqlite() throws Exception {
        upgradeKeepsRows("jdbc:sqlite:" + dir.resolve("v2.db"), null, null, Migrations.Vendor.SQLITE);
    }

    @Test
    @DisplayName("PostgreSQL: builds and snapshot rows of schema version 2 are intact after V3, with no fingerprint")
    void postgres() throws Exception {
        PostgresDatabase db = PG.newDatabase();
        upgradeKeepsRows(db.url(), db.user(), db.password(), Migrations.Vendor.POSTGRESQL);
    }

    private void upgradeKeepsRows(String url, String user, String password, Migrations.Vendor vendor)
            throws Exception {
        Flyway.configure(getClass().getClassLoader()).dataSource(url, user, password).locations(Migrations.LOCATION)
                .placeholders(vendor.placeholders()).target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO feature_windows (build_id, feature_set, timeframe, secid, "
                    + "from_ts, to_ts, history_start_ts, rows_count, window_size, started_at, finished_at, status) "
                    + "VALUES ('b-1', 'tech_v2', '5m', 'SBER', 1000, 2000, 500, 7, 120, 3000, 4000, 'COMPLETED'), "
                    + "('b-2', 'tech_v2', '5m', 'SBER', 1000, 2000, 500, 0, 120, 5000, 6000, 'FAILED')"))
                    .isEqualTo(2);
            assertThat(st.executeUpdate("INSERT INTO train_data_snapshots (snapshot_id, secid, timeframe, "
                    + "feature_set, rows_count, path, format, sha256, min_ts, max_ts, history_start, created_at, "
                    + "library_version, replaced_sha256) VALUES ('s-1', 'SBER', '5m', 'tech_v2', 10, "
                    + "'features/tech_v2/5m/20240102.parquet', 'parquet', '" + SHA_B + "', 1, 2, 0, 1000, '0.0.1', '"
                    + SHA_A + "')")).isEqualTo(1);
        }
        Store.Builder builder = FeatureStore.builder().storage(url);
        if (user != null) {
            builder.user(user).password(password);
        }
        try (Store store = builder.build()) {
            // V4 turns the inclusive to_ts 2000 of rows written before into the half-open 2001
            assertThat(store.storage().builds("tech_v2", M5, "SBER")).containsExactly(
                    new BuildRecord("tech_v2", M5, "SBER", 1000, 2001, 500, 7, 120, Instant.ofEpochMilli(3000),
                            Instant.ofEpochMilli(4000), BuildRecord.Status.COMPLETED, null),
                    new BuildRecord("tech_v2", M5, "SBER", 1000, 2001, 500, 0, 120, Instant.ofEpochMilli(5000),
                            Instant.ofEpochMilli(6000), BuildRecord.Status.FAILED, null));
            assertThat(store.snapshots().all()).containsExactly(new SnapshotRecord("SBER", M5, "tech_v2", 10,
                    "features/tech_v2/5m/20240102.parquet", "parquet", SHA_B, 1, 2, 0, Instant.ofEpochMilli(1000),
                    "0.0.1", SHA_A, null));

            // The series last built without a fingerprint builds again, recording the registry's.
            store.candles().upsert(RandomCandles.series("SBER", Timeframe.ONE_MINUTE, 600, 3));
            String fingerprint = store.registry().fingerprint("tech_v2");
            assertThat(store.forSet("tech_v2").timeframe(M5).secid("SBER").build().get(0).fingerprint())
                    .isEqualTo(fingerprint);
            List<BuildRecord> builds = store.storage().builds("tech_v2", M5, "SBER");
            assertThat(builds).extracting(BuildRecord::fingerprint).containsExactly(null, null, fingerprint);
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT MAX(version) FROM flyway_schema_history WHERE success")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("8"); // through V8, the newest migration
        }
    }
}
