package dev.featurestore.core.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Canonical bytes for a fingerprint and their SHA-256: {@code int32}/{@code int64} big-endian two's
 * complement, {@code str(s)} an {@code int32} byte length then the UTF-8 bytes, a double as the
 * {@code int64} of {@link Double#doubleToLongBits}.
 */
public final class CanonicalBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Empty bytes. */
    public CanonicalBytes() {
    }

    /** Appends {@code str(s)}. */
    public CanonicalBytes string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** Appends a big-endian int32. */
    public CanonicalBytes int32(int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(v >>> shift);
        }
        return this;
    }

    /** Appends a big-endian int64. */
    public CanonicalBytes int64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    /** Appends the int64 of {@link Double#doubleToLongBits}. */
    public CanonicalBytes float64(double v) {
        return int64(Double.doubleToLongBits(v));
    }

    /** {@return the lower-case hex SHA-256 of the bytes so far} */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
