package dev.featurestore.core.window;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidQueryException;

/** Cuts fixed-size windows out of a frame of clean rows. */
public final class Windows {
    /** The most numbers one (N, W, F) block can hold: the largest Java array. */
    public static final long MAX_BLOCK = Integer.MAX_VALUE - 8;

    private Windows() {
    }

    /**
     * The window of the last {@code size} rows of the frame that end at or before {@code endRow}
     * (exclusive), oldest first.
     *
     * @throws InsufficientHistoryException when fewer rows are there
     */
    public static FeatureWindow last(FeatureFrame frame, int endRow, int size) {
        if (endRow < size) {
            throw new InsufficientHistoryException("feature set '" + frame.featureSet() + "', secid '" + frame.secid()
                    + "'", size, endRow);
        }
        int f = frame.featureNames().size();
        int from = endRow - size;
        long[] ts = new long[size];
        frame.copyTimestamps(from, ts, 0, size);
        double[] values = new double[size * f];
        for (int j = 0; j < f; j++) {
            for (int r = 0; r < size; r++) {
                values[r * f + j] = frame.value(from + r, j);
            }
        }
        return new FeatureWindow(frame.secid(), frame.featureSet(), frame.featureNames(), ts, values);
    }

    /**
     * Every window of {@code size} rows, one every {@code stride} rows, aligned so that the last
     * window ends at the frame's newest row; oldest window first.
     *
     * @throws InsufficientHistoryException when the frame has fewer rows than one window
     * @throws InvalidQueryException when the block would exceed the largest Java array
     */
    public static FeatureWindows sliding(FeatureFrame frame, int size, int stride) {
        int rows = frame.size();
        if (rows < size) {
            throw new InsufficientHistoryException("feature set '" + frame.featureSet() + "', secid '" + frame.secid()
                    + "'", size, rows);
        }
        int f = frame.featureNames().size();
        int count = (rows - size) / stride + 1;
        long total = (long) count * size * f;
        if (total > MAX_BLOCK) {
            throw new InvalidQueryException(count + " windows of " + size + " x " + f + " hold " + total
                    + " numbers, more than one array can (" + MAX_BLOCK + "); use a larger stride (at least "
                    + (long) Math.ceil((double) (rows - size) * size * f / MAX_BLOCK) + ") or a shorter range");
        }
        int firstEnd = (rows - 1) - (count - 1) * stride;
        long[] endTs = new long[count];
        double[] values = new double[(int) total];
        // The rows a window covers are contiguous, so lay the used rows out row-major once
        // (rows x F) and copy each window with one arraycopy of W x F numbers.
        int from = firstEnd - size + 1;
        int used = rows - from;
        double[] rowMajor = new double[Math.multiplyExact(used, f)];
        double[] column = new double[used];
        for (int j = 0; j < f; j++) {
            frame.copyColumn(j, from, column, 0, used);
            for (int r = 0; r < used; r++) {
                rowMajor[r * f + j] = column[r];
            }
        }
        int block = size * f;
        for (int w = 0; w < count; w++) {
            System.arraycopy(rowMajor, w * stride * f, values, w * block, block);
        }
        for (int w = 0; w < count; w++) {
            endTs[w] = frame.ts(firstEnd + w * stride);
        }
        return new FeatureWindows(frame.secid(), frame.featureSet(), frame.featureNames(), size, endTs, values);
    }
}
