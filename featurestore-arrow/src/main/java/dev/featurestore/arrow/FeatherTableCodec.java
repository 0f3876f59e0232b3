package dev.featurestore.arrow;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import dev.featurestore.core.storage.files.ColumnTable;
import dev.featurestore.core.storage.files.TableCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.InvalidArrowFileException;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Feather (Arrow IPC file) of a storage directory: {@code ts} as a timestamp in milliseconds
 * UTC, every other column a non-null float64, in record batches of 65 536 rows, uncompressed; the
 * table's metadata in the schema's custom metadata.
 */
final class FeatherTableCodec implements TableCodec {
    private static final int BATCH_ROWS = 1 << 16;
    private static final ArrowType TS_TYPE = new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");
    private static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    @Override
    public String extension() {
        return "feather";
    }

    private static Schema schema(List<String> columns, Map<String, String> metadata) {
        List<Field> fields = new ArrayList<>(columns.size() + 1);
        fields.add(new Field(ColumnTable.TS, FieldType.notNullable(TS_TYPE), null));
        for (String c : columns) {
            fields.add(new Field(c, FieldType.notNullable(DOUBLE), null));
        }
        return new Schema(fields, metadata);
    }

    @Override
    public void write(ColumnTable table, Path target) {
        int nc = table.columns().length;
        try (BufferAllocator alloc = ArrowMemory.allocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema(table.columnNames(), table.metadata()), alloc);
                FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
            TimeStampMilliTZVector ts = (TimeStampMilliTZVector) root.getVector(0);
            w.start();
            int n = table.rows();
            for (int b0 = 0; b0 < n; b0 += BATCH_ROWS) {
                int b1 = Math.min(n, b0 + BATCH_ROWS);
                int k = b1 - b0;
                root.allocateNew();
                for (int i = 0; i < k; i++) {
                    ts.setSafe(i, table.ts()[b0 + i]);
                }
                for (int c = 0; c < nc; c++) {
                    Float8Vector v = (Float8Vector) root.getVector(c + 1);
                    double[] col = table.columns()[c];
                    for (int i = 0; i < k; i++) {
                        v.setSafe(i, col[b0 + i]);
                    }
                }
                root.setRowCount(k);
                w.writeBatch();
            }
            w.end();
        } catch (IOException e) {
            throw new StorageException("cannot write feather file " + target + ": " + e, e);
        }
    }

    @Override
    public Map<String, String> readMetadata(Path file) {
        try (BufferAllocator alloc = ArrowMemory.allocator();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
            Map<String, String> meta = r.getVectorSchemaRoot().getSchema().getCustomMetadata();
            return meta == null ? Map.of() : meta;
        } catch (IOException e) {
            throw new StorageException("cannot read feather file " + file + ": " + e, e);
        } catch (InvalidArrowFileException e) {
            throw new FeatureStoreException("feather file " + file + " is not an Arrow IPC file: " + e.getMessage(), e);
        }
    }

    @Override
    public ColumnTable read(Path file) {
        try (BufferAllocator alloc = ArrowMemory.allocator();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            Schema schema = root.getSchema();
            List<Field> fields = schema.getFields();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < fields.size(); c++) {
                Field f = fields.get(c);
                if (c == 0 ? !(f.getName().equals(ColumnTable.TS) && f.getType().equals(TS_TYPE))
                        : !f.getType().equals(DOUBLE)) {
                    throw new FeatureStoreException("feather file " + file + " has field '" + f.getName() + "' of type "
                            + f.getType() + "; a storage table has ts (timestamp ms UTC) first, then float64 columns");
                }
                if (c > 0) {
                    names.add(f.getName());
                }
            }
            List<ArrowBlock> blocks = r.getRecordBlocks();
            long total = 0;
            for (ArrowBlock b : blocks) {
                r.loadRecordBatch(b);
                total += root.getRowCount();
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new FeatureStoreException("feather file " + file + " holds " + total
                        + " rows, more than one read can hold in memory");
            }
            int n = (int) total;
            long[] ts = new long[n];
            double[][] cols = new double[names.size()][n];
            int base = 0;
            for (ArrowBlock b : blocks) {
                r.loadRecordBatch(b);
                int rows = root.getRowCount();
                TimeStampMilliTZVector tsv = (TimeStampMilliTZVector) root.getVector(0);
                for (int i = 0; i < rows; i++) {
                    ts[base + i] = tsv.get(i);
                }
                for (int c = 0; c < names.size(); c++) {
                    FieldVector v = root.getVector(c + 1);
                    Float8Vector d = (Float8Vector) v;
                    double[] col = cols[c];
                    for (int i = 0; i < rows; i++) {
                        col[base + i] = d.get(i);
                    }
                }
                base += rows;
            }
            Map<String, String> meta = schema.getCustomMetadata();
            return new ColumnTable(meta == null ? Map.of() : meta, names, ts, cols);
        } catch (IOException e) {
            throw new StorageException("cannot read feather file " + file + ": " + e, e);
        } catch (InvalidArrowFileException e) {
            throw new FeatureStoreException("feather file " + file + " is not an Arrow IPC file: " + e.getMessage(), e);
        }
    }
}
