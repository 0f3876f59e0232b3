package dev.featurestore.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Feature values of one secid by column: one timestamp per row (the candle's open time) and one
 * {@code double} column per feature, in the feature set's order. Categorical features hold their
 * category as a whole number (0 or 1 for the built-in patterns); an undefined value is NaN.
 *
 * <p>Immutable. Reading a column copies it ({@link #column(String)}) or copies part of it into a
 * buffer you own ({@link #copyColumn(int, int, double[], int, int)}); the frame never hands out
 * its arrays. {@link #of} copies what it is given.
 */
public final class FeatureFrame {
    private final String secid;
    private final String featureSet;
    private final Timeframe timeframe;
    private final List<String> featureNames;
    private final List<FeatureKind> kinds;
    private final Map<String, Integer> index;
    private final long[] ts;
    private final double[][] columns;
    private final int offset;
    private final int size;

    private FeatureFrame(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            List<FeatureKind> kinds, long[] ts, double[][] columns, int offset, int size) {
        this.secid = Objects.requireNonNull(secid, "secid");
        this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
        this.timeframe = timeframe;
        this.featureNames = List.copyOf(featureNames);
        this.kinds = List.copyOf(kinds);
        if (this.featureNames.size() != columns.length || this.kinds.size() != columns.length) {
            throw new IllegalArgumentException("feature names, kinds and columns differ in count");
        }
        Objects.checkFromIndexSize(offset, size, ts.length);
        for (double[] column : columns) {
            Objects.checkFromIndexSize(offset, size, column.length);
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.featureNames.size(); i++) {
            if (idx.put(this.featureNames.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate feature name '" + this.featureNames.get(i) + "'");
            }
        }
        this.index = idx;
        this.ts = ts;
        this.columns = columns;
        this.offset = offset;
        this.size = size;
    }

    /** A frame over copies of the given columns. */
    public static FeatureFrame of(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            List<FeatureKind> kinds, long[] ts, double[][] columns) {
        double[][] copy = new double[columns.length][];
        for (int i = 0; i < columns.length; i++) {
            copy[i] = columns[i].clone();
        }
        return new FeatureFrame(secid, featureSet, timeframe, featureNames, kinds, ts.clone(), copy, 0, ts.length);
    }

    /** A frame over arrays the caller hands over; for {@code Columns.frame} only. */
    static FeatureFrame wrap(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            List<FeatureKind> kinds, long[] ts, double[][] columns, int offset, int size) {
        return new FeatureFrame(secid, featureSet, timeframe, featureNames, kinds, ts, columns.clone(), offset, size);
    }

    /** The instrument. */
    public String secid() {
        return secid;
    }

    /** The feature set the values belong to. */
    public String featureSet() {
        return featureSet;
    }

    /** The candles' timeframe, empty for a series of any spacing. */
    public Optional<Timeframe> timeframe() {
        return Optional.ofNullable(timeframe);
    }

    /** The number of rows. */
    public int size() {
        return size;
    }

    /** True when there are no rows. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The feature names in column order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The kind of each feature, in column order. */
    public List<FeatureKind> kinds() {
        return kinds;
    }

    /** The column of a feature, or -1 when the frame has no such feature. */
    public int indexOf(String feature) {
        Integer i = index.get(feature);
        return i == null ? -1 : i;
    }

    /** The timestamp (candle open time, epoch ms UTC) of a row. */
    public long ts(int row) {
        Objects.checkIndex(row, size);
        return ts[offset + row];
    }

    /** The open time of a row's candle. */
    public Instant openTime(int row) {
        return Instant.ofEpochMilli(ts(row));
    }

    /**
     * When a row's candle closed and its values became known: its open time plus the timeframe
     * ({@link Timeframe#availableAt(long)}).
     *
     * @throws IllegalStateException when the frame has no timeframe (a series of any spacing)
     */
    public Instant availableAt(int row) {
        if (timeframe == null) {
            throw new IllegalStateException("frame " + this + " has no timeframe, so no close times");
        }
        return Instant.ofEpochMilli(timeframe.availableAt(ts(row)));
    }

    /** A copy of the timestamps. */
    public long[] timestamps() {
        return Arrays.copyOfRange(ts, offset, offset + size);
    }

    /** One value. */
    public double value(int row, int feature) {
        Objects.checkIndex(row, size);
        return columns[feature][offset + row];
    }

    /** One value, by feature name. */
    public double value(int row, String feature) {
        return value(row, requireIndex(feature));
    }

    /** A copy of one feature's column. */
    public double[] column(String feature) {
        return column(requireIndex(feature));
    }

    /** A copy of one feature's column, by position. */
    public double[] column(int feature) {
        return Arrays.copyOfRange(columns[feature], offset, offset + size);
    }

    /** Copies {@code length} values of a feature, from row {@code fromRow}, into {@code dest}. */
    public void copyColumn(int feature, int fromRow, double[] dest, int destPos, int length) {
        Objects.checkFromIndexSize(fromRow, length, size);
        System.arraycopy(columns[feature], offset + fromRow, dest, destPos, length);
    }

    /** Copies {@code length} timestamps, from row {@code fromRow}, into {@code dest}. */
    public void copyTimestamps(int fromRow, long[] dest, int destPos, int length) {
        Objects.checkFromIndexSize(fromRow, length, size);
        System.arraycopy(ts, offset + fromRow, dest, destPos, length);
    }

    /** The rows {@code [from, to)} as a frame sharing this one's storage. */
    public FeatureFrame rows(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        return new FeatureFrame(secid, featureSet, timeframe, featureNames, kinds, ts, columns, offset + from,
                to - from);
    }

    // The backing arrays, for dev.featurestore.api.internal.Columns and FeatureWindows only.

    long[] tsArray() {
        return ts;
    }

    double[] columnArray(int feature) {
        return columns[feature];
    }

    int offset() {
        return offset;
    }

    private int requireIndex(String feature) {
        Integer i = index.get(feature);
        if (i == null) {
            throw new IllegalArgumentException("frame has no feature '" + feature + "'; it has " + featureNames);
        }
        return i;
    }

    @Override
    public String toString() {
        return "FeatureFrame[" + secid + ", " + featureSet + ", " + (timeframe == null ? "any spacing" : timeframe)
                + ", " + size + " rows x " + featureNames.size() + " features]";
    }
}
