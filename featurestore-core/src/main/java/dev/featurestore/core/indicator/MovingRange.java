package dev.featurestore.core.indicator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@link Kernels#rangePosition} advanced one candle at a time: the highest high and lowest low of
 * the last {@code period} candles kept by two monotonic queues (O(1) amortised per candle, at most
 * {@code period} entries each). Maxima and minima are exact, so they are the batch kernel's
 * whatever the method, and the quotient is the same expression.
 */
final class MovingRange {
    private final int period;
    private final double scale;
    private final double neutral;
    private final int mask;
    // queue of (row, value) pairs, values decreasing (highs) or increasing (lows) from head to tail
    private final long[] highRow;
    private final double[] highValue;
    private final long[] lowRow;
    private final double[] lowValue;
    private long highHead;
    private long highTail;
    private long lowHead;
    private long lowTail;
    private long rows;

    MovingRange(int period, double scale, double neutral) {
        this.period = period;
        this.scale = scale;
        this.neutral = neutral;
        int capacity = Integer.highestOneBit(period) << 1;
        this.mask = capacity - 1;
        this.highRow = new long[capacity];
        this.highValue = new double[capacity];
        this.lowRow = new long[capacity];
        this.lowValue = new double[capacity];
    }

    /** Takes the next candle and returns its position, NaN before the window is full. */
    double update(double high, double low, double close) {
        long t = rows++;
        while (highTail > highHead && highValue[(int) ((highTail - 1) & mask)] <= high) {
            highTail--;
        }
        highRow[(int) (highTail & mask)] = t;
        highValue[(int) (highTail & mask)] = high;
        highTail++;
        if (highRow[(int) (highHead & mask)] <= t - period) {
            highHead++;
        }
        while (lowTail > lowHead && lowValue[(int) ((lowTail - 1) & mask)] >= low) {
            lowTail--;
        }
        lowRow[(int) (lowTail & mask)] = t;
        lowValue[(int) (lowTail & mask)] = low;
        lowTail++;
        if (lowRow[(int) (lowHead & mask)] <= t - period) {
            lowHead++;
        }
        if (t < period - 1) {
            return Double.NaN;
        }
        double hh = highValue[(int) (highHead & mask)];
        double ll = lowValue[(int) (lowHead & mask)];
        double range = hh - ll;
        return range == 0 ? neutral : scale * ((close - ll) / range);
    }

    void copyFrom(MovingRange o) {
        System.arraycopy(o.highRow, 0, highRow, 0, highRow.length);
        System.arraycopy(o.highValue, 0, highValue, 0, highValue.length);
        System.arraycopy(o.lowRow, 0, lowRow, 0, lowRow.length);
        System.arraycopy(o.lowValue, 0, lowValue, 0, lowValue.length);
        highHead = o.highHead;
        highTail = o.highTail;
        lowHead = o.lowHead;
        lowTail = o.lowTail;
        rows = o.rows;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(rows);
        writeQueue(out, highRow, highValue, highHead, highTail);
        writeQueue(out, lowRow, lowValue, lowHead, lowTail);
    }

    private void writeQueue(DataOutput out, long[] row, double[] value, long head, long tail) throws IOException {
        out.writeInt((int) (tail - head));
        for (long i = head; i < tail; i++) {
            out.writeLong(row[(int) (i & mask)]);
            out.writeDouble(value[(int) (i & mask)]);
        }
    }

    void read(DataInput in) throws IOException {
        rows = BuiltinState.nonNegative(in.readLong(), "range rows");
        highHead = 0;
        highTail = readQueue(in, highRow, highValue);
        lowHead = 0;
        lowTail = readQueue(in, lowRow, lowValue);
    }

    private int readQueue(DataInput in, long[] row, double[] value) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > period || (rows > 0 && size == 0)) {
            throw new IOException("range queue of " + size + " entries, expected 1 to " + period);
        }
        for (int i = 0; i < size; i++) {
            row[i] = in.readLong();
            value[i] = in.readDouble();
        }
        return size;
    }
}
