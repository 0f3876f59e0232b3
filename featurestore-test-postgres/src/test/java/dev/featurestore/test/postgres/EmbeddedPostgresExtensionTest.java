package dev.featurestore.test.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The embedded PostgreSQL server for tests")
class EmbeddedPostgresExtensionTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    /** The first row of a query on {@code db}, its columns as the driver gives them. */
    private static List<Object> firstRow(PostgresDatabase db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getObject(i));
            }
            return row;
        }
    }

    @Test
    @DisplayName("is a real PostgreSQL 18 server reached through the JDBC driver")
    void isARealServer() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        List<Object> row = firstRow(db, "SELECT current_setting('server_version_num')::int, current_database()");
        assertThat((Integer) row.get(0)).isGreaterThanOrEqualTo(180000);
        assertThat(row.get(1)).isEqualTo(db.name());
    }

    @Test
    @DisplayName("gives every caller a database of its own")
    void databasesAreSeparate() throws SQLException {
        PostgresDatabase a = PG.newDatabase();
        PostgresDatabase b = PG.newDatabase();
        assertThat(a.name()).isNotEqualTo(b.name());
        try (Connection c = DriverManager.getConnection(a.url(), a.user(), a.password());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE only_in_a (x int)");
        }
        assertThat(firstRow(b, "SELECT to_regclass('only_in_a') IS NULL")).containsExactly(true);
    }

    @Test
    @DisplayName("gives a database that is empty: no table in its public schema")
    void databaseIsEmpty() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        assertThat(firstRow(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                .containsExactly(0L);
        assertThat(db.url()).isEqualTo("jdbc:postgresql://localhost:" + PG.port() + "/" + db.name());
    }

    @Test
    @DisplayName("hands the store builder the database's URL: without featurestore-jdbc no storage accepts it")
    void storeBuilderNamesTheDatabase() {
        PostgresDatabase db = PG.newDatabase();
        assertThatThrownBy(db::openStore).isInstanceOf(StorageException.class)
                .hasMessageContaining("no storage accepts the URL '" + db.url() + "'")
                .hasMessageContaining("add featurestore-jdbc");
    }
}
