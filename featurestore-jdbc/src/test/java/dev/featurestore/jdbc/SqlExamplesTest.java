package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL examples of README-storage.md (the blocks marked {@code <!-- sql: NAME -->}), run verbatim
 * through plain JDBC on SQLite and PostgreSQL over stored tech_v2 5m features; their results equal
 * what {@code fetch()} returns, bit for bit.
 */
@DisplayName("README-storage's SQL examples give what fetch() gives (SQLite and PostgreSQL)")
class SqlExamplesTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    /** The as-of time the window example names: 2024-03-07T12:00:00Z. */
    private static final Instant AS_OF = Instant.ofEpochMilli(1_709_812_800_000L);

    @TempDir
    Path dir;

    @Test
    @DisplayName("SQLite")
    void sqlite() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("sql.db");
        examplesEqualFetch(url, null, null);
    }

    @Test
    @DisplayName("PostgreSQL")
    void postgres() throws Exception {
        PostgresDatabase db = PG.newDatabase();
        examplesEqualFetch(db.url(), db.user(), db.password());
    }

    private static void examplesEqualFetch(String url, String user, String password) throws Exception {
        SyntheticCandles market = SyntheticCandles.seed(5).start(LocalDate.of(2024, 3, 4)).tradingDays(5);
        Store.Builder builder = FeatureStore.builder().storage(url);
        if (user != null) {
            builder.user(user).password(password);
        }
        try (Store store = builder.build();
                Connection c = DriverManager.getConnection(url, user, password)) {
            for (CandleSeries s : market.generate(List.of("SBER", "GAZP"))) {
                store.candles().upsert(s);
            }
            store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").build();

            // The newest rsi_14 of each secid.
            List<Object[]> latest = query(c, sql("latest-rsi"));
            assertThat(latest).hasSize(2);
            for (Object[] row : latest) {
                FeatureWindow newest = store.forSet("tech_v2").timeframe("5m").window(1).secid((String) row[0])
                        .asOf(market.end().plusSeconds(86_400)).fetch();
                assertThat(((Number) row[1]).longValue()).isEqualTo(newest.timestamps()[0]);
                int rsi = newest.featureNames().indexOf("rsi_14");
                assertThat(Double.doubleToRawLongBits(((Number) row[2]).doubleValue()))
                        .isEqualTo(Double.doubleToRawLongBits(newest.toArray()[0][rsi]));
            }
            assertThat(latest).extracting(r -> r[0]).containsExactly("GAZP", "SBER");

            // A 120-row window of SBER as of 2024-03-07T12:00:00Z: every column after the keys, in set order.
            List<Object[]> window = query(c, sql("window-as-of"));
            FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER").asOf(AS_OF).fetch();
            double[][] x = w.toArray();
            assertThat(window).hasSize(120);
            for (int r = 0; r < 120; r++) {
                Object[] row = window.get(r);
                assertThat(((Number) row[2]).longValue()).as("ts of row %d", r).isEqualTo(w.timestamps()[r]);
                assertThat(row).hasSize(4 + x[r].length);
                for (int j = 0; j < x[r].length; j++) {
                    assertThat(Double.doubleToRawLongBits(((Number) row[4 + j]).doubleValue()))
                            .as("row %d, %s", r, w.featureNames().get(j))
                            .isEqualTo(Double.doubleToRawLongBits(x[r][j]));
                }
            }
        }
    }

    /** The text of the fenced sql block after {@code <!-- sql: name -->} in README-storage.md. */
    static String sql(String name) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README-storage.md"), StandardCharsets.UTF_8);
        int at = lines.indexOf("<!-- sql: " + name + " -->");
        assertThat(at).as("README-storage.md has a block marked sql: %s", name).isNotNegative();
        assertThat(lines.get(at + 1)).isEqualTo("```sql");
        StringBuilder text = new StringBuilder();
        for (int i = at + 2; !lines.get(i).equals("```"); i++) {
            text.append(lines.get(i)).append('\n');
        }
        String sql = text.toString().strip();
        return sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql;
    }

    private static List<Object[]> query(Connection c, String sql) throws Exception {
        List<Object[]> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Object[] row = new Object[md.getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }
}
