package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.jdbc.internal.Migrations;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V6 (typed feature columns) keeps every stored value bit for bit. The fixture
 * {@code fixtures/blob-layout-v4.db} was written by the library before V5 (schema version 4, values
 * in blobs): candles of SBER and GAZP over four days, and builds of tech_v2 5m (both), tech_v1 5m
 * (SBER) and tech_v2 15m (GAZP). The test adds rows with the doubles a typed column could bend
 * (-0.0, subnormals, the extremes), migrates, and compares every value's bits with the blobs'.
 */
@DisplayName("Typed feature columns migration V6 (SQLite and PostgreSQL): every stored value bit for bit")
class TypedColumnsMigrationTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final String FIXTURE = "/fixtures/blob-layout-v4.db";
    private static final double[] EDGES = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0, 4503599627370497.0, 0.1, -1e-300};

    @TempDir
    Path dir;

    @Test
    @DisplayName("SQLite: the fixture's values, and -0.0 and the extremes, are the same doubles after V6")
    void sqlite() throws Exception {
        Path db = dir.resolve("old.db");
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            Files.copy(in, db);
        }
        String url = "jdbc:sqlite:" + db;
        migratesExactly(url, null, null);
    }

    @Test
    @DisplayName("PostgreSQL: the fixture's rows copied into a version-4 schema are the same doubles after V6")
    void postgres() throws Exception {
        Path db = dir.resolve("old.db");
        try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
            Files.copy(in, db);
        }
        PostgresDatabase pg = PG.newDatabase();
        Flyway.configure(getClass().getClassLoader()).dataSource(pg.url(), pg.user(), pg.password())
                .locations(Migrations.LOCATION).placeholders(Migrations.Vendor.POSTGRESQL.placeholders()).target("4")
                .load().migrate();
        try (Connection from = DriverManager.getConnection("jdbc:sqlite:" + db);
                Connection to = DriverManager.getConnection(pg.url(), pg.user(), pg.password())) {
            for (String table : List.of("candles", "feature_set_columns", "feature_windows", "feature_numeric",
                    "feature_categorical", "train_data_snapshots")) {
                copyTable(from, to, table);
            }
        }
        migratesExactly(pg.url(), pg.user(), pg.password());
    }

    private void migratesExactly(String url, String user, String password) throws Exception {
        Map<String, double[]> expected;
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            addEdgeRows(c);
            expected = decodeBlobs(c);
        }
        assertThat(expected).hasSizeGreaterThan(1_000);

        Store.Builder builder = FeatureStore.builder().storage(url);
        if (user != null) {
            builder.user(user).password(password);
        }
        try (Store store = builder.build()) {
            // Through the library: the fixture's series read back as the blobs held them.
            for (String[] series : new String[][] {{"tech_v2", "5m", "SBER"}, {"tech_v2", "5m", "GAZP"},
                {"tech_v1", "5m", "SBER"}, {"tech_v2", "15m", "GAZP"}, {"tech_v2", "5m", "EDGE"}}) {
                FeatureFrame frame = store.storage().readFeatures(series[0],
                        store.registry().featureSet(series[0]).features(), series[2], Timeframe.parse(series[1]),
                        Long.MIN_VALUE, Long.MAX_VALUE);
                assertThat(frame.size()).as("rows of %s", String.join(" ", series)).isPositive();
                for (int r = 0; r < frame.size(); r++) {
                    double[] want = expected.get(key(series[0], series[1], series[2], frame.ts(r)));
                    assertThat(want).as("a blob row for %s at %d", String.join(" ", series), frame.ts(r)).isNotNull();
                    for (int j = 0; j < want.length; j++) {
                        assertThat(Double.doubleToRawLongBits(frame.value(r, j)))
                                .as("%s row %d feature %s", String.join(" ", series), frame.ts(r),
                                        frame.featureNames().get(j))
                                .isEqualTo(Double.doubleToRawLongBits(want[j]));
                    }
                }
            }
        }
        // Through plain SQL on the typed tables: every row, every value, the same bits.
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            Map<String, double[]> typed = readTyped(c);
            assertThat(typed.keySet()).isEqualTo(expected.keySet());
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                double[] got = typed.get(e.getKey());
                for (int j = 0; j < got.length; j++) {
                    assertThat(Double.doubleToRawLongBits(got[j])).as("%s value %d", e.getKey(), j)
                            .isEqualTo(Double.doubleToRawLongBits(e.getValue()[j]));
                }
            }
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM feature_values")) {
                assertThat(rs.next()).isTrue();
                long values = expected.values().stream().mapToLong(v -> v.length).sum();
                assertThat(rs.getLong(1)).as("rows of the long-form view").isEqualTo(values);
            }
            try (Statement st = c.createStatement()) {
                assertThat(tableExists(st, "feature_numeric")).as("the blob table is gone").isFalse();
            }
        }
    }

    /** Rows of tech_v2 5m for secid EDGE whose numeric values are the doubles of {@link #EDGES}, in turn. */
    private static void addEdgeRows(Connection c) throws SQLException {
        int numeric = count(c, "SELECT COUNT(*) FROM feature_set_columns WHERE feature_set = 'tech_v2' "
                + "AND kind = 'numeric'");
        int categorical = count(c, "SELECT COUNT(*) FROM feature_set_columns WHERE feature_set = 'tech_v2' "
                + "AND kind = 'categorical'");
        try (PreparedStatement num = c.prepareStatement("INSERT INTO feature_numeric (feature_set, timeframe, secid, "
                + "ts, available_at, vals) VALUES ('tech_v2', '5m', 'EDGE', ?, ?, ?)");
                PreparedStatement cat = c.prepareStatement("INSERT INTO feature_categorical (feature_set, timeframe, "
                        + "secid, ts, available_at, vals) VALUES ('tech_v2', '5m', 'EDGE', ?, ?, ?)")) {
            for (int r = 0; r < EDGES.length; r++) {
                ByteBuffer nb = ByteBuffer.allocate(numeric * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < numeric; j++) {
                    nb.putDouble(EDGES[(r + j) % EDGES.length]);
                }
                ByteBuffer cb = ByteBuffer.allocate(categorical * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < categorical; j++) {
                    cb.putShort((short) ((r + j) % 2));
                }
                long ts = 1_700_000_000_000L + r * 300_000L;
                num.setLong(1, ts);
                num.setLong(2, ts + 300_000L);
                num.setBytes(3, nb.array());
                num.executeUpdate();
                cat.setLong(1, ts);
                cat.setLong(2, ts + 300_000L);
                cat.setBytes(3, cb.array());
                cat.executeUpdate();
            }
        }
    }

    /** Every blob row decoded with its set's columns: values in set order, by set, timeframe, secid, ts. */
    private static Map<String, double[]> decodeBlobs(Connection c) throws SQLException {
        Map<String, List<String[]>> columns = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT feature_set, kind, slot FROM feature_set_columns ORDER BY feature_set, position")) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        Map<String, double[]> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT n.feature_set, n.timeframe, "
                + "n.secid, n.ts, n.vals, k.vals FROM feature_numeric n LEFT JOIN feature_categorical k "
                + "ON k.feature_set = n.feature_set AND k.timeframe = n.timeframe AND k.secid = n.secid AND k.ts = n.ts")) {
            while (rs.next()) {
                List<String[]> cols = columns.get(rs.getString(1));
                ByteBuffer num = ByteBuffer.wrap(rs.getBytes(5)).order(ByteOrder.LITTLE_ENDIAN);
                byte[] catBytes = rs.getBytes(6);
                ByteBuffer cat = catBytes == null ? null : ByteBuffer.wrap(catBytes).order(ByteOrder.LITTLE_ENDIAN);
                double[] v = new double[cols.size()];
                for (int j = 0; j < v.length; j++) {
                    int slot = Integer.parseInt(cols.get(j)[1]);
                    v[j] = cols.get(j)[0].equals("numeric") ? num.getDouble(slot * 8) : cat.getShort(slot * 2);
                }
                out.put(key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), v);
            }
        }
        return out;
    }

    /** Every row of every typed table, read by plain SQL, keyed like {@link #decodeBlobs}. */
    private static Map<String, double[]> readTyped(Connection c) throws SQLException {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT feature_set, table_name FROM feature_tables")) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getString(2));
            }
        }
        assertThat(tables).containsOnlyKeys("tech_v1", "tech_v2").containsEntry("tech_v2", "features_tech_v2");
        Map<String, double[]> out = new TreeMap<>();
        for (Map.Entry<String, String> t : tables.entrySet()) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + t.getValue())) {
                ResultSetMetaData md = rs.getMetaData();
                assertThat(md.getColumnName(1)).isEqualTo("secid");
                assertThat(md.getColumnName(4)).isEqualTo("available_at");
                while (rs.next()) {
                    double[] v = new double[md.getColumnCount() - 4];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = rs.getDouble(5 + j);
                    }
                    out.put(key(t.getKey(), rs.getString("timeframe"), rs.getString("secid"), rs.getLong("ts")), v);
                }
            }
        }
        return out;
    }

    private static void copyTable(Connection from, Connection to, String table) throws SQLException {
        try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                names.add(md.getColumnName(i));
            }
            try (PreparedStatement ps = to.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", names)
                    + ") VALUES (" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")")) {
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof Integer x) {
                            v = x.longValue();
                        }
                        if ((names.get(i - 1).equals("position") || names.get(i - 1).equals("slot")
                                || names.get(i - 1).equals("window_size")) && v instanceof Long x) {
                            v = x.intValue();
                        }
                        ps.setObject(i, v);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static boolean tableExists(Statement st, String table) {
        try (ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0")) {
            return rs != null;
        } catch (SQLException e) {
            return false;
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String key(String set, String timeframe, String secid, long ts) {
        return set + "/" + timeframe + "/" + secid + "/" + ts;
    }
}
