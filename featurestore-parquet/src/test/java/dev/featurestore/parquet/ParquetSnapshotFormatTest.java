package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.core.snapshot.SnapshotFormats;
import dev.featurestore.testkit.SnapshotFixtures;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Parquet snapshot format")
class ParquetSnapshotFormatTest {
    @TempDir
    Path dir;

    private final SnapshotFormat format = new ParquetSnapshotFormat();

    @Test
    @DisplayName("is found by name with ServiceLoader")
    void foundByName() {
        assertThat(SnapshotFormats.byName("parquet")).isInstanceOf(ParquetSnapshotFormat.class);
        assertThat(SnapshotFormats.byName("PARQUET").extension()).isEqualTo("parquet");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    @DisplayName("DuckDB reads every row, column name, type, value and the metadata of a file we write")
    void duckDbReadsWhatWeWrite(long seed) throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(seed, 1 + (int) (seed % 4), 3000);
        Path file = dir.resolve("s" + seed + ".parquet");
        format.write(frames, SnapshotFixtures.meta(), seed % 3 == 0 ? "zstd" : seed % 3 == 1 ? null : "uncompressed", file);
        DuckDb.assertHolds(file, frames, SnapshotFixtures.meta());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    @DisplayName("round trip: reading back gives the frames bit for bit, also across many row groups and pages")
    void roundTrip(long seed) throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(seed, 3, 2500);
        Path file = dir.resolve("rt.parquet");
        // small row groups and pages so that frames straddle row group and page boundaries
        String codec = List.of("snappy", "zstd", "uncompressed").get((int) (seed % 3));
        ParquetSnapshotWriter.write(frames, SnapshotFixtures.meta(), codec, file, 777, 100 + (int) seed);
        assertSameFrames(format.read(file), frames);
        DuckDb.assertHolds(file, frames, SnapshotFixtures.meta());
        try (Connection c = DuckDb.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(DISTINCT row_group_id) FROM parquet_metadata(" + DuckDb.lit(file) + ")")) {
            rs.next();
            long rows = frames.stream().mapToLong(FeatureFrame::size).sum();
            assertThat(rs.getLong(1)).isEqualTo((rows + 776) / 777);
        }
    }

    @Test
    @DisplayName("round trip keeps NaN and infinities of numeric features with their exact bits")
    void roundTripSpecialDoubles() {
        List<FeatureFrame> frames = SnapshotFixtures.frames(99, 1, 50);
        FeatureFrame f = frames.get(0);
        double[][] cols = new double[f.featureNames().size()][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = f.column(i);
        }
        cols[0][0] = Double.NaN;
        cols[0][1] = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        cols[1][2] = Double.POSITIVE_INFINITY;
        cols[1][3] = Double.NEGATIVE_INFINITY;
        FeatureFrame special = FeatureFrame.of(f.secid(), f.featureSet(), SnapshotFixtures.TF, f.featureNames(), f.kinds(),
                f.timestamps(), cols);
        Path file = dir.resolve("nan.parquet");
        format.write(List.of(special), SnapshotFixtures.meta(), null, file);
        assertSameFrames(format.read(file), List.of(special));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"snappy", "zstd", "uncompressed"})
    @DisplayName("the same frames give byte-identical files, for every codec, and the codec is the one asked for")
    void deterministic(String codec) throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(21, 3, 5000);
        Path a = dir.resolve("a.parquet");
        Path b = dir.resolve("b.parquet");
        format.write(frames, SnapshotFixtures.meta(), codec, a);
        format.write(SnapshotFixtures.frames(21, 3, 5000), SnapshotFixtures.meta(), codec, b);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
        try (Connection c = DuckDb.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT DISTINCT compression FROM parquet_metadata(" + DuckDb.lit(a) + ")")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase(codec);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    @DisplayName("secid is dictionary-encoded and ts is a UTC millisecond timestamp in the Parquet schema")
    void physicalSchema() throws Exception {
        Path file = dir.resolve("schema.parquet");
        format.write(SnapshotFixtures.frames(5, 2, 1000), SnapshotFixtures.meta(), null, file);
        try (Connection c = DuckDb.open(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT path_in_schema, encodings FROM parquet_metadata("
                    + DuckDb.lit(file) + ") WHERE path_in_schema = 'secid'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).contains("DICTIONARY");
            }
            try (ResultSet rs = st.executeQuery("SELECT name, type, repetition_type, logical_type FROM parquet_schema("
                    + DuckDb.lit(file) + ") WHERE name IN ('ts', 'bullish_engulfing', 'rsi_14') ORDER BY name")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("bullish_engulfing");
                assertThat(rs.getString(2)).isEqualTo("INT32");
                assertThat(rs.getString(3)).isEqualTo("REQUIRED");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("DOUBLE");
                assertThat(rs.getString(3)).isEqualTo("REQUIRED");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ts");
                assertThat(rs.getString(2)).isEqualTo("INT64");
                assertThat(rs.getString(4)).contains("isAdjustedToUTC=1").contains("MILLIS");
            }
            try (ResultSet rs = st.executeQuery("SELECT created_by FROM parquet_file_metadata(" + DuckDb.lit(file)
                    + ")")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("parquet-mr version 1.18.1");
            }
        }
    }

    @Test
    @DisplayName("the metadata reads back equal to what was written")
    void metadataRoundTrip() {
        Path file = dir.resolve("m.parquet");
        format.write(SnapshotFixtures.frames(3, 1, 10), SnapshotFixtures.meta(), null, file);
        assertThat(format.readMetadata(file)).isEqualTo(SnapshotFixtures.meta());
    }

    @Test
    @DisplayName("a categorical value that is not a small whole number is refused, naming feature, secid and row")
    void badCategorical() {
        FeatureFrame f = SnapshotFixtures.large(1, 20).get(0);
        int cat = f.kinds().indexOf(FeatureKind.CATEGORICAL);
        double[][] cols = new double[f.featureNames().size()][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = f.column(i);
        }
        cols[cat][3] = Double.NaN;
        FeatureFrame bad = FeatureFrame.of(f.secid(), f.featureSet(), SnapshotFixtures.TF, f.featureNames(), f.kinds(),
                f.timestamps(), cols);
        assertThatThrownBy(() -> format.write(List.of(bad), SnapshotFixtures.meta(), null, dir.resolve("bad.parquet")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.featureNames().get(cat)).hasMessageContaining(f.secid())
                .hasMessageContaining("row 3");
    }

    @Test
    @DisplayName("frames of another feature set, an unknown codec, and a file that is no snapshot are refused")
    void refusals() throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(6, 1, 10);
        SnapshotMetadata other = new SnapshotMetadata("tech_v1", SnapshotFixtures.TF, SnapshotFixtures.FEATURES, SnapshotFixtures.KINDS,
                "x", 0, 0, 0);
        assertThatThrownBy(() -> format.write(frames, other, null, dir.resolve("x.parquet")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tech_v1");
        assertThatThrownBy(() -> format.write(frames, SnapshotFixtures.meta(), "lzo", dir.resolve("y.parquet")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lzo").hasMessageContaining("zstd");
        Path foreign = dir.resolve("foreign.parquet");
        try (Connection c = DuckDb.open(); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 1 AS a) TO " + DuckDb.lit(foreign) + " (FORMAT parquet)");
        }
        assertThatThrownBy(() -> format.read(foreign)).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining("lacks the key").hasMessageContaining(foreign.toString());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {51, 52, 53})
    @DisplayName("page and row group statistics of secid and ts hold the true min and max, so filtering readers skip correctly")
    void pageIndexes(long seed) throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(seed, 4, 1500);
        Path file = dir.resolve("idx.parquet");
        int pageRows = 97;
        int groupRows = 1000;
        ParquetSnapshotWriter.write(frames, SnapshotFixtures.meta(), "snappy", file, groupRows, pageRows);
        List<String> secids = new ArrayList<>();
        List<Long> ts = new ArrayList<>();
        for (FeatureFrame f : frames) {
            for (int r = 0; r < f.size(); r++) {
                secids.add(f.secid());
                ts.add(f.ts(r));
            }
        }
        try (ParquetFileReader r = ParquetFileReader.open(
                new LocalInputFile(file))) {
            int base = 0;
            for (BlockMetaData block : r.getRowGroups()) {
                int rows = (int) block.getRowCount();
                ColumnChunkMetaData secidChunk = block.getColumns().get(0);
                ColumnChunkMetaData tsChunk = block.getColumns().get(1);
                List<Long> groupTs = ts.subList(base, base + rows);
                assertThat((Object) tsChunk.getStatistics().genericGetMin()).isEqualTo(Collections.min(groupTs));
                assertThat((Object) tsChunk.getStatistics().genericGetMax()).isEqualTo(Collections.max(groupTs));
                OffsetIndex offsets = r.readOffsetIndex(tsChunk);
                ColumnIndex tsIndex = r.readColumnIndex(tsChunk);
                ColumnIndex secidIndex = r.readColumnIndex(secidChunk);
                assertThat(offsets.getPageCount()).isEqualTo((rows + pageRows - 1) / pageRows);
                for (int p = 0; p < offsets.getPageCount(); p++) {
                    int from = p * pageRows;
                    int to = Math.min(rows, from + pageRows);
                    assertThat(offsets.getFirstRowIndex(p)).isEqualTo(from);
                    List<Long> pageTs = groupTs.subList(from, to);
                    assertThat(tsIndex.getMinValues().get(p).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
                            .as("seed %d group at %d page %d", seed, base, p).isEqualTo(Collections.min(pageTs));
                    assertThat(tsIndex.getMaxValues().get(p).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
                            .isEqualTo(Collections.max(pageTs));
                    List<String> pageSecids = secids.subList(base + from, base + to);
                    assertThat(StandardCharsets.UTF_8.decode(secidIndex.getMinValues().get(p)).toString())
                            .isEqualTo(Collections.min(pageSecids));
                    assertThat(StandardCharsets.UTF_8.decode(secidIndex.getMaxValues().get(p)).toString())
                            .isEqualTo(Collections.max(pageSecids));
                }
                base += rows;
            }
            assertThat(base).isEqualTo(ts.size());
        }
        try (Connection c = DuckDb.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM read_parquet(" + DuckDb.lit(file) + ") WHERE ts >= make_timestamptz("
                        + ts.get(ts.size() / 2) + " * 1000)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(ts.stream().filter(t -> t >= ts.get(ts.size() / 2)).count());
        }
    }

    @Test
    @DisplayName("writing never replaces an existing file")
    void existingTarget() throws Exception {
        Path file = dir.resolve("exists.parquet");
        Files.writeString(file, "keep");
        assertThatThrownBy(() -> format.write(SnapshotFixtures.frames(7, 1, 10), SnapshotFixtures.meta(), null, file))
                .isInstanceOf(FeatureStoreException.class).hasMessageContaining(file.toString());
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    static void assertSameFrames(List<FeatureFrame> actual, List<FeatureFrame> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            FeatureFrame a = actual.get(i);
            FeatureFrame e = expected.get(i);
            assertThat(a.secid()).isEqualTo(e.secid());
            assertThat(a.featureSet()).isEqualTo(e.featureSet());
            assertThat(a.timeframe()).isEqualTo(e.timeframe());
            assertThat(a.featureNames()).isEqualTo(e.featureNames());
            assertThat(a.kinds()).isEqualTo(e.kinds());
            assertThat(a.timestamps()).isEqualTo(e.timestamps());
            for (int f = 0; f < e.featureNames().size(); f++) {
                long[] ab = bits(a.column(f));
                long[] eb = bits(e.column(f));
                assertThat(ab).as("bits of %s of %s", e.featureNames().get(f), e.secid()).isEqualTo(eb);
            }
        }
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    static List<FeatureFrame> copy(List<FeatureFrame> frames) {
        return new ArrayList<>(frames);
    }
}
