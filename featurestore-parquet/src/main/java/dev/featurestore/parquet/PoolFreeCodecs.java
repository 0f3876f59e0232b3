package dev.featurestore.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.conf.PlainParquetConfiguration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ReflectionUtils;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet's codec factory with the same codecs, less Hadoop's {@code CodecPool}: each compressor
 * and decompressor is made by its codec for this factory and dropped with it. The pool logs "Got
 * brand-new compressor [.snappy]" at INFO for every one it makes, which is the only line a Parquet
 * export or a {@code parquet:} store would print; the bytes written are the codec's own, as through
 * the pool ({@code ParquetStorageFilesTest} and the snapshot tests pin them).
 */
final class PoolFreeCodecs implements CompressionCodecFactory {
    private final int pageSize;
    // Without the default resources: reading core-default.xml would cost a cold JVM a few hundred ms of XML
    // parsing for the two codec settings read here, whose defaults in code are the same values.
    private final Configuration conf = new Configuration(false);
    private final Map<CompressionCodecName, BytesInputCompressor> compressors = new EnumMap<>(CompressionCodecName.class);
    private final Map<CompressionCodecName, BytesInputDecompressor> decompressors =
            new EnumMap<>(CompressionCodecName.class);

    /** A factory whose compressors' output buffers start at {@code pageSize} bytes. */
    PoolFreeCodecs(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Read options that decompress through a factory of this kind (the reader releases it on close). */
    static ParquetReadOptions readOptions() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new PoolFreeCodecs(0))   // the page size sizes compressors only
                .build();
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName name) {
        return compressors.computeIfAbsent(name, n -> new Compressing(n, codec(n), pageSize));
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
        return decompressors.computeIfAbsent(name, n -> new Decompressing(codec(n)));
    }

    @Override
    public void release() {
        compressors.values().forEach(BytesInputCompressor::release);
        decompressors.values().forEach(BytesInputDecompressor::release);
        compressors.clear();
        decompressors.clear();
    }

    /** The Hadoop codec Parquet names for {@code name}, configured as Parquet's own factory does; null for none. */
    private CompressionCodec codec(CompressionCodecName name) {
        String type = name.getHadoopCompressionCodecClassName();
        if (type == null) {
            return null;
        }
        try {
            return ReflectionUtils.newInstance(Class.forName(type).asSubclass(CompressionCodec.class), conf);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Parquet codec " + name + " needs " + type + ", which is not on the class path", e);
        }
    }

    /** Compresses each page into one reused buffer, as Parquet's heap compressor does; none passes pages on. */
    private static final class Compressing implements BytesInputCompressor {
        private final CompressionCodecName name;
        private final CompressionCodec codec;
        private final Compressor compressor;
        private final ByteArrayOutputStream out;

        Compressing(CompressionCodecName name, CompressionCodec codec, int pageSize) {
            this.name = name;
            this.codec = codec;
            this.compressor = codec == null ? null : codec.createCompressor();
            this.out = new ByteArrayOutputStream(codec == null ? 0 : pageSize);
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (codec == null) {
                return bytes;
            }
            out.reset();
            if (compressor != null) {
                compressor.reset();
            }
            try (CompressionOutputStream cos = codec.createOutputStream(out, compressor)) {
                bytes.writeAllTo(cos);
                cos.finish();
            }
            return BytesInput.from(out);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return name;
        }

        @Override
        public void release() {
            if (compressor != null) {
                compressor.end();
            }
        }
    }

    /** Decompresses a page fully into memory before its stream is closed; none passes pages on. */
    private static final class Decompressing implements BytesInputDecompressor {
        private final CompressionCodec codec;
        private final Decompressor decompressor;

        Decompressing(CompressionCodec codec) {
            this.codec = codec;
            this.decompressor = codec == null ? null : codec.createDecompressor();
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            return codec == null ? bytes : BytesInput.from(inflate(bytes, uncompressedSize));
        }

        private byte[] inflate(BytesInput bytes, int uncompressedSize) throws IOException {
            if (decompressor != null) {
                decompressor.reset();
            }
            byte[] out = new byte[uncompressedSize];
            try (DataInputStream is = new DataInputStream(codec.createInputStream(bytes.toInputStream(), decompressor))) {
                is.readFully(out);
            }
            return out;
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            int limit = input.limit();
            int position = input.position();
            input.limit(position + compressedSize);
            if (codec == null) {
                output.put(input);
            } else {
                output.put(inflate(BytesInput.from(input), uncompressedSize));
            }
            input.limit(limit);
            input.position(position + compressedSize);
        }

        @Override
        public void release() {
            if (decompressor != null) {
                decompressor.end();
            }
        }
    }
}
