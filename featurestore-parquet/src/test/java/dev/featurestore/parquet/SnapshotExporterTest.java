package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotConflictException;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.snapshot.UnsafeSnapshotPathException;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.snapshot.SnapshotLayout;
import dev.featurestore.testkit.SnapshotFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Snapshot export to Parquet")
class SnapshotExporterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123Z");

    @TempDir
    Path dir;

    private SnapshotExporter exporter(boolean overwrite) {
        return SnapshotExporter.builder().format("parquet").overwrite(overwrite)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @Test
    @DisplayName("writes {dir}/{feature_set}/{timeframe}/YYYYMMDD.parquet dated by the latest available_at, one record per secid")
    void layoutAndRecords() throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(31, 4, 500);
        List<FeatureFrame> shuffled = new ArrayList<>(frames);
        Collections.reverse(shuffled);
        List<SnapshotRecord> records = exporter(false).export(dir, shuffled, SnapshotFixtures.meta());

        long latest = frames.stream().mapToLong(f -> f.ts(f.size() - 1)).max().orElseThrow() + 60_000L;
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(latest), ZoneOffset.UTC);
        Path expected = dir.resolve("tech_v2").resolve("1m").resolve(SnapshotLayout.fileName(day, "parquet"));
        assertThat(expected).isRegularFile();
        assertThat(records).extracting(SnapshotRecord::secid)
                .containsExactly(frames.stream().map(FeatureFrame::secid).sorted().toArray(String[]::new));
        String sha = SnapshotFiles.sha256(expected);
        for (SnapshotRecord r : records) {
            FeatureFrame f = frames.stream().filter(x -> x.secid().equals(r.secid())).findFirst().orElseThrow();
            assertThat(r.path()).isEqualTo(expected.toString());
            assertThat(r.sha256()).isEqualTo(sha);
            assertThat(r.rowsCount()).isEqualTo(f.size());
            assertThat(r.minTs()).isEqualTo(f.ts(0));
            assertThat(r.maxTs()).isEqualTo(f.ts(f.size() - 1));
            assertThat(r.format()).isEqualTo("parquet");
            assertThat(r.featureSet()).isEqualTo("tech_v2");
            assertThat(r.timeframe()).isEqualTo(SnapshotFixtures.TF);
            assertThat(r.historyStartTs()).isEqualTo(SnapshotFixtures.meta().historyStartTs());
            assertThat(r.libraryVersion()).isEqualTo("test-1");
            assertThat(r.createdAt()).isEqualTo(NOW);
        }
        // file rows are in secid order whatever order the frames came in
        ParquetSnapshotFormatTest.assertSameFrames(SnapshotExporter.read(records.get(0)), frames);
        DuckDb.assertHolds(expected, frames, SnapshotFixtures.meta());
        try (Stream<Path> s = Files.list(expected.getParent())) {
            assertThat(s).containsExactly(expected);
        }
    }

    @Test
    @DisplayName("the date rolls to the next UTC day when the last candle closes at midnight, and a named date wins")
    void asOfDate() {
        long lastOpen = Instant.parse("2026-01-05T23:59:00Z").toEpochMilli();
        FeatureFrame f = SnapshotFixtures.large(1, 10).get(0);
        long[] ts = new long[10];
        for (int i = 0; i < 10; i++) {
            ts[i] = lastOpen - (9 - i) * 60_000L;
        }
        double[][] cols = new double[f.featureNames().size()][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = f.column(i);
        }
        FeatureFrame frame = FeatureFrame.of("X", "tech_v2", SnapshotFixtures.TF, f.featureNames(), f.kinds(), ts, cols);
        assertThat(exporter(false).export(dir, List.of(frame), SnapshotFixtures.meta()).get(0).path()).endsWith("20260106.parquet");
        assertThat(exporter(false).export(dir, List.of(frame), SnapshotFixtures.meta(), LocalDate.of(2025, 12, 31)).get(0).path())
                .endsWith("20251231.parquet");
    }

    @Test
    @DisplayName("exporting identical content again returns the existing file's record and leaves the file alone")
    void identicalAgain() throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(32, 2, 300);
        List<SnapshotRecord> first = exporter(false).export(dir, frames, SnapshotFixtures.meta());
        Path file = Path.of(first.get(0).path());
        FileTime mtime = FileTime.from(Instant.parse("2026-02-02T02:02:02Z"));
        Files.setLastModifiedTime(file, mtime);
        List<SnapshotRecord> again = exporter(false).export(dir, SnapshotFixtures.frames(32, 2, 300), SnapshotFixtures.meta());
        assertThat(again).hasSize(2);
        assertThat(again.get(0).sha256()).isEqualTo(first.get(0).sha256());
        assertThat(again.get(0).path()).isEqualTo(first.get(0).path());
        assertThat(again.get(0).createdAt()).isEqualTo(mtime.toInstant());
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    @DisplayName("different content at an existing path is refused unless overwrite is asked for")
    void immutability() throws Exception {
        LocalDate day = LocalDate.of(2026, 1, 10);
        List<SnapshotRecord> first = exporter(false).export(dir, SnapshotFixtures.frames(33, 2, 300), SnapshotFixtures.meta(), day);
        Path file = Path.of(first.get(0).path());
        List<FeatureFrame> other = SnapshotFixtures.frames(34, 2, 300);
        assertThatThrownBy(() -> exporter(false).export(dir, other, SnapshotFixtures.meta(), day))
                .isInstanceOf(SnapshotConflictException.class).hasMessageContaining(file.toString())
                .hasMessageContaining(first.get(0).sha256()).hasMessageContaining("overwrite");
        assertThat(SnapshotFiles.sha256(file)).isEqualTo(first.get(0).sha256());
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s).as("no temporary file left behind").containsExactly(file);
        }
        List<SnapshotRecord> replaced = exporter(true).export(dir, other, SnapshotFixtures.meta(), day);
        assertThat(replaced.get(0).path()).isEqualTo(file.toString());
        assertThat(replaced.get(0).sha256()).isNotEqualTo(first.get(0).sha256()).isEqualTo(SnapshotFiles.sha256(file));
        ParquetSnapshotFormatTest.assertSameFrames(SnapshotExporter.read(replaced.get(0)), other);
    }

    @Test
    @DisplayName("reading by record checks the hash and refuses a changed file")
    void integrity() throws Exception {
        List<SnapshotRecord> records = exporter(false).export(dir, SnapshotFixtures.frames(35, 1, 100), SnapshotFixtures.meta());
        Path file = Path.of(records.get(0).path());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> SnapshotExporter.read(records.get(0))).isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining(records.get(0).sha256()).hasMessageContaining(file.toString());
    }

    @ParameterizedTest(name = "feature set \"{0}\"")
    @ValueSource(strings = {"..", ".", "../evil", "a/b", "a\\b", "nul\0byte", "", ".hidden", "sp ace", "/abs"})
    @DisplayName("feature set names that could escape the snapshot directory are refused before anything is written")
    void pathEscape(String name) throws Exception {
        Path inner = dir.resolve("out");
        SnapshotMetadata meta = new SnapshotMetadata(name, SnapshotFixtures.TF, SnapshotFixtures.FEATURES, SnapshotFixtures.KINDS, "t", 0, 0, 0);
        List<FeatureFrame> frames = new ArrayList<>();
        for (FeatureFrame f : SnapshotFixtures.frames(36, 1, 10)) {
            double[][] cols = new double[f.featureNames().size()][];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = f.column(i);
            }
            frames.add(FeatureFrame.of(f.secid(), name, SnapshotFixtures.TF, f.featureNames(), f.kinds(), f.timestamps(), cols));
        }
        assertThatThrownBy(() -> exporter(false).export(inner, frames, meta))
                .isInstanceOf(UnsafeSnapshotPathException.class).hasMessageContaining("feature set");
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s).containsExactly(dir);
        }
    }

    @Test
    @DisplayName("stale temporary files of a killed export are never listed as snapshots and a later export removes them")
    void staleTemps() throws Exception {
        Path target = dir.resolve("tech_v2/1m");
        Files.createDirectories(target);
        Path stale = target.resolve(".20260101.parquet.0123456789abcdef.tmp");
        Path fresh = target.resolve(".20260102.parquet.fedcba9876543210.tmp");
        Path unrelated = target.resolve("notes.tmp");
        Files.write(stale, new byte[] {1, 2, 3});
        Files.write(fresh, new byte[] {4});
        Files.write(unrelated, new byte[] {5});
        Files.setLastModifiedTime(stale, FileTime.from(NOW.minus(Duration.ofHours(2))));
        Files.setLastModifiedTime(fresh, FileTime.from(NOW.minus(Duration.ofMinutes(5))));
        List<SnapshotRecord> r = exporter(false).export(dir, SnapshotFixtures.frames(37, 1, 10), SnapshotFixtures.meta());
        assertThat(stale).doesNotExist();
        assertThat(fresh).as("younger than staleTempAge: may belong to a running export").exists();
        assertThat(unrelated).exists();
        assertThat(Path.of(r.get(0).path())).exists();
    }

    @Test
    @DisplayName("no frames, an empty frame, or unordered timestamps are refused")
    void badInput() {
        assertThatThrownBy(() -> exporter(false).export(dir, List.of(), SnapshotFixtures.meta()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frames");
        FeatureFrame f = SnapshotFixtures.large(1, 5).get(0);
        assertThatThrownBy(() -> exporter(false).export(dir, List.of(f.rows(0, 0)), SnapshotFixtures.meta()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rows");
        long[] ts = f.timestamps();
        ts[3] = ts[1];
        double[][] cols = new double[f.featureNames().size()][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = f.column(i);
        }
        FeatureFrame unordered = FeatureFrame.of("U", "tech_v2", SnapshotFixtures.TF, f.featureNames(), f.kinds(), ts, cols);
        assertThatThrownBy(() -> exporter(false).export(dir, List.of(unordered), SnapshotFixtures.meta()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 3");
        assertThatThrownBy(() -> SnapshotExporter.builder().format("parquet").compression("brotli").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brotli");
    }
}
