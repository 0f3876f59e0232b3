package dev.featurestore.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Many sliding windows of one secid, shaped (N, W, F): window n covers W consecutive rows of a
 * frame, one window every {@code stride} rows, aligned so that the last window ends at the
 * frame's newest row; oldest window first, rows oldest first, features in the set's order.
 *
 * <pre>{@code
 * FeatureWindows batch = store.forSet("tech_v2").timeframe("5m").window(120).stride(10).windows(series);
 * float[] x = batch.toFlatFloatArray();       // (N, 120, 20) row-major, for a DL framework
 * double[] exact = batch.toFlatArray();       // the same block in double precision
 * batch.copyTo(64, 32, buffer, 0);            // windows 64..95 into a reused float[32 * 120 * 20]
 * batch.availableAt(batch.count() - 1);       // when the newest window became known
 * }</pre>
 *
 * <p>Immutable: the windows are a view of the frame's rows, so holding them costs the frame, not
 * N x W x F numbers. Each {@code toFlat...} call fills a new block, which belongs to the caller,
 * straight from the frame's columns (no copy per window in between).
 */
public final class FeatureWindows {
    /** The most numbers one (N, W, F) block can hold: the largest Java array. */
    public static final long MAX_BLOCK = Integer.MAX_VALUE - 8;

    private final FeatureFrame frame;
    private final int windowSize;
    private final int stride;
    private final int count;
    /** The frame row of window 0's oldest row. */
    private final int first;

    /**
     * Every window of {@code windowSize} rows of {@code frame}, one every {@code stride} rows, the
     * last ending at the frame's newest row. The timeframe is the frame's.
     *
     * @param frame the rows the windows are taken from; not null, and held, not copied (a frame is
     *     immutable)
     * @param windowSize W, the rows per window, 1 or more
     * @param stride the rows between the starts of two consecutive windows, 1 or more; 1 gives
     *     every window, {@code windowSize} windows that do not overlap
     * @throws NullPointerException when {@code frame} is null
     * @throws IllegalArgumentException when the window size or stride is below 1, the frame has
     *     fewer rows than one window, or the block would exceed {@link #MAX_BLOCK} numbers
     */
    public FeatureWindows(FeatureFrame frame, int windowSize, int stride) {
        this.frame = Objects.requireNonNull(frame, "frame");
        if (windowSize < 1 || stride < 1) {
            throw new IllegalArgumentException("window size and stride must be >= 1, got " + windowSize + " and "
                    + stride);
        }
        if (frame.size() < windowSize) {
            throw new IllegalArgumentException("a window of " + windowSize + " rows needs a frame of as many, got "
                    + frame.size());
        }
        this.windowSize = windowSize;
        this.stride = stride;
        this.count = (frame.size() - windowSize) / stride + 1;
        this.first = frame.size() - windowSize - (count - 1) * stride;
        long total = (long) count * windowSize * frame.featureNames().size();
        if (total > MAX_BLOCK) {
            throw new IllegalArgumentException(count + " windows of " + windowSize + " x "
                    + frame.featureNames().size() + " hold " + total + " numbers, more than one array can ("
                    + MAX_BLOCK + ")");
        }
    }

    /** {@return the instrument} */
    public String secid() {
        return frame.secid();
    }

    /** {@return the feature set the values belong to} */
    public String featureSet() {
        return frame.featureSet();
    }

    /** {@return the rows' timeframe, empty for rows of any spacing} */
    public Optional<Timeframe> timeframe() {
        return frame.timeframe();
    }

    /** {@return the feature names, F of them, in column order, unmodifiable} */
    public List<String> featureNames() {
        return frame.featureNames();
    }

    /** {@return N, the number of windows, 1 or more} */
    public int count() {
        return count;
    }

    /** {@return W, the rows per window} */
    public int windowSize() {
        return windowSize;
    }

    /** {@return the rows between the starts of two consecutive windows} */
    public int stride() {
        return stride;
    }

    /** {@return F, the features per row} */
    public int features() {
        return frame.featureNames().size();
    }

    /** {@return the shape {@code {N, W, F}}, in a new array} */
    public int[] shape() {
        return new int[] {count, windowSize, features()};
    }

    /**
     * {@return the value of window n, row r, feature f; NaN where the feature is undefined}
     *
     * @param n the window, from 0 (the oldest) to N - 1
     * @param r the row within the window, from 0 (the oldest) to W - 1
     * @param f the feature's column, from 0 to F - 1
     * @throws IndexOutOfBoundsException when {@code n}, {@code r} or {@code f} is out of range
     */
    public double get(int n, int r, int f) {
        Objects.checkIndex(n, count);
        Objects.checkIndex(r, windowSize);
        Objects.checkIndex(f, features());
        return frame.value(first + n * stride + r, f);
    }

    /**
     * {@return the open time (epoch ms UTC) of the candle of window n's newest row}
     *
     * @param n the window, from 0 (the oldest) to N - 1
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public long lastOpenTs(int n) {
        return frame.ts(lastRow(n));
    }

    /**
     * The open time of the candle of window n's newest row. The window is known only from
     * {@link #availableAt(int)}, when that candle has closed.
     *
     * @param n the window, from 0 (the oldest) to N - 1
     * @return the open time of window n's row W - 1
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public Instant lastOpenTime(int n) {
        return frame.openTime(lastRow(n));
    }

    /**
     * When the candle of window n's newest row closed, so that the whole window is known: its
     * {@code available_at}, the last open time plus the timeframe ({@link Timeframe#availableAt(long)}).
     *
     * @param n the window, from 0 (the oldest) to N - 1
     * @return the close time of the candle of window n's newest row
     * @throws IllegalStateException when the windows have no timeframe (rows of any spacing)
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public Instant availableAt(int n) {
        return frame.availableAt(lastRow(n));
    }

    /**
     * {@return every window's {@link #lastOpenTs(int)} (epoch ms UTC), oldest window first, in a
     * new array}
     */
    public long[] lastOpenTimestamps() {
        long[] out = new long[count];
        for (int n = 0; n < count; n++) {
            out[n] = frame.ts(lastRow(n));
        }
        return out;
    }

    private int lastRow(int n) {
        return first + Objects.checkIndex(n, count) * stride + windowSize - 1;
    }

    /**
     * {@return the whole (N, W, F) block, row-major, in a new array: window {@code n}, row
     * {@code r}, feature {@code f} at {@code (n * W + r) * F + f}}
     */
    public double[] toFlatArray() {
        double[] out = new double[count * windowSize * features()];
        fill(0, count, out, null, 0);
        return out;
    }

    /**
     * The whole (N, W, F) block, row-major, as floats in a new array, for frameworks that train in
     * single precision: each the {@code double} value rounded to the nearest {@code float}
     * ({@code (float) v}, NaN kept), filled straight from the frame's columns.
     *
     * @return N x W x F floats, laid out like {@link #toFlatArray()}
     */
    public float[] toFlatFloatArray() {
        float[] out = new float[count * windowSize * features()];
        fill(0, count, null, out, 0);
        return out;
    }

    /**
     * Copies windows {@code [fromWindow, fromWindow + windows)} into {@code dest} from
     * {@code destPos}, row-major ({@code windows} x W x F numbers): a mini-batch into a buffer the
     * caller reuses, the same numbers as that part of {@link #toFlatArray()}.
     *
     * @param fromWindow the first window copied, from 0 (the oldest)
     * @param windows how many windows are copied, 0 or more
     * @param dest the buffer written to; not null
     * @param destPos where in {@code dest} the first number goes
     * @throws IndexOutOfBoundsException when the windows are not within {@code [0, N)} or
     *     {@code dest} has no room for {@code windows} x W x F numbers from {@code destPos}
     */
    public void copyTo(int fromWindow, int windows, double[] dest, int destPos) {
        checkBatch(fromWindow, windows, dest.length, destPos);
        fill(fromWindow, windows, dest, null, destPos);
    }

    /**
     * Copies windows {@code [fromWindow, fromWindow + windows)} into {@code dest} from
     * {@code destPos} as floats, row-major: the same numbers as that part of
     * {@link #toFlatFloatArray()}.
     *
     * @param fromWindow the first window copied, from 0 (the oldest)
     * @param windows how many windows are copied, 0 or more
     * @param dest the buffer written to; not null
     * @param destPos where in {@code dest} the first number goes
     * @throws IndexOutOfBoundsException when the windows are not within {@code [0, N)} or
     *     {@code dest} has no room for {@code windows} x W x F numbers from {@code destPos}
     */
    public void copyTo(int fromWindow, int windows, float[] dest, int destPos) {
        checkBatch(fromWindow, windows, dest.length, destPos);
        fill(fromWindow, windows, null, dest, destPos);
    }

    private void checkBatch(int fromWindow, int windows, int destLength, int destPos) {
        Objects.checkFromIndexSize(fromWindow, windows, count);
        Objects.checkFromIndexSize(destPos, windows * windowSize * features(), destLength);
    }

    /** Fills exactly one of the two arrays, column by column, straight from the frame. */
    private void fill(int fromWindow, int windows, double[] doubles, float[] floats, int destPos) {
        int f = features();
        int block = windowSize * f;
        int offset = frame.offset();
        for (int j = 0; j < f; j++) {
            double[] column = frame.columnArray(j);
            for (int n = 0; n < windows; n++) {
                int src = offset + first + (fromWindow + n) * stride;
                int dst = destPos + n * block + j;
                if (doubles != null) {
                    for (int r = 0; r < windowSize; r++) {
                        doubles[dst + r * f] = column[src + r];
                    }
                } else {
                    for (int r = 0; r < windowSize; r++) {
                        floats[dst + r * f] = (float) column[src + r];
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        String times = ", last bar opened " + lastOpenTime(count - 1)
                + (frame.timeframe().isEmpty() ? "" : ", available " + availableAt(count - 1));
        return "FeatureWindows[" + secid() + ", " + featureSet() + ", "
                + frame.timeframe().map(Timeframe::toString).orElse("any spacing") + ", shape (" + count + ", "
                + windowSize + ", " + features() + ")" + times + "]";
    }
}
