package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks a Parquet snapshot with DuckDB, a reader that shares no code with ours. */
final class DuckDb {
    private DuckDb() {
    }

    static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:");
    }

    static String lit(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    static long count(Path file) throws SQLException {
        try (Connection c = open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet(" + lit(file) + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Column name to DuckDB type name, in file order. */
    static List<String[]> describe(Path file) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + lit(file) + ")")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString("column_name"), rs.getString("column_type")});
            }
        }
        return out;
    }

    static Map<String, String> kvMetadata(Path file) throws SQLException {
        Map<String, String> kv = new HashMap<>();
        try (Connection c = open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT key, value FROM parquet_kv_metadata(" + lit(file) + ")")) {
            while (rs.next()) {
                kv.put(new String(rs.getBytes(1), StandardCharsets.UTF_8), new String(rs.getBytes(2),
                        StandardCharsets.UTF_8));
            }
        }
        return kv;
    }

    /** Asserts that DuckDB sees exactly the frames: names, types, row count and every value bit for bit. */
    static void assertHolds(Path file, List<FeatureFrame> frames, SnapshotMetadata meta) throws SQLException {
        long total = frames.stream().mapToLong(FeatureFrame::size).sum();
        assertThat(count(file)).as("row count seen by DuckDB").isEqualTo(total);
        List<String[]> cols = describe(file);
        assertThat(cols).hasSize(2 + meta.features().size());
        assertThat(cols.get(0)).containsExactly("secid", "VARCHAR");
        assertThat(cols.get(1)).containsExactly("ts", "TIMESTAMP WITH TIME ZONE");
        for (int f = 0; f < meta.features().size(); f++) {
            String type = meta.kinds().get(f) == FeatureKind.CATEGORICAL ? "TINYINT" : "DOUBLE";
            assertThat(cols.get(f + 2)).containsExactly(meta.features().get(f), type);
        }
        assertThat(kvMetadata(file)).containsAllEntriesOf(meta.toKeyValues());
        StringBuilder sql = new StringBuilder("SELECT secid, epoch_ms(ts)");
        for (String f : meta.features()) {
            sql.append(", \"").append(f).append('"');
        }
        sql.append(" FROM read_parquet(").append(lit(file)).append(") ORDER BY secid, ts");
        List<FeatureFrame> sorted = new ArrayList<>(frames);
        sorted.sort((a, b) -> a.secid().compareTo(b.secid()));
        try (Connection c = open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            for (FeatureFrame frame : sorted) {
                for (int r = 0; r < frame.size(); r++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(frame.secid());
                    assertThat(rs.getLong(2)).as("ts of %s row %d", frame.secid(), r).isEqualTo(frame.ts(r));
                    for (int f = 0; f < meta.features().size(); f++) {
                        double expected = frame.value(r, f);
                        double actual = meta.kinds().get(f) == FeatureKind.CATEGORICAL ? rs.getByte(f + 3)
                                : rs.getDouble(f + 3);
                        if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
                            throw new AssertionError("DuckDB reads " + actual + " for " + meta.features().get(f)
                                    + " of " + frame.secid() + " row " + r + ", the frame holds " + expected);
                        }
                    }
                }
            }
            assertThat(rs.next()).isFalse();
        }
    }
}
