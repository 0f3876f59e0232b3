package dev.featurestore.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.snapshot.SnapshotFormats;
import dev.featurestore.testkit.SnapshotFixtures;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Feather snapshot format")
class FeatherSnapshotFormatTest {
    @TempDir
    Path dir;

    private final SnapshotFormat format = new FeatherSnapshotFormat();

    @Test
    @DisplayName("is found by name with ServiceLoader")
    void foundByName() {
        assertThat(SnapshotFormats.byName("feather")).isInstanceOf(FeatherSnapshotFormat.class);
        assertThat(SnapshotFormats.byName("feather").extension()).isEqualTo("feather");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("Arrow's own file reader sees the Feather v2 layout, types, metadata and every value bit for bit")
    void arrowReaderReadsWhatWeWrite(long seed) throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(seed, 1 + (int) (seed % 4), 3000);
        Path file = dir.resolve("s" + seed + ".feather");
        format.write(frames, SnapshotFixtures.meta(), null, file);
        assertArrowHolds(file, frames);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    @DisplayName("round trip: reading back gives the frames bit for bit, also across many record batches")
    void roundTrip(long seed) throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(seed, 3, 2500);
        Path file = dir.resolve("rt.feather");
        FeatherSnapshotWriter.write(frames, SnapshotFixtures.meta(), file, 333);
        assertSameFrames(format.read(file), frames);
        assertArrowHolds(file, frames);
        assertThat(format.readMetadata(file)).isEqualTo(SnapshotFixtures.meta());
    }

    @Test
    @DisplayName("the same frames give byte-identical files")
    void deterministic() throws Exception {
        Path a = dir.resolve("a.feather");
        Path b = dir.resolve("b.feather");
        format.write(SnapshotFixtures.frames(21, 3, 5000), SnapshotFixtures.meta(), null, a);
        format.write(SnapshotFixtures.frames(21, 3, 5000), SnapshotFixtures.meta(), "uncompressed", b);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    }

    @Test
    @DisplayName("NaN payloads and infinities of numeric features survive the round trip")
    void specialDoubles() {
        FeatureFrame f = SnapshotFixtures.frames(99, 1, 50).get(0);
        double[][] cols = new double[f.featureNames().size()][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = f.column(i);
        }
        cols[0][0] = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
        cols[1][1] = Double.NEGATIVE_INFINITY;
        FeatureFrame special = FeatureFrame.of(f.secid(), f.featureSet(), SnapshotFixtures.TF, f.featureNames(), f.kinds(),
                f.timestamps(), cols);
        Path file = dir.resolve("nan.feather");
        format.write(List.of(special), SnapshotFixtures.meta(), null, file);
        assertSameFrames(format.read(file), List.of(special));
    }

    @Test
    @DisplayName("bad categorical values and unknown compressions are refused")
    void refusals() {
        FeatureFrame f = SnapshotFixtures.large(1, 20).get(0);
        int cat = f.kinds().indexOf(FeatureKind.CATEGORICAL);
        double[][] cols = new double[f.featureNames().size()][];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = f.column(i);
        }
        cols[cat][7] = 0.5;
        FeatureFrame bad = FeatureFrame.of(f.secid(), f.featureSet(), SnapshotFixtures.TF, f.featureNames(), f.kinds(),
                f.timestamps(), cols);
        assertThatThrownBy(() -> format.write(List.of(bad), SnapshotFixtures.meta(), null, dir.resolve("bad.feather")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 7")
                .hasMessageContaining(f.featureNames().get(cat));
        assertThatThrownBy(() -> format.write(List.of(f), SnapshotFixtures.meta(), "zstd", dir.resolve("z.feather")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uncompressed");
    }

    @Test
    @DisplayName("the exporter writes .feather files into the layout and records their hash")
    void export() throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.frames(41, 3, 400);
        List<SnapshotRecord> records = SnapshotExporter.builder().format("feather").build()
                .export(dir, frames, SnapshotFixtures.meta(), LocalDate.of(2026, 2, 3));
        Path file = dir.resolve("tech_v2/1m/20260203.feather");
        assertThat(records).hasSize(3).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo(file.toString());
            assertThat(r.format()).isEqualTo("feather");
        });
        assertThat(records.get(0).sha256()).isEqualTo(SnapshotFiles.sha256(file));
        assertSameFrames(SnapshotExporter.read(records.get(0)), frames);
        assertSameFrames(SnapshotExporter.read(file), frames);
    }

    @Test
    @DisplayName("without --add-opens the first use fails with an error naming the flag")
    void missingFlag() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MissingFlagMain.class.getName(), dir.resolve("x.feather").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(out).contains("ERROR ").contains("--add-opens=java.base/java.nio=ALL-UNNAMED").doesNotContain("WROTE");
    }

    @Test
    @DisplayName("a file that is no snapshot is refused with the missing key named")
    void foreignFile() throws Exception {
        Path file = dir.resolve("foreign.feather");
        Files.write(file, "not arrow".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> format.read(file)).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    @DisplayName("writing never replaces an existing file")
    void existingTarget() throws Exception {
        Path file = dir.resolve("exists.feather");
        Files.writeString(file, "keep");
        assertThatThrownBy(() -> format.write(SnapshotFixtures.frames(7, 1, 10), SnapshotFixtures.meta(), null, file))
                .isInstanceOf(FeatureStoreException.class).hasMessageContaining(file.toString());
        assertThat(Files.readString(file)).isEqualTo("keep");
    }

    /** Reads the file with Arrow's reader only, not with ours, and compares it with the frames. */
    static void assertArrowHolds(Path file, List<FeatureFrame> frames) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
        assertThat(new String(bytes, bytes.length - 6, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
        List<FeatureFrame> sorted = new ArrayList<>(frames);
        sorted.sort((x, y) -> x.secid().compareTo(y.secid()));
        List<String> features = SnapshotFixtures.FEATURES;
        try (BufferAllocator alloc = new RootAllocator();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            List<Field> fields = root.getSchema().getFields();
            assertThat(fields).hasSize(2 + features.size());
            assertThat(fields.get(0).getName()).isEqualTo("secid");
            assertThat(fields.get(0).getDictionary()).isNotNull();
            assertThat(fields.get(1).getName()).isEqualTo("ts");
            assertThat(fields.get(1).getType()).isEqualTo(new ArrowType.Timestamp(
                    org.apache.arrow.vector.types.TimeUnit.MILLISECOND, "UTC"));
            for (int f = 0; f < features.size(); f++) {
                Field field = fields.get(f + 2);
                assertThat(field.getName()).isEqualTo(features.get(f));
                assertThat(field.isNullable()).isFalse();
                assertThat(field.getType()).isEqualTo(SnapshotFixtures.KINDS.get(f) == FeatureKind.CATEGORICAL
                        ? new ArrowType.Int(8, true)
                        : new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE));
            }
            assertThat(root.getSchema().getCustomMetadata()).containsAllEntriesOf(SnapshotFixtures.meta().toKeyValues());
            int frame = 0;
            int row = 0;
            long total = 0;
            for (ArrowBlock block : r.getRecordBlocks()) {
                r.loadRecordBatch(block);
                FieldVector idx = root.getVector(0);
                Dictionary dict = r.getDictionaryVectors().get(idx.getField().getDictionary().getId());
                assertThat(dict.getVectorType()).isEqualTo(new ArrowType.Utf8());
                try (ValueVector decoded = DictionaryEncoder.decode(idx, dict)) {
                    for (int i = 0; i < root.getRowCount(); i++) {
                        FeatureFrame fr = sorted.get(frame);
                        assertThat(decoded.getObject(i).toString()).isEqualTo(fr.secid());
                        assertThat(((Long) root.getVector(1).getObject(i)).longValue()).isEqualTo(fr.ts(row));
                        for (int f = 0; f < features.size(); f++) {
                            Object v = root.getVector(f + 2).getObject(i);
                            double actual = v instanceof Byte ? (Byte) v : (Double) v;
                            if (Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(fr.value(row, f))) {
                                throw new AssertionError("Arrow reads " + actual + " for " + features.get(f) + " of "
                                        + fr.secid() + " row " + row + ", the frame holds " + fr.value(row, f));
                            }
                        }
                        total++;
                        if (++row == fr.size()) {
                            frame++;
                            row = 0;
                        }
                    }
                }
            }
            assertThat(total).isEqualTo(frames.stream().mapToLong(FeatureFrame::size).sum());
            assertThat(frame).isEqualTo(sorted.size());
        }
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
                double[] ac = a.column(f);
                double[] ec = e.column(f);
                for (int r = 0; r < ec.length; r++) {
                    if (Double.doubleToRawLongBits(ac[r]) != Double.doubleToRawLongBits(ec[r])) {
                        throw new AssertionError(e.featureNames().get(f) + " of " + e.secid() + " row " + r + ": "
                                + ac[r] + " != " + ec[r]);
                    }
                }
            }
        }
    }
}
