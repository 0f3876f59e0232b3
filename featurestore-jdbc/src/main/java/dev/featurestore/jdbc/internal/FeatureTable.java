package dev.featurestore.jdbc.internal;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The typed table of one feature set: one row per candle, keyed by {@code (secid, timeframe, ts)},
 * with {@code available_at} and one column per feature, named as the feature: numeric features as
 * {@code DOUBLE PRECISION} (PostgreSQL) or an untyped column holding 8-byte IEEE reals (SQLite, see
 * {@link #numericType}), categorical ones as {@code SMALLINT}. Every column is {@code NOT NULL}: the fact
 * layer holds clean rows only. Also the long-form view {@code feature_values} over every set's table.
 * The SQL text is built here from names the registry has checked ({@code [a-z][a-z0-9_]*}), quoted;
 * values are always bound parameters. Immutable. Not public API.
 */
public final class FeatureTable {
    /** The key and time columns every feature table starts with, in order. */
    public static final List<String> KEY_COLUMNS = List.of("secid", "timeframe", "ts", "available_at");
    /** The long-form view over every feature table. */
    public static final String VIEW = "feature_values";
    /** The prefix of a feature table's name: {@code features_tech_v2}. */
    public static final String PREFIX = "features_";

    private static final int MAX_IDENTIFIER = 63;
    /** Lists of names whose reads are kept; others are made on each call. */
    private static final int MAX_SELECTS = 64;
    private static final Set<String> KEYS = Set.copyOf(KEY_COLUMNS);

    private final String featureSet;
    private final String table;
    private final SetColumnsLayout layout;
    private final Map<List<String>, Select> selects = new ConcurrentHashMap<>();

    private FeatureTable(String featureSet, String table, SetColumnsLayout layout) {
        this.featureSet = featureSet;
        this.table = table;
        this.layout = layout;
    }

    /**
     * The table of a feature set with the given columns.
     *
     * @param table its name, as recorded in {@code feature_tables} ({@link #tableName} for a new set)
     * @throws StorageException when a feature is named like a key column
     */
    public static FeatureTable of(String table, SetColumnsLayout layout) {
        for (String name : layout.names()) {
            if (KEYS.contains(name)) {
                throw new StorageException("feature set '" + layout.featureSet() + "' has a feature named '" + name
                        + "', a key column of the fact layer's tables " + KEY_COLUMNS
                        + "; rename the feature (its provider's name for it)", null);
            }
        }
        return new FeatureTable(layout.featureSet(), table, layout);
    }

    /**
     * The table name of a new feature set: {@code features_<set>}, or for a set name too long for
     * PostgreSQL's 63-character identifiers, its first characters and 8 hex digits of its SHA-256.
     */
    public static String tableName(String featureSet) {
        String name = PREFIX + featureSet;
        if (name.length() <= MAX_IDENTIFIER) {
            return name;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(featureSet.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(sha, 0, 4);
            return name.substring(0, MAX_IDENTIFIER - hash.length() - 1) + "_" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The feature set. */
    public String featureSet() {
        return featureSet;
    }

    /** The table's name (unquoted). */
    public String table() {
        return table;
    }

    /** The set's columns: names and kinds in set order. */
    public SetColumnsLayout layout() {
        return layout;
    }

    /** The number of features, one column each after the key columns. */
    public int width() {
        return layout.names().size();
    }

    /** True when the feature at {@code position} is numeric. */
    public boolean numeric(int position) {
        return layout.kinds().get(position) == FeatureKind.NUMERIC;
    }

    /**
     * The declared type of a numeric feature column. PostgreSQL: {@code DOUBLE PRECISION}. SQLite:
     * none, so that the column has BLOB affinity and keeps each bound double as it is; a column of
     * REAL affinity (a declared {@code DOUBLE PRECISION}) stores a whole-number double as an integer
     * and reads {@code -0.0} back as {@code 0.0}, one bit changed. Every value is still an 8-byte
     * IEEE real ({@code typeof(rsi_14) = 'real'}), read by SQL as a floating-point number.
     */
    public static String numericType(Migrations.Vendor vendor) {
        return vendor == Migrations.Vendor.POSTGRESQL ? " DOUBLE PRECISION" : "";
    }

    /** {@code CREATE TABLE} of this table. */
    public String createSql(Migrations.Vendor vendor) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(quote(table)).append(" (\n")
                .append("    secid TEXT NOT NULL,\n    timeframe TEXT NOT NULL,\n    ts BIGINT NOT NULL,\n")
                .append("    available_at BIGINT NOT NULL,\n");
        for (int j = 0; j < width(); j++) {
            sql.append("    ").append(quote(layout.names().get(j)))
                    .append(numeric(j) ? numericType(vendor) : " SMALLINT").append(" NOT NULL,\n");
        }
        sql.append("    PRIMARY KEY (secid, timeframe, ts)\n)");
        if (vendor == Migrations.Vendor.SQLITE) {
            sql.append(" WITHOUT ROWID");
        }
        return sql.toString();
    }

    /** The column list {@code secid, timeframe, ts, available_at, "f1", ...} of an insert. */
    public String columnList() {
        StringBuilder sql = new StringBuilder(String.join(", ", KEY_COLUMNS));
        for (String name : layout.names()) {
            sql.append(", ").append(quote(name));
        }
        return sql.toString();
    }

    /** {@code INSERT INTO table (columns) VALUES (?, ...), ...} of {@code rows} rows. */
    public String insertSql(int rows) {
        String row = "(" + String.join(", ", java.util.Collections.nCopies(KEY_COLUMNS.size() + width(), "?")) + ")";
        return "INSERT INTO " + quote(table) + " (" + columnList() + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, row));
    }

    /**
     * The reads of some of the set's features, made once per list of names and kept: their
     * positions and the two queries, both binding {@code secid, timeframe} and then either
     * {@code fromTs, toTs} (a range, oldest first) or {@code lastTs, size} (a window, newest first).
     *
     * @param positions the features' positions in the set, in the order asked for
     * @param rangeSql {@code ts} then the features of the rows with {@code fromTs <= ts < toTs}, by {@code ts}
     * @param windowSql {@code ts} then the features of the newest {@code size} rows with {@code ts <= lastTs}
     */
    public record Select(int[] positions, String rangeSql, String windowSql) {
    }

    /**
     * The reads of {@code names}, made on first use and kept for the table's life (a table's
     * columns never change; a set that gains a column gets a new table object).
     *
     * @param names feature names of the set
     * @return their positions and queries
     * @throws StorageException naming a feature the set does not have
     */
    public Select select(List<String> names) {
        Select known = selects.get(names);
        if (known != null) {
            return known;
        }
        int[] positions = layout.positions(names);
        StringBuilder sql = new StringBuilder("SELECT ts");
        for (int p : positions) {
            sql.append(", ").append(quote(layout.names().get(p)));
        }
        String base = sql.append(" FROM ").append(quote(table)).append(" WHERE secid = ? AND timeframe = ?").toString();
        Select made = new Select(positions, base + " AND ts >= ? AND ts < ? ORDER BY ts",
                base + " AND ts <= ? ORDER BY ts DESC LIMIT ?");
        if (selects.size() < MAX_SELECTS) {
            selects.putIfAbsent(List.copyOf(names), made);
        }
        return made;
    }

    /**
     * Binds one row's values at parameters {@code offset + 5} onwards, after its four key columns,
     * which the caller binds at {@code offset + 1 .. offset + 4}.
     *
     * @param values the row's values in set order; categories as whole doubles
     */
    public void bindValues(PreparedStatement ps, int offset, double[] values) throws SQLException {
        int at = offset + KEY_COLUMNS.size() + 1;
        for (int j = 0; j < values.length; j++) {
            if (numeric(j)) {
                ps.setDouble(at + j, values[j]);
            } else {
                ps.setShort(at + j, (short) values[j]);
            }
        }
    }

    /** Reads the feature at {@code column} (1-based) of a result row, of the kind at {@code position}. */
    public double read(ResultSet rs, int column, int position) throws SQLException {
        return numeric(position) ? rs.getDouble(column) : rs.getShort(column);
    }

    /**
     * Replaces the long-form view {@code feature_values (secid, timeframe, feature_set, ts,
     * available_at, feature, value)}: one row per stored value of every table, categories as whole
     * doubles. Run inside the transaction that created a table.
     */
    public static void replaceView(Connection c, List<FeatureTable> tables) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (FeatureTable t : tables) {
            for (String name : t.layout.names()) {
                parts.add("SELECT secid, timeframe, " + literal(t.featureSet) + " AS feature_set, ts, available_at, "
                        + literal(name) + " AS feature, CAST(" + quote(name) + " AS DOUBLE PRECISION) AS value FROM "
                        + quote(t.table));
            }
        }
        if (parts.isEmpty()) {
            parts.add("SELECT CAST(NULL AS TEXT) AS secid, CAST(NULL AS TEXT) AS timeframe, CAST(NULL AS TEXT) AS "
                    + "feature_set, CAST(NULL AS BIGINT) AS ts, CAST(NULL AS BIGINT) AS available_at, CAST(NULL AS TEXT) "
                    + "AS feature, CAST(NULL AS DOUBLE PRECISION) AS value WHERE 1 = 0");
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP VIEW IF EXISTS " + VIEW);
            st.execute("CREATE VIEW " + VIEW + " AS\n" + String.join("\nUNION ALL\n", parts));
        }
    }

    /** Every feature table recorded in {@code feature_tables}, with its columns, in set-name order. */
    public static List<FeatureTable> all(Connection c) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT feature_set, table_name FROM feature_tables ORDER BY feature_set")) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        List<FeatureTable> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add(withColumns(c, r[0], r[1]));
        }
        return out;
    }

    /** The table recorded for {@code featureSet}, or null when the set has none yet. */
    public static FeatureTable find(Connection c, String featureSet) throws SQLException {
        String table;
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM feature_tables WHERE feature_set = ?")) {
            ps.setString(1, featureSet);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                table = rs.getString(1);
            }
        }
        return withColumns(c, featureSet, table);
    }

    /** The table {@code table} of {@code featureSet} with the set's recorded columns. */
    private static FeatureTable withColumns(Connection c, String featureSet, String table) throws SQLException {
        SetColumnsLayout layout = FactLayerSql.readColumns(c, featureSet);
        if (layout == null) {
            throw new StorageException("feature set '" + featureSet + "' has a table " + table
                    + " but no columns in feature_set_columns", null);
        }
        return of(table, layout);
    }

    /**
     * Records a new set: its columns in {@code feature_set_columns}, its table in {@code
     * feature_tables}, creates the table and replaces the view, all on {@code c} (the caller's
     * transaction).
     */
    public static FeatureTable create(Connection c, Migrations.Vendor vendor, SetColumnsLayout layout)
            throws SQLException {
        FeatureTable t = of(tableName(layout.featureSet()), layout);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_set_columns (feature_set, position, "
                + "feature, kind, slot) VALUES (?, ?, ?, ?, ?)")) {
            for (int j = 0; j < layout.names().size(); j++) {
                ps.setString(1, layout.featureSet());
                ps.setInt(2, j);
                ps.setString(3, layout.names().get(j));
                ps.setString(4, SetColumnsLayout.kindName(layout.kinds().get(j)));
                ps.setInt(5, layout.slot(j));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        t.createTable(c, vendor);
        List<FeatureTable> tables = all(c);
        replaceView(c, tables);
        return t;
    }

    /** Creates this table and records it in {@code feature_tables} (its columns are recorded already). */
    void createTable(Connection c, Migrations.Vendor vendor) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(createSql(vendor));
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO feature_tables (feature_set, table_name) VALUES (?, ?)")) {
            ps.setString(1, featureSet);
            ps.setString(2, table);
            ps.executeUpdate();
        }
    }

    /** An identifier in double quotes (names are checked by the registry: no quote inside). */
    static String quote(String identifier) {
        if (identifier.indexOf('"') >= 0) {
            throw new IllegalArgumentException("identifier with a double quote: " + identifier);
        }
        return '"' + identifier + '"';
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
