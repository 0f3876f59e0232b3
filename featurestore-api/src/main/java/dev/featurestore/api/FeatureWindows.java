package dev.featurestore.api;

import java.util.List;
import java.util.Objects;

/**
 * Many sliding windows of one secid in one contiguous block shaped (N, W, F), row-major, ready
 * to hand to a training loop or a tensor library without copying, with the timestamp of each
 * window's newest row.
 *
 * <p>The block belongs to the caller: {@link #values()} is the array itself, made for this call.
 */
public final class FeatureWindows {
    private final String secid;
    private final String featureSet;
    private final List<String> featureNames;
    private final int windowSize;
    private final long[] endTs;
    private final double[] values;

    public FeatureWindows(String secid, String featureSet, List<String> featureNames, int windowSize, long[] endTs,
            double[] values) {
        this.secid = Objects.requireNonNull(secid, "secid");
        this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
        this.featureNames = List.copyOf(featureNames);
        this.windowSize = windowSize;
        this.endTs = Objects.requireNonNull(endTs, "endTs");
        this.values = Objects.requireNonNull(values, "values");
        if ((long) endTs.length * windowSize * this.featureNames.size() != values.length) {
            throw new IllegalArgumentException("values hold " + values.length + " numbers, expected " + endTs.length
                    + " x " + windowSize + " x " + this.featureNames.size());
        }
    }

    /** The instrument. */
    public String secid() {
        return secid;
    }

    /** The feature set. */
    public String featureSet() {
        return featureSet;
    }

    /** The feature names, F of them, in order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** N, the number of windows. */
    public int count() {
        return endTs.length;
    }

    /** W, the rows per window. */
    public int windowSize() {
        return windowSize;
    }

    /** F, the features per row. */
    public int features() {
        return featureNames.size();
    }

    /** The shape {N, W, F}. */
    public int[] shape() {
        return new int[] {endTs.length, windowSize, featureNames.size()};
    }

    /** The value of window n, row r (0 the oldest), feature f. */
    public double get(int n, int r, int f) {
        Objects.checkIndex(n, endTs.length);
        Objects.checkIndex(r, windowSize);
        Objects.checkIndex(f, featureNames.size());
        return values[(n * windowSize + r) * featureNames.size() + f];
    }

    /** The open time (epoch ms UTC) of window n's newest row. */
    public long endTs(int n) {
        return endTs[n];
    }

    /** The end timestamps of all windows; the backing array. */
    public long[] endTimestamps() {
        return endTs;
    }

    /** The whole (N, W, F) block, row-major; the backing array, made for this result. */
    public double[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "FeatureWindows[" + secid + ", " + featureSet + ", shape (" + endTs.length + ", " + windowSize + ", "
                + featureNames.size() + ")]";
    }
}
