package dev.featurestore.parquet;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes frames into a Parquet file column by column: each page's values are encoded in bulk
 * straight from the frames' arrays and handed to parquet-hadoop's page store, which compresses
 * them, keeps the offset and column indexes and writes the column chunks.
 *
 * <p>Encodings (data page v1, as pyarrow writes by default): {@code secid} as a dictionary page
 * (PLAIN) plus RLE_DICTIONARY indices; {@code ts}, features PLAIN. {@code secid} and
 * {@code ts} carry min/max statistics and a column index; feature columns carry none (no reader
 * filters on them and computing them per value is a third of the write time).
 */
final class ParquetSnapshotWriter {
    static final String SECID = "secid";
    static final String TS = "ts";
    /** Rows per data page: 256 KB of doubles before compression. */
    static final int PAGE_ROWS = 1 << 15;

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
        write(frames, meta, codec, target, rowsPerGroup, PAGE_ROWS);
    }

    static void write(List<FeatureFrame> frames, SnapshotMetadata meta, String codec, Path target, int rowsPerGroup,
            int pageRows) {
        MessageType schema = schema(meta);
        ParquetProperties props = ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0).build();
        CompressionCodecName codecName = CompressionCodecName.valueOf(codec.toUpperCase(Locale.ROOT));
        ParquetIo.write(target, schema, props, codecName, "parquet snapshot", (fw, compressor) -> {
            GroupWriter groups = new GroupWriter(fw, schema, props, compressor, meta, pageRows);
            List<Segment> segments = new ArrayList<>();
            int groupRows = 0;
            for (FeatureFrame frame : frames) {
                int row = 0;
                while (row < frame.size()) {
                    int n = Math.min(frame.size() - row, rowsPerGroup - groupRows);
                    segments.add(new Segment(frame, row, groupRows, n));
                    row += n;
                    groupRows += n;
                    if (groupRows == rowsPerGroup) {
                        groups.write(segments, groupRows);
                        segments.clear();
                        groupRows = 0;
                    }
                }
            }
            if (groupRows > 0) {
                groups.write(segments, groupRows);
            }
            return meta.toKeyValues();
        });
    }

    /** Rows {@code [from, from + length)} of a frame, placed at row {@code at} of the row group. */
    private static final class Segment {
        final FeatureFrame frame;
        final int from;
        final int at;
        final int length;

        Segment(FeatureFrame frame, int from, int at, int length) {
            this.frame = frame;
            this.from = from;
            this.at = at;
            this.length = length;
        }
    }

    /** Writes row groups, reusing its page buffers. */
    private static final class GroupWriter {
        private final ParquetFileWriter fw;
        private final MessageType schema;
        private final ParquetProperties props;
        private final BytesInputCompressor compressor;
        private final List<ColumnDescriptor> columns;
        private final boolean[] categorical;
        private final ByteBufferAllocator allocator = HeapByteBufferAllocator.getInstance();
        private final int pageRows;
        private final double[] doubles;
        private final long[] longs;
        /** One page's encoded values; the page store copies (and compresses) them in writePage. */
        private final byte[] bytes;
        private int ordinal;

        GroupWriter(ParquetFileWriter fw, MessageType schema, ParquetProperties props, BytesInputCompressor compressor,
                SnapshotMetadata meta, int pageRows) {
            this.pageRows = pageRows;
            this.doubles = new double[pageRows];
            this.longs = new long[pageRows];
            this.bytes = new byte[pageRows * Double.BYTES];
            this.fw = fw;
            this.schema = schema;
            this.props = props;
            this.compressor = compressor;
            this.columns = schema.getColumns();
            this.categorical = new boolean[meta.features().size()];
            for (int i = 0; i < categorical.length; i++) {
                categorical[i] = meta.kinds().get(i) == FeatureKind.CATEGORICAL;
            }
        }

        void write(List<Segment> segments, int rows) throws IOException {
            ColumnChunkPageWriteStore pages = ParquetIo.pageStore(compressor, schema, allocator, props, ordinal++);
            try {
                writeSecid(pages.getPageWriter(columns.get(0)), segments, rows);
                writeTs(pages.getPageWriter(columns.get(1)), segments, rows);
                for (int f = 0; f < categorical.length; f++) {
                    writeFeature(pages.getPageWriter(columns.get(f + 2)), segments, rows, f);
                }
                fw.startBlock(rows);
                pages.flushToFileWriter(fw);
                fw.endBlock();
            } finally {
                pages.close();
            }
        }

        private void writeSecid(PageWriter pw, List<Segment> segments, int rows) throws IOException {
            Map<String, Integer> ids = new LinkedHashMap<>();
            int[] segmentId = new int[segments.size()];
            Binary[] values = new Binary[segments.size()];
            try (PlainValuesWriter dict = new PlainValuesWriter(256, 1 << 20, allocator)) {
                for (int s = 0; s < segments.size(); s++) {
                    String secid = segments.get(s).frame.secid();
                    values[s] = Binary.fromConstantByteArray(secid.getBytes(StandardCharsets.UTF_8));
                    Integer id = ids.get(secid);
                    if (id == null) {
                        id = ids.size();
                        ids.put(secid, id);
                        dict.writeBytes(values[s]);
                    }
                    segmentId[s] = id;
                }
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                dict.getBytes().writeAllTo(copy);
                pw.writeDictionaryPage(new DictionaryPage(BytesInput.from(copy.toByteArray()), ids.size(), Encoding.PLAIN));
            }
            int bitWidth = BytesUtils.getWidthFromMaxInt(ids.size() - 1);
            for (int p0 = 0; p0 < rows; p0 += pageRows) {
                int p1 = Math.min(rows, p0 + pageRows);
                BinaryStatistics stats = (BinaryStatistics) Statistics.createStats(columns.get(0).getPrimitiveType());
                try (RunLengthBitPackingHybridEncoder enc = new RunLengthBitPackingHybridEncoder(bitWidth, 64,
                        props.getPageSizeThreshold(), allocator)) {
                    for (int s = 0; s < segments.size(); s++) {
                        Segment seg = segments.get(s);
                        int a = Math.max(p0, seg.at);
                        int b = Math.min(p1, seg.at + seg.length);
                        for (int i = a; i < b; i++) {
                            enc.writeInt(segmentId[s]);
                        }
                        if (a < b) {
                            stats.updateStats(values[s]);
                        }
                    }
                    BytesInput data = BytesInput.concat(BytesInput.from(new byte[] {(byte) bitWidth}), enc.toBytes());
                    pw.writePage(data, p1 - p0, p1 - p0, stats, Encoding.RLE, Encoding.RLE,
                            Encoding.RLE_DICTIONARY);
                }
            }
        }

        private void writeTs(PageWriter pw, List<Segment> segments, int rows) throws IOException {
            for (int p0 = 0; p0 < rows; p0 += pageRows) {
                int p1 = Math.min(rows, p0 + pageRows);
                int n = p1 - p0;
                for (Segment seg : segments) {
                    int a = Math.max(p0, seg.at);
                    int b = Math.min(p1, seg.at + seg.length);
                    if (a < b) {
                        seg.frame.copyTimestamps(seg.from + a - seg.at, longs, a - p0, b - a);
                    }
                }
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    min = Math.min(min, longs[i]);
                    max = Math.max(max, longs[i]);
                }
                LongStatistics stats = (LongStatistics) Statistics.createStats(columns.get(1).getPrimitiveType());
                stats.updateStats(min);
                stats.updateStats(max);
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(longs, 0, n);
                pw.writePage(BytesInput.from(bytes, 0, n * Long.BYTES), n, n, stats, Encoding.RLE, Encoding.RLE,
                        Encoding.PLAIN);
            }
        }

        private void writeFeature(PageWriter pw, List<Segment> segments, int rows, int feature) throws IOException {
            boolean cat = categorical[feature];
            for (int p0 = 0; p0 < rows; p0 += pageRows) {
                int p1 = Math.min(rows, p0 + pageRows);
                int n = p1 - p0;
                for (Segment seg : segments) {
                    int a = Math.max(p0, seg.at);
                    int b = Math.min(p1, seg.at + seg.length);
                    if (a < b) {
                        seg.frame.copyColumn(feature, seg.from + a - seg.at, doubles, a - p0, b - a);
                        if (cat) {
                            checkCategorical(seg.frame, feature, seg.from + a - seg.at, doubles, a - p0, b - a);
                        }
                    }
                }
                int size;
                if (cat) {
                    size = n * Integer.BYTES;
                    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        bb.putInt(i * Integer.BYTES, (int) doubles[i]);
                    }
                } else {
                    size = n * Double.BYTES;
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(doubles, 0, n);
                }
                pw.writePage(BytesInput.from(bytes, 0, size), n, n, null, Encoding.RLE, Encoding.RLE,
                        Encoding.PLAIN);
            }
        }
    }

    private static void checkCategorical(FeatureFrame frame, int feature, int fromRow, double[] v, int off, int n) {
        for (int r = 0; r < n; r++) {
            double x = v[off + r];
            if (!(x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE && x == Math.rint(x))) {
                throw new IllegalArgumentException("categorical feature '" + frame.featureNames().get(feature)
                        + "' of secid '" + frame.secid() + "' at row " + (fromRow + r) + " ("
                        + frame.openTime(fromRow + r) + ") is " + x + "; snapshots hold clean rows whose categories are whole numbers in -128..127");
            }
        }
    }
}
