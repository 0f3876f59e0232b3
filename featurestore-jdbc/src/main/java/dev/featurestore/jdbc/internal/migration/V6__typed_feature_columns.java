package dev.featurestore.jdbc.internal.migration;

import dev.featurestore.jdbc.internal.FactLayerSql;
import dev.featurestore.jdbc.internal.FeatureTable;
import dev.featurestore.jdbc.internal.Migrations;
import dev.featurestore.jdbc.internal.SetColumnsLayout;
import dev.featurestore.jdbc.internal.ValueCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Feature values in typed columns: each feature set's blob rows of {@code feature_numeric} and
 * {@code feature_categorical} become rows of its own table {@code features_<set>}, one column per
 * feature (see {@link FeatureTable}); {@code feature_tables} records each set's table and the view
 * {@code feature_values} gives the long form. Every value is decoded from its blob and bound as the
 * same double (categories as the same 16-bit integer), so it is kept bit for bit; the blob tables
 * are dropped afterwards. Runs in Flyway's transaction on both databases.
 */
public class V6__typed_feature_columns extends BaseJavaMigration {
    private static final int ROWS_PER_INSERT = 64;

    /** Flyway makes one. */
    public V6__typed_feature_columns() {
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        Migrations.Vendor vendor = product.contains("postgres") ? Migrations.Vendor.POSTGRESQL
                : Migrations.Vendor.SQLITE;
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE feature_tables (\n    feature_set TEXT NOT NULL PRIMARY KEY,\n"
                    + "    table_name  TEXT NOT NULL UNIQUE\n)");
        }
        List<String> sets = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT feature_set FROM feature_set_columns ORDER BY feature_set")) {
            while (rs.next()) {
                sets.add(rs.getString(1));
            }
        }
        for (String set : sets) {
            SetColumnsLayout layout = FactLayerSql.readColumns(c, set);
            FeatureTable table = FeatureTable.of(FeatureTable.tableName(set), layout);
            try (Statement st = c.createStatement()) {
                st.execute(table.createSql(vendor));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO feature_tables (feature_set, table_name) VALUES (?, ?)")) {
                ps.setString(1, set);
                ps.setString(2, table.table());
                ps.executeUpdate();
            }
            copy(c, table);
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE feature_categorical");
            st.execute("DROP TABLE feature_numeric");
        }
        FeatureTable.replaceView(c, FeatureTable.all(c));
    }

    /** Copies the blob rows of one set into its table, in key order. */
    private static void copy(Connection c, FeatureTable table) throws SQLException {
        SetColumnsLayout layout = table.layout();
        int f = table.width();
        boolean categorical = layout.categoricalCount() > 0;
        String select = categorical
                ? "SELECT n.secid, n.timeframe, n.ts, n.available_at, n.vals, k.vals FROM feature_numeric n "
                        + "JOIN feature_categorical k ON k.feature_set = n.feature_set AND k.timeframe = n.timeframe "
                        + "AND k.secid = n.secid AND k.ts = n.ts WHERE n.feature_set = ? "
                        + "ORDER BY n.secid, n.timeframe, n.ts"
                : "SELECT n.secid, n.timeframe, n.ts, n.available_at, n.vals FROM feature_numeric n "
                        + "WHERE n.feature_set = ? ORDER BY n.secid, n.timeframe, n.ts";
        int perRow = FeatureTable.KEY_COLUMNS.size() + f;
        double[] values = new double[f];
        try (PreparedStatement read = c.prepareStatement(select);
                PreparedStatement many = c.prepareStatement(table.insertSql(ROWS_PER_INSERT))) {
            read.setString(1, table.featureSet());
            read.setFetchSize(10_000);
            // Rows go in multi-row INSERTs; the rows of a last partial chunk are kept and go one by one.
            List<Object[]> partial = new ArrayList<>();
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    byte[] num = rs.getBytes(5);
                    byte[] cat = categorical ? rs.getBytes(6) : null;
                    for (int j = 0; j < f; j++) {
                        values[j] = table.numeric(j) ? ValueCodec.getDouble(num, layout.slot(j))
                                : ValueCodec.getCategory(cat, layout.slot(j));
                    }
                    Object[] key = {rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)};
                    bind(many, partial.size() * perRow, key, table, values);
                    partial.add(new Object[] {key, values.clone()});
                    if (partial.size() == ROWS_PER_INSERT) {
                        many.executeUpdate();
                        partial.clear();
                    }
                }
            }
            if (!partial.isEmpty()) {
                try (PreparedStatement one = c.prepareStatement(table.insertSql(1))) {
                    for (Object[] row : partial) {
                        bind(one, 0, (Object[]) row[0], table, (double[]) row[1]);
                        one.addBatch();
                    }
                    one.executeBatch();
                }
            }
        }
    }

    /** Binds one row, its key {@code (secid, timeframe, ts, available_at)} then its values, from {@code offset}. */
    private static void bind(PreparedStatement ps, int offset, Object[] key, FeatureTable table, double[] values)
            throws SQLException {
        ps.setString(offset + 1, (String) key[0]);
        ps.setString(offset + 2, (String) key[1]);
        ps.setLong(offset + 3, (Long) key[2]);
        ps.setLong(offset + 4, (Long) key[3]);
        table.bindValues(ps, offset, values);
    }
}
