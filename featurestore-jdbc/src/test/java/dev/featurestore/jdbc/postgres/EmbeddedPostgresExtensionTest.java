package dev.featurestore.jdbc.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.jdbc.postgres.EmbeddedPostgresExtension.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The embedded PostgreSQL server of the tests")
class EmbeddedPostgresExtensionTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    @Test
    @DisplayName("is a real PostgreSQL 18 server reached through the JDBC driver")
    void isARealServer() throws SQLException {
        PostgresDatabase db = PG.newDatabase();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(180000);
            assertThat(rs.getString(2)).isEqualTo(db.name());
        }
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
        try (Connection c = DriverManager.getConnection(b.url(), b.user(), b.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('only_in_a') IS NULL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }
}
