package dev.featurestore.core.window;

import static dev.featurestore.api.FeatureWindows.MAX_BLOCK;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.internal.Columns;

/** Cuts fixed-size windows out of a frame of clean rows. */
public final class Windows {

    private Windows() {
    }

    /**
     * The window of the last {@code size} rows of the frame that end at or before {@code endRow}
     * (exclusive), oldest first.
     *
     * @param frame clean rows (no NaN), oldest first
     * @param endRow the row index, within the frame, where the window ends, excluded; at most {@code frame.size()}
     * @param size the number of rows of the window, at least 1
     * @return a {@code size} x F window of copied values, F the frame's number of features
     * @throws InsufficientHistoryException when fewer rows are there
     */
    public static FeatureWindow last(FeatureFrame frame, int endRow, int size) {
        if (endRow < size) {
            throw new InsufficientHistoryException("feature set '" + frame.featureSet() + "', secid '" + frame.secid()
                    + "'", size, endRow);
        }
        int f = frame.featureNames().size();
        int from = Columns.offset(frame) + endRow - size;
        long[] ts = new long[size];
        System.arraycopy(Columns.ts(frame), from, ts, 0, size);
        double[] values = new double[size * f];
        for (int j = 0; j < f; j++) {
            double[] column = Columns.column(frame, j);
            for (int r = 0; r < size; r++) {
                values[r * f + j] = column[from + r];
            }
        }
        return Columns.window(frame.secid(), frame.featureSet(), frame.timeframe().orElse(null), frame.featureNames(),
                ts, values);
    }

    /**
     * Every window of {@code size} rows, one every {@code stride} rows, aligned so that the last
     * window ends at the frame's newest row; oldest window first. The windows are a view of the
     * frame: no block is filled until the caller asks for one.
     *
     * @param frame clean rows (no NaN), oldest first
     * @param size the number of rows per window, at least 1
     * @param stride the number of rows from the start of one window to the start of the next, at least 1
     * @return {@code (rows - size) / stride + 1} windows, oldest first
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
        return new FeatureWindows(frame, size, stride);
    }
}
