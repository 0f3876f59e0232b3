package dev.featurestore.arrow;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.InvalidArrowFileException;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Schema;

/** Reads an Arrow IPC snapshot back into frames, one per secid. */
final class FeatherSnapshotReader {

    private FeatherSnapshotReader() {
    }

    static SnapshotMetadata readMetadata(Path file) {
        try (BufferAllocator alloc = ArrowMemory.allocator();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
            return SnapshotMetadata.fromKeyValues(r.getVectorSchemaRoot().getSchema().getCustomMetadata(),
                    file.toString());
        } catch (IOException e) {
            throw new StorageException("cannot read feather snapshot " + file + ": " + e, e);
        } catch (InvalidArrowFileException e) {
            throw new FeatureStoreException("feather snapshot " + file + " is not an Arrow IPC file: " + e.getMessage(), e);
        }
    }

    static List<FeatureFrame> read(Path file) {
        try (BufferAllocator alloc = ArrowMemory.allocator();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            Schema schema = root.getSchema();
            SnapshotMetadata meta = SnapshotMetadata.fromKeyValues(schema.getCustomMetadata(), file.toString());
            Schema expected = FeatherSnapshotWriter.schema(meta);
            if (!schema.getFields().equals(expected.getFields())) {
                throw new FeatureStoreException("feather snapshot " + file + " has fields " + schema.getFields()
                        + " but its metadata describes " + expected.getFields());
            }
            List<ArrowBlock> blocks = r.getRecordBlocks();
            long total = 0;
            int nf = meta.features().size();
            // first pass: count rows (loading a batch is cheap: the file is read batch by batch)
            List<Integer> sizes = new ArrayList<>();
            for (ArrowBlock b : blocks) {
                r.loadRecordBatch(b);
                sizes.add(root.getRowCount());
                total += root.getRowCount();
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new FeatureStoreException("feather snapshot " + file + " holds " + total
                        + " rows, more than one read can hold in memory");
            }
            int n = (int) total;
            long[] ts = new long[n];
            double[][] cols = new double[nf][n];
            int[] secidIndex = new int[n];
            int base = 0;
            for (ArrowBlock b : blocks) {
                r.loadRecordBatch(b);
                int rows = root.getRowCount();
                IntVector secid = (IntVector) root.getVector(0);
                TimeStampMilliTZVector tsv = (TimeStampMilliTZVector) root.getVector(1);
                for (int i = 0; i < rows; i++) {
                    secidIndex[base + i] = secid.get(i);
                    ts[base + i] = tsv.get(i);
                }
                for (int f = 0; f < nf; f++) {
                    FieldVector v = root.getVector(f + 2);
                    double[] col = cols[f];
                    if (v instanceof TinyIntVector) {
                        TinyIntVector t = (TinyIntVector) v;
                        for (int i = 0; i < rows; i++) {
                            col[base + i] = t.get(i);
                        }
                    } else {
                        Float8Vector d = (Float8Vector) v;
                        for (int i = 0; i < rows; i++) {
                            col[base + i] = d.get(i);
                        }
                    }
                }
                base += rows;
            }
            Dictionary dict = r.getDictionaryVectors().get(FeatherSnapshotWriter.SECID_DICTIONARY_ID);
            if (dict == null) {
                throw new FeatureStoreException("feather snapshot " + file + " lacks the secid dictionary");
            }
            VarCharVector names = (VarCharVector) dict.getVector();
            List<FeatureFrame> frames = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            int start = 0;
            for (int i = 1; i <= n; i++) {
                if (i == n || secidIndex[i] != secidIndex[start]) {
                    int id = secidIndex[start];
                    if (!seen.add(id) || id < 0 || id >= names.getValueCount()) {
                        throw new FeatureStoreException("feather snapshot " + file + ": secid index " + id
                                + " at row " + start + " is repeated or outside the dictionary");
                    }
                    String secid = new String(names.get(id), StandardCharsets.UTF_8);
                    frames.add(Columns.frame(secid, meta.featureSet(), meta.timeframe(), meta.features(),
                            meta.kinds(), ts, cols, start, i - start));
                    start = i;
                }
            }
            return frames;
        } catch (IOException e) {
            throw new StorageException("cannot read feather snapshot " + file + ": " + e, e);
        } catch (InvalidArrowFileException e) {
            throw new FeatureStoreException("feather snapshot " + file + " is not an Arrow IPC file: " + e.getMessage(), e);
        }
    }
}
