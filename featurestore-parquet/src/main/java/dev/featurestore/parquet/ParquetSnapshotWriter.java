package dev.featurestore.parquet;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/** Writes frames into a Parquet file through the column writers, one row group per chunk of rows. */
final class ParquetSnapshotWriter {
    static final String SECID = "secid";
    static final String TS = "ts";
    private static final int CHUNK = 4096;

    private ParquetSnapshotWriter() {
    }

    static MessageType schema(SnapshotMetadata meta) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(SECID);
        b.required(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(TS);
        for (int i = 0; i < meta.features().size(); i++) {
            if (meta.kinds().get(i) == FeatureKind.CATEGORICAL) {
                b.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true))
                        .named(meta.features().get(i));
            } else {
                b.required(PrimitiveTypeName.DOUBLE).named(meta.features().get(i));
            }
        }
        return b.named("featurestore_snapshot");
    }

    static void write(List<FeatureFrame> frames, SnapshotMetadata meta, String codec, Path target, int rowsPerGroup) {
        MessageType schema = schema(meta);
        int nf = meta.features().size();
        boolean[] categorical = new boolean[nf];
        ParquetProperties.Builder pb = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withDictionaryEncoding(false)
                .withDictionaryEncoding(SECID, true)
                .withRowGroupRowCountLimit(rowsPerGroup);
        for (int i = 0; i < nf; i++) {
            categorical[i] = meta.kinds().get(i) == FeatureKind.CATEGORICAL;
            // Min/max of feature columns serve no reader's filter and cost a third of the write time;
            // secid and ts keep theirs for row group pruning.
            pb.withStatisticsEnabled(meta.features().get(i), false);
            pb.withSizeStatisticsEnabled(meta.features().get(i), false);
        }
        ParquetProperties props = pb.build();
        CompressionCodecName codecName = CompressionCodecName.valueOf(codec.toUpperCase(Locale.ROOT));
        CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), props.getPageSizeThreshold());
        try {
            BytesInputCompressor compressor = codecs.getCompressor(codecName);
            ParquetFileWriter fw = new ParquetFileWriter(new LocalOutputFile(target), schema,
                    ParquetFileWriter.Mode.CREATE, 128L * 1024 * 1024, 0, null, props);
            boolean ok = false;
            try {
                fw.start();
                new Groups(fw, schema, props, compressor, categorical).writeAll(frames, rowsPerGroup);
                fw.end(meta.toKeyValues());
                ok = true;
            } finally {
                if (!ok) {
                    fw.abort();
                }
                fw.close();
            }
        } catch (IOException e) {
            throw new StorageException("cannot write parquet snapshot " + target + ": " + e, e);
        } finally {
            codecs.release();
        }
    }

    /** The row groups of one file. */
    private static final class Groups {
        private final ParquetFileWriter fw;
        private final MessageType schema;
        private final ParquetProperties props;
        private final BytesInputCompressor compressor;
        private final boolean[] categorical;
        private final List<ColumnDescriptor> columns;
        private ColumnChunkPageWriteStore pages;
        private ColumnWriteStore store;
        private ColumnWriter[] writers;
        private int ordinal;
        private long rowsInGroup;

        Groups(ParquetFileWriter fw, MessageType schema, ParquetProperties props, BytesInputCompressor compressor,
                boolean[] categorical) {
            this.fw = fw;
            this.schema = schema;
            this.props = props;
            this.compressor = compressor;
            this.categorical = categorical;
            this.columns = schema.getColumns();
        }

        void writeAll(List<FeatureFrame> frames, int rowsPerGroup) throws IOException {
            int nf = categorical.length;
            long[] ts = new long[CHUNK];
            double[][] values = new double[nf][CHUNK];
            for (FeatureFrame frame : frames) {
                Binary secid = Binary.fromConstantByteArray(frame.secid().getBytes(StandardCharsets.UTF_8));
                int row = 0;
                while (row < frame.size()) {
                    if (store == null) {
                        open();
                    }
                    int n = (int) Math.min(Math.min(CHUNK, frame.size() - row), rowsPerGroup - rowsInGroup);
                    frame.copyTimestamps(row, ts, 0, n);
                    for (int f = 0; f < nf; f++) {
                        frame.copyColumn(f, row, values[f], 0, n);
                        if (categorical[f]) {
                            checkCategorical(frame, f, row, values[f], n);
                        }
                    }
                    writeRows(secid, ts, values, n);
                    row += n;
                    rowsInGroup += n;
                    if (rowsInGroup == rowsPerGroup) {
                        flush();
                    }
                }
            }
            if (store != null) {
                flush();
            }
        }

        private void writeRows(Binary secid, long[] ts, double[][] values, int n) {
            ColumnWriter secidWriter = writers[0];
            ColumnWriter tsWriter = writers[1];
            int nf = categorical.length;
            for (int r = 0; r < n; r++) {
                secidWriter.write(secid, 0, 0);
                tsWriter.write(ts[r], 0, 0);
                for (int f = 0; f < nf; f++) {
                    if (categorical[f]) {
                        writers[f + 2].write((int) values[f][r], 0, 0);
                    } else {
                        writers[f + 2].write(values[f][r], 0, 0);
                    }
                }
                store.endRecord();
            }
        }

        private void open() {
            pages = ColumnChunkPageWriteStore.builder()
                    .withCompressorProvider(d -> compressor)
                    .withSchema(schema)
                    .withAllocator(props.getAllocator())
                    .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
                    .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
                    .withRowGroupOrdinal(ordinal++)
                    .build();
            store = props.newColumnWriteStore(schema, pages, pages);
            writers = new ColumnWriter[columns.size()];
            for (int i = 0; i < writers.length; i++) {
                writers[i] = store.getColumnWriter(columns.get(i));
            }
        }

        private void flush() throws IOException {
            fw.startBlock(rowsInGroup);
            store.flush();
            pages.flushToFileWriter(fw);
            fw.endBlock();
            store.close();
            pages.close();
            store = null;
            pages = null;
            rowsInGroup = 0;
        }
    }

    private static void checkCategorical(FeatureFrame frame, int feature, int fromRow, double[] v, int n) {
        for (int r = 0; r < n; r++) {
            double x = v[r];
            if (!(x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE && x == Math.rint(x))) {
                throw new IllegalArgumentException("categorical feature '" + frame.featureNames().get(feature)
                        + "' of secid '" + frame.secid() + "' at row " + (fromRow + r) + " (" + frame.instant(fromRow + r)
                        + ") is " + x + "; snapshots hold clean rows whose categories are whole numbers in -128..127");
            }
        }
    }
}
