package dev.featurestore.parquet;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import dev.featurestore.core.storage.files.ColumnTable;
import dev.featurestore.core.storage.files.TableCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The Parquet file of a storage directory: {@code ts} as INT64 (timestamp millis UTC, with min/max
 * statistics), every other column a required DOUBLE, PLAIN encoded in pages of 32 768 rows,
 * uncompressed (price and feature doubles barely compress and the storage rewrites files often);
 * the table's metadata in the footer's key-value metadata.
 */
final class ParquetTableCodec implements TableCodec {
    private static final int PAGE_ROWS = 1 << 15;
    private static final int GROUP_ROWS = 1 << 20;

    @Override
    public String extension() {
        return "parquet";
    }

    private static MessageType schema(List<String> columns) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                .named(ColumnTable.TS);
        for (String c : columns) {
            b.required(PrimitiveTypeName.DOUBLE).named(c);
        }
        return b.named("featurestore_table");
    }

    @Override
    public void write(ColumnTable table, Path target) {
        MessageType schema = schema(table.columnNames());
        ParquetProperties props = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0).build();
        ByteBufferAllocator allocator = HeapByteBufferAllocator.getInstance();
        List<ColumnDescriptor> descs = schema.getColumns();
        byte[] bytes = new byte[PAGE_ROWS * Long.BYTES];
        LongBuffer longs = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        ParquetIo.write(target, schema, props, CompressionCodecName.UNCOMPRESSED, "parquet file", (fw, compressor) -> {
            int n = table.rows();
            int ordinal = 0;
            for (int g0 = 0; g0 < n; g0 += GROUP_ROWS) {
                int g1 = Math.min(n, g0 + GROUP_ROWS);
                ColumnChunkPageWriteStore pages = ParquetIo.pageStore(compressor, schema, allocator, props, ordinal++);
                try {
                    for (int c = 0; c <= table.columns().length; c++) {
                        PageWriter pw = pages.getPageWriter(descs.get(c));
                        for (int p0 = g0; p0 < g1; p0 += PAGE_ROWS) {
                            int p1 = Math.min(g1, p0 + PAGE_ROWS);
                            int k = p1 - p0;
                            longs.clear();
                            Statistics<?> stats = null;
                            if (c == 0) {
                                longs.put(table.ts(), p0, k);
                                LongStatistics ls = (LongStatistics) Statistics.createStats(
                                        descs.get(0).getPrimitiveType());
                                ls.updateStats(table.ts()[p0]);
                                ls.updateStats(table.ts()[p1 - 1]);
                                stats = ls;
                            } else {
                                double[] col = table.columns()[c - 1];
                                for (int i = p0; i < p1; i++) {
                                    longs.put(Double.doubleToRawLongBits(col[i]));
                                }
                            }
                            pw.writePage(BytesInput.from(bytes, 0, k * Long.BYTES), k, k, stats, Encoding.RLE,
                                    Encoding.RLE, Encoding.PLAIN);
                        }
                    }
                    fw.startBlock(g1 - g0);
                    pages.flushToFileWriter(fw);
                    fw.endBlock();
                } finally {
                    pages.close();
                }
            }
            return table.metadata();
        });
    }

    @Override
    public Map<String, String> readMetadata(Path file) {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), PoolFreeCodecs.readOptions())) {
            return r.getFooter().getFileMetaData().getKeyValueMetaData();
        } catch (IOException | RuntimeException e) {
            throw new StorageException("cannot read parquet file " + file + ": " + e, e);
        }
    }

    @Override
    public ColumnTable read(Path file) {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), PoolFreeCodecs.readOptions())) {
            FileMetaData fmd = r.getFooter().getFileMetaData();
            MessageType schema = fmd.getSchema();
            List<ColumnDescriptor> descs = schema.getColumns();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < descs.size(); c++) {
                PrimitiveTypeName type = descs.get(c).getPrimitiveType().getPrimitiveTypeName();
                String name = descs.get(c).getPath()[0];
                if (c == 0 ? !(name.equals(ColumnTable.TS) && type == PrimitiveTypeName.INT64)
                        : type != PrimitiveTypeName.DOUBLE) {
                    throw new FeatureStoreException("parquet file " + file + " has column '" + name + "' of type " + type
                            + "; a storage table has ts INT64 first, then DOUBLE columns");
                }
                if (c > 0) {
                    names.add(name);
                }
            }
            int n = ParquetIo.rows(r, "parquet file", file);
            long[] ts = new long[n];
            double[][] cols = new double[names.size()][n];
            int base = 0;
            for (PageReadStore rg; (rg = r.readNextRowGroup()) != null;) {
                int rows = (int) rg.getRowCount();
                ColumnReadStoreImpl store = ParquetIo.columns(rg, schema, fmd.getCreatedBy());
                ParquetIo.readLongs(store.getColumnReader(descs.get(0)), ts, base, rows);
                for (int c = 0; c < names.size(); c++) {
                    ParquetIo.readDoubles(store.getColumnReader(descs.get(c + 1)), cols[c], base, rows);
                }
                base += rows;
            }
            ParquetIo.checkRowsRead(base, n, "parquet file", file);
            return new ColumnTable(fmd.getKeyValueMetaData(), names, ts, cols);
        } catch (IOException e) {
            throw new StorageException("cannot read parquet file " + file + ": " + e, e);
        }
    }
}
