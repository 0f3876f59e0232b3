package dev.featurestore.parquet;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * What the snapshot writer and reader share with the storage table codec: writing a whole Parquet
 * file (abort on failure), a row group's page store, and reading columns straight off the column
 * readers of a row group.
 */
final class ParquetIo {

    private ParquetIo() {
    }

    /** Writes the row groups of a file that {@link #write} has started. */
    @FunctionalInterface
    interface RowGroups {
        /**
         * Writes every row group into {@code fw}.
         *
         * @return the key-value metadata of the footer
         */
        Map<String, String> write(ParquetFileWriter fw, BytesInputCompressor compressor) throws IOException;
    }

    /**
     * Creates {@code target}, writes its row groups and footer, and aborts the file if anything
     * fails; {@code what} names the file in the error ("parquet snapshot", "parquet file").
     */
    static void write(Path target, MessageType schema, ParquetProperties props, CompressionCodecName codec,
            String what, RowGroups groups) {
        CompressionCodecFactory codecs = new PoolFreeCodecs(props.getPageSizeThreshold());
        try {
            BytesInputCompressor compressor = codecs.getCompressor(codec);
            ParquetFileWriter fw = new ParquetFileWriter(new LocalOutputFile(target), schema,
                    ParquetFileWriter.Mode.CREATE, 128L * 1024 * 1024, 0, null, props);
            boolean ok = false;
            try {
                fw.start();
                Map<String, String> footer = groups.write(fw, compressor);
                fw.end(footer);
                ok = true;
            } finally {
                if (!ok) {
                    fw.abort();
                }
                fw.close();
            }
        } catch (IOException e) {
            throw new StorageException("cannot write " + what + " " + target + ": " + e, e);
        } finally {
            codecs.release();
        }
    }

    /** The page store of one row group, its pages compressed with {@code compressor}. */
    static ColumnChunkPageWriteStore pageStore(BytesInputCompressor compressor, MessageType schema,
            ByteBufferAllocator allocator, ParquetProperties props, int rowGroupOrdinal) {
        return ColumnChunkPageWriteStore.builder()
                .withCompressorProvider(d -> compressor)
                .withSchema(schema)
                .withAllocator(allocator)
                .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
                .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
                .withRowGroupOrdinal(rowGroupOrdinal)
                .build();
    }

    /**
     * The number of rows in the file, checked to fit in arrays; {@code what} names the file in the
     * error.
     */
    static int rows(ParquetFileReader r, String what, Path file) {
        long total = r.getRecordCount();
        if (total > Integer.MAX_VALUE - 8) {
            throw new FeatureStoreException(what + " " + file + " holds " + total
                    + " rows, more than one read can hold in memory");
        }
        return (int) total;
    }

    /** Fails when the row groups held another number of rows than the footer says. */
    static void checkRowsRead(int read, int rows, String what, Path file) {
        if (read != rows) {
            throw new FeatureStoreException(what + " " + file + " says " + rows + " rows but holds " + read);
        }
    }

    /** The column readers of one row group. */
    static ColumnReadStoreImpl columns(PageReadStore rowGroup, MessageType schema, String createdBy) {
        return new ColumnReadStoreImpl(rowGroup, new NoConverter(schema.getColumns().size()), schema, createdBy);
    }

    /** Reads the next {@code rows} values of an INT64 column into {@code into[at..]}. */
    static void readLongs(ColumnReader column, long[] into, int at, int rows) {
        for (int i = 0; i < rows; i++) {
            into[at + i] = column.getLong();
            column.consume();
        }
    }

    /** Reads the next {@code rows} values of a DOUBLE column into {@code into[at..]}. */
    static void readDoubles(ColumnReader column, double[] into, int at, int rows) {
        for (int i = 0; i < rows; i++) {
            into[at + i] = column.getDouble();
            column.consume();
        }
    }

    /** The converter tree the column readers require; values are taken from the readers directly. */
    private static final class NoConverter extends GroupConverter {
        private final PrimitiveConverter primitive = new PrimitiveConverter() {
        };
        private final int fields;

        NoConverter(int fields) {
            this.fields = fields;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            if (fieldIndex < 0 || fieldIndex >= fields) {
                throw new IndexOutOfBoundsException(fieldIndex);
            }
            return primitive;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }
}
