package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.jdbc.internal.Migrations;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot audit log's schema on both databases: a database created at schema version 1 keeps
 * its audit rows when opened by this library (V2 adds {@code replaced_sha256}), and a batch with a
 * row already recorded is refused whole.
 */
@DisplayName("Snapshot audit log schema (SQLite and PostgreSQL)")
class SnapshotLogSchemaTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    @DisplayName("SQLite: rows written at schema version 1 are read after the upgrade, with no replaced hash")
    void sqliteUpgradeKeepsRows() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("v1.db");
        upgradeKeepsRows(url, null, null, Migrations.Vendor.SQLITE);
    }

    @Test
    @DisplayName("PostgreSQL: rows written at schema version 1 are read after the upgrade, with no replaced hash")
    void postgresUpgradeKeepsRows() throws Exception {
        PostgresDatabase db = PG.newDatabase();
        upgradeKeepsRows(db.url(), db.user(), db.password(), Migrations.Vendor.POSTGRESQL);
    }

    private void upgradeKeepsRows(String url, String user, String password, Migrations.Vendor vendor)
            throws Exception {
        Flyway.configure(getClass().getClassLoader()).dataSource(url, user, password).locations(Migrations.LOCATION)
                .placeholders(vendor.placeholders()).target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, password);
                PreparedStatement ps = c.prepareStatement("INSERT INTO train_data_snapshots (snapshot_id, secid, "
                        + "timeframe, feature_set, rows_count, path, format, sha256, min_ts, max_ts, history_start, "
                        + "created_at, library_version) VALUES ('old-1', 'SBER', '5m', 'tech_v2', 10, "
                        + "'features/tech_v2/5m/20240102.parquet', 'parquet', ?, 1, 2, 0, 1000, '0.0.1')")) {
            ps.setString(1, SHA_A);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        Store.Builder builder = FeatureStore.builder().storage(url);
        if (user != null) {
            builder.user(user).password(password);
        }
        try (Store store = builder.build()) {
            List<SnapshotRecord> rows = store.snapshots().all();
            assertThat(rows).hasSize(1);
            SnapshotRecord old = rows.get(0);
            assertThat(old.secid()).isEqualTo("SBER");
            assertThat(old.sha256()).isEqualTo(SHA_A);
            assertThat(old.createdAt()).isEqualTo(Instant.ofEpochMilli(1000));
            assertThat(old.replacedSha256()).isNull();
            assertThat(store.snapshots().onDate(java.time.LocalDate.of(2024, 1, 2))).containsExactly(old);

            SnapshotRecord replacing = record("SBER", SHA_B, 2000).withReplacedSha256(SHA_A);
            store.storage().recordSnapshots(List.of(replacing));
            assertThat(store.snapshots().find(SnapshotQuery.all().sha256(SHA_B))).containsExactly(replacing);

            SnapshotRecord fresh = record("GAZP", SHA_B, 2000);
            assertThatThrownBy(() -> store.storage().recordSnapshots(List.of(fresh, replacing)))
                    .isInstanceOf(StorageException.class);
            assertThat(store.snapshots().all()).as("a refused batch records nothing").containsExactly(old, replacing);
            assertThatThrownBy(() -> store.storage().recordSnapshots(List.of(fresh, fresh)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
            store.storage().recordSnapshots(List.of(fresh));
            assertThat(store.snapshots().all()).containsExactly(old, fresh, replacing);
        }
    }

    private static SnapshotRecord record(String secid, String sha, long createdAt) {
        return new SnapshotRecord(secid, M5, "tech_v2", 10, "features/tech_v2/5m/20240102.parquet", "parquet", sha, 1,
                2, 0, Instant.ofEpochMilli(createdAt), "0.1.0");
    }
}
