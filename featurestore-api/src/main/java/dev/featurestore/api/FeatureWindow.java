package dev.featurestore.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed-size window of clean feature rows for one secid, W rows by F features, oldest row
 * first, features in the feature set's order: the input of one step of a temporal model.
 *
 * <pre>{@code
 * FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).latest(series);
 * double[][] x = w.toArray();   // 120 x 20
 * }</pre>
 */
public final class FeatureWindow {
    private final String secid;
    private final String featureSet;
    private final List<String> featureNames;
    private final long[] ts;
    private final double[] values;

    /**
     * A window over arrays the caller hands over: {@code ts} of length W and {@code values} of
     * length W x F, row-major.
     */
    public FeatureWindow(String secid, String featureSet, List<String> featureNames, long[] ts, double[] values) {
        this.secid = Objects.requireNonNull(secid, "secid");
        this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
        this.featureNames = List.copyOf(featureNames);
        this.ts = Objects.requireNonNull(ts, "ts");
        this.values = Objects.requireNonNull(values, "values");
        if ((long) ts.length * this.featureNames.size() != values.length) {
            throw new IllegalArgumentException("values hold " + values.length + " numbers, expected " + ts.length
                    + " rows x " + this.featureNames.size() + " features");
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

    /** The feature names, in column order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** W, the number of rows. */
    public int rows() {
        return ts.length;
    }

    /** F, the number of features. */
    public int features() {
        return featureNames.size();
    }

    /** The value at a row (0 is the oldest) and feature. */
    public double get(int row, int feature) {
        Objects.checkIndex(row, ts.length);
        Objects.checkIndex(feature, featureNames.size());
        return values[row * featureNames.size() + feature];
    }

    /** The open time (epoch ms UTC) of a row's candle. */
    public long ts(int row) {
        return ts[row];
    }

    /** The open time of the newest row's candle. */
    public Instant endInstant() {
        return Instant.ofEpochMilli(ts[ts.length - 1]);
    }

    /** A copy of the row timestamps, oldest first. */
    public long[] timestamps() {
        return ts.clone();
    }

    /** A copy as {@code double[W][F]}. */
    public double[][] toArray() {
        int f = featureNames.size();
        double[][] out = new double[ts.length][];
        for (int r = 0; r < ts.length; r++) {
            out[r] = Arrays.copyOfRange(values, r * f, (r + 1) * f);
        }
        return out;
    }

    /** A copy of the values, row-major (W x F). */
    public double[] toFlatArray() {
        return values.clone();
    }

    @Override
    public String toString() {
        return "FeatureWindow[" + secid + ", " + featureSet + ", " + ts.length + " x " + featureNames.size()
                + (ts.length == 0 ? "" : ", ending " + endInstant()) + "]";
    }
}
