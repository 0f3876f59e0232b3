package dev.featurestore.spark.internal;

import dev.featurestore.api.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.Util;

/**
 * Adds key-value metadata to the footer of a Parquet file that Spark wrote, in place: the footer
 * (the Thrift {@code FileMetaData} after the last column chunk) is read, given the keys, and
 * written again where it was, followed by its new length and the magic {@code PAR1}. Row groups,
 * pages and their offsets stay as they are, so only the footer's bytes are rewritten.
 *
 * <p>Spark's Parquet writer has no way to take file metadata of the caller's; this is how a
 * snapshot written by Spark gets the same footer keys as one the library writes.
 */
public final class Footers {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private Footers() {
    }

    /**
     * Sets the keys in the file's footer, replacing keys of the same name, keeping the others.
     *
     * @param file a plain (unencrypted) Parquet file
     * @param keyValues the keys and values to set, in the order to write them
     * @throws StorageException when the file cannot be read or written, or is not a Parquet file
     */
    public static void stamp(Path file, Map<String, String> keyValues) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, tail, size - 8);
            byte[] magic = new byte[4];
            tail.position(4);
            tail.get(magic);
            if (size < 12 || !java.util.Arrays.equals(magic, MAGIC)) {
                throw new StorageException("cannot stamp " + file + ": it does not end with PAR1, so it is not a plain "
                        + "Parquet file", null);
            }
            int length = tail.getInt(0);
            long footerStart = size - 8 - length;
            ByteBuffer footer = ByteBuffer.allocate(length);
            readFully(ch, footer, footerStart);
            FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
            List<KeyValue> kept = new ArrayList<>();
            if (meta.getKey_value_metadata() != null) {
                for (KeyValue kv : meta.getKey_value_metadata()) {
                    if (!keyValues.containsKey(kv.getKey())) {
                        kept.add(kv);
                    }
                }
            }
            for (Map.Entry<String, String> e : keyValues.entrySet()) {
                KeyValue kv = new KeyValue(e.getKey());
                kv.setValue(e.getValue());
                kept.add(kv);
            }
            meta.setKey_value_metadata(kept);
            ByteArrayOutputStream out = new ByteArrayOutputStream(length + 1024);
            Util.writeFileMetaData(meta, out);
            ByteBuffer end = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(out.size()).put(MAGIC).flip();
            ch.truncate(footerStart);
            ch.position(footerStart);
            writeFully(ch, ByteBuffer.wrap(out.toByteArray()));
            writeFully(ch, end);
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot stamp the footer of " + file + ": " + e, e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
        buf.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
