package dev.featurestore.jdbc.postgres;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.jdbc.internal.SetColumnsLayout;
import dev.featurestore.jdbc.internal.ValueCodec;

/**
 * Encodes the rows of a frame into the stored blobs: numeric features as little-endian doubles,
 * categories as little-endian 16-bit integers, each at its slot. Reuses two buffers; not
 * thread-safe.
 */
final class PostgresRowCodec {
    private final double[][] numericColumns;
    private final int[] numericSlots;
    private final double[][] categoricalColumns;
    private final int[] categoricalSlots;
    private final byte[] numeric;
    private final byte[] categorical;

    /** {@code frame}'s features must be the set's, in the set's order. */
    PostgresRowCodec(SetColumnsLayout cols, FeatureFrame frame) {
        numericColumns = new double[cols.numericCount()][];
        numericSlots = new int[cols.numericCount()];
        categoricalColumns = new double[cols.categoricalCount()][];
        categoricalSlots = new int[cols.categoricalCount()];
        int n = 0;
        int k = 0;
        for (int p = 0; p < cols.names().size(); p++) {
            if (cols.kinds().get(p) == FeatureKind.NUMERIC) {
                numericColumns[n] = frame.column(p);
                numericSlots[n++] = cols.slot(p);
            } else {
                categoricalColumns[k] = frame.column(p);
                categoricalSlots[k++] = cols.slot(p);
            }
        }
        numeric = new byte[cols.numericCount() * Double.BYTES];
        categorical = new byte[cols.categoricalCount() * Short.BYTES];
    }

    /** Fills {@link #numeric()} with row {@code r}. */
    void encodeNumeric(int r) {
        for (int j = 0; j < numericColumns.length; j++) {
            ValueCodec.putDouble(numeric, numericSlots[j], numericColumns[j][r]);
        }
    }

    /** Fills {@link #categorical()} with row {@code r}. */
    void encodeCategorical(int r) {
        for (int j = 0; j < categoricalColumns.length; j++) {
            ValueCodec.putCategory(categorical, categoricalSlots[j], categoricalColumns[j][r]);
        }
    }

    /** The numeric blob of the last encoded row (a reused buffer). */
    byte[] numeric() {
        return numeric;
    }

    /** The categorical blob of the last encoded row (a reused buffer). */
    byte[] categorical() {
        return categorical;
    }
}
