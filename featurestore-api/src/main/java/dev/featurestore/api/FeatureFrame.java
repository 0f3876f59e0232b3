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

    /**
     * A frame over copies of the given columns; the arrays stay the caller's.
     *
     * @param secid the instrument; not null
     * @param featureSet the feature set the values belong to, e.g. {@code tech_v2}; not null
     * @param timeframe the candles' timeframe, or null for a series of any spacing (then the
     *     frame has no {@link #availableAt(int)})
     * @param featureNames the feature names in column order, distinct
     * @param kinds the kind of each feature, in column order, as many as {@code featureNames}
     * @param ts the rows' candle open times, epoch ms UTC, one per row
     * @param columns one column per feature, in {@code featureNames} order, each at least
     *     {@code ts.length} long (values past that are not read)
     * @return the frame, holding its own copies of the arrays
     * @throws IllegalArgumentException when names, kinds and columns differ in count, or a name
     *     occurs twice
     * @throws IndexOutOfBoundsException when a column is shorter than {@code ts}
     * @throws NullPointerException when an argument other than {@code timeframe} is null
     */
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

    /** {@return the instrument} */
    public String secid() {
        return secid;
    }

    /** {@return the feature set the values belong to} */
    public String featureSet() {
        return featureSet;
    }

    /** {@return the candles' timeframe, empty for a series of any spacing} */
    public Optional<Timeframe> timeframe() {
        return Optional.ofNullable(timeframe);
    }

    /** {@return the number of rows, 0 or more} */
    public int size() {
        return size;
    }

    /** {@return true when there are no rows} */
    public boolean isEmpty() {
        return size == 0;
    }

    /** {@return the feature names in column order, unmodifiable} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return the kind of each feature, in column order, unmodifiable} */
    public List<FeatureKind> kinds() {
        return kinds;
    }

    /**
     * {@return the column of a feature, from 0, or -1 when the frame has no such feature}
     *
     * @param feature the feature name, as in {@link #featureNames()}
     */
    public int indexOf(String feature) {
        Integer i = index.get(feature);
        return i == null ? -1 : i;
    }

    /**
     * {@return the timestamp (candle open time, epoch ms UTC) of a row}
     *
     * @param row the row, from 0 (the oldest) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public long ts(int row) {
        Objects.checkIndex(row, size);
        return ts[offset + row];
    }

    /**
     * {@return the open time of a row's candle}
     *
     * @param row the row, from 0 (the oldest) to {@link #size()} - 1
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public Instant openTime(int row) {
        return Instant.ofEpochMilli(ts(row));
    }

    /**
     * When a row's candle closed and its values became known: its open time plus the timeframe
     * ({@link Timeframe#availableAt(long)}).
     *
     * @param row the row, from 0 (the oldest) to {@link #size()} - 1
     * @return the row's {@code available_at}
     * @throws IllegalStateException when the frame has no timeframe (a series of any spacing)
     * @throws IndexOutOfBoundsException when {@code row} is outside {@code [0, size())}
     */
    public Instant availableAt(int row) {
        if (timeframe == null) {
            throw new IllegalStateException("frame " + this + " has no timeframe, so no close times");
        }
        return Instant.ofEpochMilli(timeframe.availableAt(ts(row)));
    }

    /** {@return a copy of the timestamps (candle open times, epoch ms UTC), oldest first} */
    public long[] timestamps() {
        return Arrays.copyOfRange(ts, offset, offset + size);
    }

    /**
     * {@return one value, NaN where the feature is undefined}
     *
     * @param row the row, from 0 (the oldest) to {@link #size()} - 1
     * @param feature the feature's column, from 0 to {@code featureNames().size() - 1}
     * @throws IndexOutOfBoundsException when {@code row} or {@code feature} is out of range
     */
    public double value(int row, int feature) {
        Objects.checkIndex(row, size);
        return columns[feature][offset + row];
    }

    /**
     * {@return one value, by feature name; NaN where the feature is undefined}
     *
     * @param row the row, from 0 (the oldest) to {@link #size()} - 1
     * @param feature the feature name, as in {@link #featureNames()}
     * @throws IllegalArgumentException when the frame has no such feature (the message lists
     *     the ones it has)
     * @throws IndexOutOfBoundsException when {@code row} is out of range
     */
    public double value(int row, String feature) {
        return value(row, requireIndex(feature));
    }

    /**
     * {@return a copy of one feature's column, {@link #size()} values, oldest first}
     *
     * @param feature the feature name, as in {@link #featureNames()}
     * @throws IllegalArgumentException when the frame has no such feature (the message lists
     *     the ones it has)
     */
    public double[] column(String feature) {
        return column(requireIndex(feature));
    }

    /**
     * {@return a copy of one feature's column, by position: {@link #size()} values, oldest first}
     *
     * @param feature the feature's column, from 0 to {@code featureNames().size() - 1}
     * @throws IndexOutOfBoundsException when {@code feature} is out of range
     */
    public double[] column(int feature) {
        return Arrays.copyOfRange(columns[feature], offset, offset + size);
    }

    /**
     * Copies {@code length} values of a feature, from row {@code fromRow}, into {@code dest}.
     *
     * @param feature the feature's column, from 0 to {@code featureNames().size() - 1}
     * @param fromRow the first row copied
     * @param dest the buffer written to
     * @param destPos where in {@code dest} the first value goes
     * @param length how many values are copied, 0 or more
     * @throws IndexOutOfBoundsException when the rows {@code [fromRow, fromRow + length)} are not
     *     within the frame, {@code dest} has no room for them, or {@code feature} is out of range
     */
    public void copyColumn(int feature, int fromRow, double[] dest, int destPos, int length) {
        Objects.checkFromIndexSize(fromRow, length, size);
        System.arraycopy(columns[feature], offset + fromRow, dest, destPos, length);
    }

    /**
     * Copies {@code length} timestamps (candle open times, epoch ms UTC), from row
     * {@code fromRow}, into {@code dest}.
     *
     * @param fromRow the first row copied
     * @param dest the buffer written to
     * @param destPos where in {@code dest} the first timestamp goes
     * @param length how many timestamps are copied, 0 or more
     * @throws IndexOutOfBoundsException when the rows {@code [fromRow, fromRow + length)} are not
     *     within the frame or {@code dest} has no room for them
     */
    public void copyTimestamps(int fromRow, long[] dest, int destPos, int length) {
        Objects.checkFromIndexSize(fromRow, length, size);
        System.arraycopy(ts, offset + fromRow, dest, destPos, length);
    }

    /**
     * The rows {@code [from, to)} as a frame sharing this one's storage (no copy).
     *
     * @param from the first row taken, 0 or more
     * @param to the row after the last one taken, from {@code from} to {@link #size()}
     * @return a frame of {@code to - from} rows whose row 0 is this frame's row {@code from}
     * @throws IndexOutOfBoundsException when {@code [from, to)} is not within {@code [0, size())}
     */
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
