package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.jdbc.internal.SqliteStorage;
import dev.featurestore.testkit.RandomCandles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SQLite storage")
class SqliteStorageTest {
    private static final Timeframe M5 = Timeframe.parse("5m");

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("sub/dir/featurestore.db");
    }

    @Test
    @DisplayName("Connections run in WAL mode with a busy timeout and foreign keys on")
    void connectionSettings() throws Exception {
        try (Store store = FeatureStore.builder().storage(url()).option(SqliteStorageProvider.BUSY_TIMEOUT_MS, "12345")
                .build()) {
            SqliteStorage sqlite = (SqliteStorage) store.storage();
            assertThat(sqlite.pragma("journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(sqlite.pragma("busy_timeout")).isEqualTo("12345");
            assertThat(sqlite.pragma("foreign_keys")).isEqualTo("1");
            assertThat(sqlite.pragma("synchronous")).isEqualTo("1");
        }
    }

    @Test
    @DisplayName("The migration creates the fact-layer tables, and the data survives reopening")
    void schemaAndPersistence() throws Exception {
        CandleSeries series = RandomCandles.series("SBER", M5, 300, 3);
        try (Store store = FeatureStore.builder().storage(url()).build()) {
            store.candles().upsert(series);
            store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
        }
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).contains("candles", "feature_windows", "feature_tables",
                    "train_data_snapshots", "feature_set_columns", "flyway_schema_history");
        }
        try (Store store = FeatureStore.builder().storage(url()).build()) {
            assertThat(store.candles().readAll("SBER", M5).size()).isEqualTo(300);
            assertThat(store.forSet("tech_v1").timeframe(M5).secid("SBER").frame().size()).isEqualTo(300 - 33);
            assertThat(store.storage().builds("tech_v1", M5, "SBER")).hasSize(1);
        }
    }

    @Test
    @DisplayName("A database whose schema is newer than the library knows is refused with a clear error")
    void newerSchemaIsRefused() throws Exception {
        FeatureStore.builder().storage(url()).build().close();
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
                    + "checksum, installed_by, installed_on, execution_time, success) VALUES (99, '999', 'from the future', "
                    + "'SQL', 'V999__from_the_future.sql', 0, 'test', '2030-01-01 00:00:00', 1, 1)");
        }
        assertThatThrownBy(() -> FeatureStore.builder().storage(url()).build())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("999")
                .hasMessageContaining("newer than this library knows");
    }

    @Test
    @DisplayName("An in-memory SQLite URL is refused: a pool of connections would each see another database")
    void memoryUrlIsRefused() {
        assertThatThrownBy(() -> FeatureStore.builder().storage("jdbc:sqlite::memory:").build())
                .isInstanceOf(StorageException.class).hasMessageContaining("jdbc:sqlite:<file>");
    }

    @Test
    @DisplayName("A URL no provider accepts is an error listing the accepted forms")
    void unknownUrl() {
        assertThatThrownBy(() -> FeatureStore.builder().storage("jdbc:oracle:thin:@db:1521/x").build())
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("jdbc:oracle:thin:@db:1521/x")
                .hasMessageContaining("jdbc:sqlite:<file>")
                .hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    @DisplayName("A bad option value is an argument error naming the option")
    void badOption() {
        assertThatThrownBy(() -> FeatureStore.builder().storage(url()).option(SqliteStorageProvider.POOL_SIZE, "many")
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool.size");
    }

    @Test
    @DisplayName("A hostile secid is stored verbatim as data, and the tables are still there afterwards")
    void hostileSecidIsData() throws Exception {
        String secid = "x'); DROP TABLE candles; --\u0000";
        CandleSeries series = CandleSeries.of(secid, M5, new long[] {0, 300_000}, new double[] {1, 2},
                new double[] {1, 2}, new double[] {1, 2}, new double[] {1, 2}, new double[] {0, 0});
        try (Store store = FeatureStore.builder().storage(url()).build()) {
            store.candles().upsert(series);
            assertThat(store.candles().readAll(secid, M5).secid()).isEqualTo(secid);
            assertThat(store.candles().readAll(secid, M5).size()).isEqualTo(2);
            assertThat(store.candles().timeframes(secid)).containsExactly(M5);
        }
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), length(CAST(secid AS BLOB)) FROM candles")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getInt(2)).isEqualTo(secid.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }
}
