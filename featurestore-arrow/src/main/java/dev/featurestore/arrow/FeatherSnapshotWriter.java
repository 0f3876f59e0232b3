package dev.featurestore.arrow;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Writes frames into an Arrow IPC file, a dictionary of the secids first, then record batches. */
final class FeatherSnapshotWriter {
    static final String SECID = "secid";
    static final String TS = "ts";
    static final long SECID_DICTIONARY_ID = 0;
    static final ArrowType.Int INDEX_TYPE = new ArrowType.Int(32, true);

    private FeatherSnapshotWriter() {
    }

    static Schema schema(SnapshotMetadata meta) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(SECID,
                new FieldType(false, INDEX_TYPE, new DictionaryEncoding(SECID_DICTIONARY_ID, false, INDEX_TYPE)), null));
        fields.add(new Field(TS, FieldType.notNullable(new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")), null));
        for (int i = 0; i < meta.features().size(); i++) {
            ArrowType t = meta.kinds().get(i) == FeatureKind.CATEGORICAL ? new ArrowType.Int(8, true)
                    : new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            fields.add(new Field(meta.features().get(i), FieldType.notNullable(t), null));
        }
        return new Schema(fields, meta.toKeyValues());
    }

    static void write(List<FeatureFrame> frames, SnapshotMetadata meta, Path target, int rowsPerBatch) {
        int nf = meta.features().size();
        boolean[] categorical = new boolean[nf];
        for (int i = 0; i < nf; i++) {
            categorical[i] = meta.kinds().get(i) == FeatureKind.CATEGORICAL;
        }
        try (BufferAllocator alloc = ArrowMemory.allocator();
                VarCharVector dictVector = new VarCharVector(
                        new Field("secid_dictionary", FieldType.notNullable(new ArrowType.Utf8()), null), alloc);
                VectorSchemaRoot root = VectorSchemaRoot.create(schema(meta), alloc);
                FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            dictVector.allocateNew(frames.size());
            for (int i = 0; i < frames.size(); i++) {
                dictVector.setSafe(i, frames.get(i).secid().getBytes(StandardCharsets.UTF_8));
            }
            dictVector.setValueCount(frames.size());
            DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(
                    new Dictionary(dictVector, new DictionaryEncoding(SECID_DICTIONARY_ID, false, INDEX_TYPE)));
            IntVector secid = (IntVector) root.getVector(0);
            TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector(1);
            List<FieldVector> features = root.getFieldVectors().subList(2, 2 + nf);
            try (ArrowFileWriter w = new ArrowFileWriter(root, provider, ch)) {
                w.start();
                int fi = 0;
                int row = 0;
                while (fi < frames.size()) {
                    root.allocateNew();
                    int n = 0;
                    while (n < rowsPerBatch && fi < frames.size()) {
                        FeatureFrame frame = frames.get(fi);
                        int take = Math.min(rowsPerBatch - n, frame.size() - row);
                        for (int r = 0; r < take; r++) {
                            secid.setSafe(n + r, fi);
                            ts.setSafe(n + r, frame.ts(row + r));
                        }
                        for (int f = 0; f < nf; f++) {
                            if (categorical[f]) {
                                TinyIntVector v = (TinyIntVector) features.get(f);
                                for (int r = 0; r < take; r++) {
                                    v.setSafe(n + r, categoryOf(frame, f, row + r));
                                }
                            } else {
                                Float8Vector v = (Float8Vector) features.get(f);
                                for (int r = 0; r < take; r++) {
                                    v.setSafe(n + r, frame.value(row + r, f));
                                }
                            }
                        }
                        n += take;
                        row += take;
                        if (row == frame.size()) {
                            fi++;
                            row = 0;
                        }
                    }
                    root.setRowCount(n);
                    w.writeBatch();
                }
                w.end();
            }
        } catch (IOException e) {
            throw new StorageException("cannot write feather snapshot " + target + ": " + e, e);
        }
    }

    private static byte categoryOf(FeatureFrame frame, int feature, int row) {
        double x = frame.value(row, feature);
        if (!(x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE && x == Math.rint(x))) {
            throw new IllegalArgumentException("categorical feature '" + frame.featureNames().get(feature)
                    + "' of secid '" + frame.secid() + "' at row " + row + " (" + frame.openTime(row) + ") is " + x
                    + "; snapshots hold clean rows whose categories are whole numbers in -128..127");
        }
        return (byte) x;
    }
}
