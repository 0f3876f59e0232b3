package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.snapshot.SnapshotConflictException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.parquet.ParquetSnapshotFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A snapshot written by Spark")
class SparkSnapshotTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local(2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    @DisplayName("reads back with the library's reader and with DuckDB as compute's rows, and is recorded per secid")
    void readsBack(@TempDir Path dir) throws Exception {
        List<CandleSeries> series = TestCandles.generate(61, 5, 8);
        Dataset<Row> candles = TestCandles.dataset(spark, series, 61);
        Path out = dir.resolve("features");
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("fs.db")).build()) {
            SparkSnapshot s = SparkFeatures.forSet("tech_v2").timeframe("5m").exportSnapshot(candles, out, store);

            FeatureQuery q = FeatureStore.forSet("tech_v2").timeframe("5m");
            Map<String, FeatureFrame> expected = new HashMap<>();
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (CandleSeries c : series) {
                FeatureFrame f = q.compute(c);
                expected.put(c.secid(), f);
                first = Math.min(first, c.ts(0));
                last = Math.max(last, f.ts(f.size() - 1));
            }
            assertThat(s.directory()).isEqualTo(out.resolve("tech_v2/5m/" + s.date().toString().replace("-", "")
                    + ".parquet"));
            assertThat(s.date()).hasToString("2024-01-17");
            try (Stream<Path> listed = Files.list(s.directory())) {
                assertThat(listed.map(p -> p.getFileName().toString()).sorted().toList())
                        .containsExactlyElementsOf(s.files().stream().map(p -> p.getFileName().toString()).toList())
                        .allMatch(n -> n.matches("20240117\\.\\d{5}\\.parquet"));
            }
            try (Stream<Path> siblings = Files.list(s.directory().getParent())) {
                assertThat(siblings).containsExactly(s.directory());
            }

            SnapshotMetadata meta = new SnapshotMetadata("tech_v2", dev.featurestore.api.Timeframe.parse("5m"),
                    q.featureNames(), expected.values().iterator().next().kinds(), SnapshotFiles.libraryVersion(),
                    first, first, last, FeatureStore.shared().registry().fingerprint("tech_v2"));
            ParquetSnapshotFormat format = new ParquetSnapshotFormat();
            int secids = 0;
            for (Path file : s.files()) {
                assertThat(format.readMetadata(file)).isEqualTo(meta);
                for (FeatureFrame read : format.read(file)) {
                    FeatureFrame want = expected.get(read.secid());
                    assertSameBits(read, want);
                    secids++;
                }
                assertThat(kvMetadata(file)).containsAllEntriesOf(meta.toKeyValues());
            }
            assertThat(secids).isEqualTo(series.size());
            assertDuckDbHolds(s.directory(), expected, meta);

            List<SnapshotRecord> recorded = store.storage().snapshots(SnapshotQuery.all());
            assertThat(recorded).hasSize(series.size()).containsExactlyInAnyOrderElementsOf(s.records());
            for (SnapshotRecord r : recorded) {
                FeatureFrame want = expected.get(r.secid());
                assertThat(r.rowsCount()).isEqualTo(want.size());
                assertThat(r.minTs()).isEqualTo(want.ts(0));
                assertThat(r.maxTs()).isEqualTo(want.ts(want.size() - 1));
                assertThat(r.sha256()).isEqualTo(SnapshotFiles.sha256(Path.of(r.path())));
                assertThat(r.fingerprint()).isEqualTo(meta.fingerprint());
                assertThat(r.historyStartTs()).as("history start of %s", r.secid()).isEqualTo(series.stream()
                        .filter(c -> c.secid().equals(r.secid())).findFirst().orElseThrow().ts(0));
                assertThat(SnapshotQuery.fileDate(r.path())).isEqualTo(s.date());
                assertThat(format.read(Path.of(r.path()))).extracting(FeatureFrame::secid).contains(r.secid());
            }

            assertThatThrownBy(() -> SparkFeatures.forSet("tech_v2").timeframe("5m").exportSnapshot(candles, out,
                    store)).isInstanceOf(SnapshotConflictException.class).hasMessageContaining(s.directory().toString());
            assertThat(store.storage().snapshots(SnapshotQuery.all())).hasSize(series.size());
            try (Stream<Path> siblings = Files.list(s.directory().getParent())) {
                assertThat(siblings).containsExactly(s.directory());
            }
        }
    }

    private static void assertSameBits(FeatureFrame actual, FeatureFrame expected) {
        assertThat(actual.size()).as("rows of %s", expected.secid()).isEqualTo(expected.size());
        for (int r = 0; r < actual.size(); r++) {
            assertThat(actual.ts(r)).isEqualTo(expected.ts(r));
            for (int f = 0; f < expected.featureNames().size(); f++) {
                assertThat(Double.doubleToRawLongBits(actual.value(r, f)))
                        .as("%s of %s at row %d", expected.featureNames().get(f), expected.secid(), r)
                        .isEqualTo(Double.doubleToRawLongBits(expected.value(r, f)));
            }
        }
    }

    private static String glob(Path dir) {
        return "'" + dir.toAbsolutePath().resolve("*.parquet").toString().replace("'", "''") + "'";
    }

    private static Map<String, String> kvMetadata(Path file) throws Exception {
        Map<String, String> kv = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT key, value FROM parquet_kv_metadata('"
                        + file.toAbsolutePath().toString().replace("'", "''") + "')")) {
            while (rs.next()) {
                kv.put(new String(rs.getBytes(1), StandardCharsets.UTF_8),
                        new String(rs.getBytes(2), StandardCharsets.UTF_8));
            }
        }
        return kv;
    }

    /** DuckDB reads the directory as one table: the snapshot's column types and every value bit for bit. */
    private static void assertDuckDbHolds(Path dir, Map<String, FeatureFrame> expected, SnapshotMetadata meta)
            throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            List<String[]> cols = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + glob(dir) + ")")) {
                while (rs.next()) {
                    cols.add(new String[] {rs.getString("column_name"), rs.getString("column_type")});
                }
            }
            assertThat(cols).hasSize(2 + meta.features().size());
            assertThat(cols.get(0)).containsExactly("secid", "VARCHAR");
            assertThat(cols.get(1)).containsExactly("ts", "TIMESTAMP WITH TIME ZONE");
            for (int f = 0; f < meta.features().size(); f++) {
                String type = meta.kinds().get(f) == FeatureKind.CATEGORICAL ? "TINYINT" : "DOUBLE";
                assertThat(cols.get(f + 2)).containsExactly(meta.features().get(f), type);
            }
            StringBuilder sql = new StringBuilder("SELECT secid, epoch_ms(ts)");
            for (String f : meta.features()) {
                sql.append(", \"").append(f).append('"');
            }
            sql.append(" FROM read_parquet(").append(glob(dir)).append(") ORDER BY secid, ts");
            List<String> secids = new ArrayList<>(expected.keySet());
            secids.sort(null);
            try (ResultSet rs = st.executeQuery(sql.toString())) {
                for (String secid : secids) {
                    FeatureFrame frame = expected.get(secid);
                    for (int r = 0; r < frame.size(); r++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(secid);
                        assertThat(rs.getLong(2)).isEqualTo(frame.ts(r));
                        for (int f = 0; f < meta.features().size(); f++) {
                            double actual = meta.kinds().get(f) == FeatureKind.CATEGORICAL ? rs.getByte(f + 3)
                                    : rs.getDouble(f + 3);
                            if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(frame.value(r, f))) {
                                throw new AssertionError("DuckDB reads " + actual + " for " + meta.features().get(f)
                                        + " of " + secid + " row " + r + ", compute gives " + frame.value(r, f));
                            }
                        }
                    }
                }
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
