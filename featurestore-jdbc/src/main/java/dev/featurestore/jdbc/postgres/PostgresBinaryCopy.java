package dev.featurestore.jdbc.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Writes rows in PostgreSQL's binary {@code COPY} format into a {@link CopyIn} (pgjdbc's
 * {@code COPY ... FROM STDIN (FORMAT binary)}), through a buffer so that the driver sees large
 * chunks. Big-endian, as the format requires: a header, then per row a field count and each field
 * as a 32-bit length followed by its bytes, then a trailer. Not thread-safe; one per COPY.
 * After each chunk handed to the driver it runs a callback (tests stop the server there).
 */
final class PostgresBinaryCopy implements AutoCloseable {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, // flags
        0, 0, 0, 0}; // header extension length
    private static final int BUFFER = 1 << 16;

    private final CopyIn copy;
    private final Runnable chunkSent;
    private byte[] buf = new byte[BUFFER];
    private int pos;
    private boolean done;

    /** @param chunkSent run after each chunk is written to the COPY, before the next row */
    PostgresBinaryCopy(CopyIn copy, Runnable chunkSent) {
        this.copy = copy;
        this.chunkSent = chunkSent;
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        pos = HEADER.length;
    }

    /** Starts a row of {@code fields} fields. */
    void startRow(int fields) throws SQLException {
        ensure(2);
        putShort((short) fields);
    }

    /** A {@code bigint} field. */
    void int8(long v) throws SQLException {
        ensure(12);
        putInt(8);
        putLong(v);
    }

    /** A {@code double precision} field. */
    void float8(double v) throws SQLException {
        ensure(12);
        putInt(8);
        putLong(Double.doubleToRawLongBits(v));
    }

    /** A {@code smallint} field. */
    void int2(short v) throws SQLException {
        ensure(6);
        putInt(2);
        putShort(v);
    }

    /** A SQL NULL field. */
    void nullField() throws SQLException {
        ensure(4);
        putInt(-1);
    }

    /** A {@code text} field, UTF-8. */
    void text(String s) throws SQLException {
        bytes(s.getBytes(StandardCharsets.UTF_8), 0, -1);
    }

    /** A {@code bytea} field: {@code len} bytes of {@code b} from {@code off} ({@code -1}: all). */
    void bytes(byte[] b, int off, int len) throws SQLException {
        int n = len < 0 ? b.length - off : len;
        ensure(4 + n);
        putInt(n);
        System.arraycopy(b, off, buf, pos, n);
        pos += n;
    }

    /** Writes the trailer and ends the COPY; returns the rows the server took. */
    long finish() throws SQLException {
        ensure(2);
        putShort((short) -1);
        flush();
        done = true;
        return copy.endCopy();
    }

    /** Cancels the COPY unless it was finished (the server then discards every row sent). */
    @Override
    public void close() throws SQLException {
        if (!done && copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private void ensure(int n) throws SQLException {
        if (pos + n > buf.length) {
            flush();
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
        }
    }

    private void flush() throws SQLException {
        if (pos > 0) {
            copy.writeToCopy(buf, 0, pos);
            pos = 0;
            chunkSent.run();
        }
    }

    private void putShort(short v) {
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void putInt(int v) {
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void putLong(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }
}
