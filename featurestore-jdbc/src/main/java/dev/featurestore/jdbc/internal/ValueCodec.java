package dev.featurestore.jdbc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The layout of the value blobs of {@code feature_numeric} and {@code feature_categorical}, the
 * fact layer before schema version 6: numeric values as little-endian IEEE doubles (8 bytes each),
 * categories as little-endian 16-bit integers (2 bytes each), in slot order. Read by the migration
 * {@code V6__typed_feature_columns} only. Not public API.
 */
public final class ValueCodec {
    private static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private ValueCodec() {
    }

    /** Writes a double at slot {@code slot}. */
    public static void putDouble(byte[] blob, int slot, double value) {
        DOUBLE_LE.set(blob, slot * 8, value);
    }

    /** Reads the double at slot {@code slot}. */
    public static double getDouble(byte[] blob, int slot) {
        return (double) DOUBLE_LE.get(blob, slot * 8);
    }

    /** Writes a category (0..32767) at slot {@code slot}. */
    public static void putCategory(byte[] blob, int slot, double value) {
        SHORT_LE.set(blob, slot * 2, (short) value);
    }

    /** Reads the category at slot {@code slot}, as a double. */
    public static double getCategory(byte[] blob, int slot) {
        return (short) SHORT_LE.get(blob, slot * 2);
    }
}
