package dev.featurestore.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fixed-size window of clean feature rows for one secid, W rows by F features, oldest row
 * first, features in the feature set's order: the input of one step of a temporal model.
 *
 * <pre>{@code
 * FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).latest(series);
 * double[][] x = w.toArray();            // 120 x 20
 * float[] input = w.toFlatFloatArray();  // 2400 floats, row-major, for a DL framework
 * w.lastOpenTime();                      // the newest row's candle opened at 11:55 ...
 * w.availableAt();                       // ... and closed at 12:00: the window is known from then
 * }</pre>
 *
 * <p>Immutable: the constructor copies what it is given and every array handed out is a new one.
 */
public final class FeatureWindow {
    private final String secid;
    private final String featureSet;
    private final Timeframe timeframe;
    private final List<String> featureNames;
    private final long[] ts;
    private final double[] values;

    /**
     * A window over copies of {@code ts} (W candle open times, epoch ms UTC, oldest first) and
     * {@code values} (W x F, row-major).
     *
     * @param secid the instrument; not null
     * @param featureSet the feature set the values belong to, e.g. {@code tech_v2}; not null
     * @param timeframe the rows' timeframe, or null for rows of any spacing (then the window has
     *     no {@link #availableAt()})
     * @param featureNames the F feature names, in column order
     * @param ts the W candle open times, epoch ms UTC, oldest first; not null
     * @param values W x F values, row {@code r} and feature {@code f} at {@code r * F + f}; not
     *     null
     * @throws IllegalArgumentException when {@code values} does not hold W x F numbers
     * @throws NullPointerException when an argument other than {@code timeframe} is null
     */
    public FeatureWindow(String secid, String featureSet, Timeframe timeframe, List<String> featureNames, long[] ts,
            double[] values) {
        this(secid, featureSet, timeframe, featureNames, ts.clone(), values.clone(), true);
    }

    private FeatureWindow(String secid, String featureSet, Timeframe timeframe, List<String> featureNames, long[] ts,
            double[] values, boolean handedOver) {
        this.secid = Objects.requireNonNull(secid, "secid");
        this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
        this.timeframe = timeframe;
        this.featureNames = List.copyOf(featureNames);
        this.ts = Objects.requireNonNull(ts, "ts");
        this.values = Objects.requireNonNull(values, "values");
        if ((long) ts.length * this.featureNames.size() != values.length) {
            throw new IllegalArgumentException("values hold " + values.length + " numbers, expected " + ts.length
                    + " rows x " + this.featureNames.size() + " features");
        }
    }

    /** A window over arrays the caller hands over; for {@code Columns.window} only. */
    static FeatureWindow wrap(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            long[] ts, double[] values) {
        return new FeatureWindow(secid, featureSet, timeframe, featureNames, ts, values, true);
    }

    /** {@return the instrument} */
    public String secid() {
        return secid;
    }

    /** {@return the feature set the values belong to} */
    public String featureSet() {
        return featureSet;
    }

    /** {@return the rows' timeframe, empty for rows of any spacing} */
    public Optional<Timeframe> timeframe() {
        return Optional.ofNullable(timeframe);
    }

    /** {@return the F feature names, in column order, unmodifiable} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return W, the number of rows} */
    public int rows() {
        return ts.length;
    }

    /** {@return F, the number of features} */
    public int features() {
        return featureNames.size();
    }

    /**
     * {@return the value at a row and feature}
     *
     * @param row the row, from 0 (the oldest) to W - 1
     * @param feature the feature's column, from 0 to F - 1
     * @throws IndexOutOfBoundsException when {@code row} or {@code feature} is out of range
     */
    public double get(int row, int feature) {
        Objects.checkIndex(row, ts.length);
        Objects.checkIndex(feature, featureNames.size());
        return values[row * featureNames.size() + feature];
    }

    /**
     * {@return the open time (epoch ms UTC) of a row's candle}
     *
     * @param row the row, from 0 (the oldest) to W - 1
     * @throws IndexOutOfBoundsException when {@code row} is out of range
     */
    public long ts(int row) {
        return ts[Objects.checkIndex(row, ts.length)];
    }

    /**
     * The open time of the newest row's candle. Its values are known only from
     * {@link #availableAt()}, when that candle has closed.
     *
     * @return the open time of row W - 1
     * @throws IllegalStateException when the window has no rows
     */
    public Instant lastOpenTime() {
        return Instant.ofEpochMilli(lastTs());
    }

    /**
     * When the newest row's candle closed, so that the whole window is known: its
     * {@code available_at}, the last open time plus the timeframe
     * ({@link Timeframe#availableAt(long)}).
     *
     * @return the close time of the newest row's candle
     * @throws IllegalStateException when the window has no rows or no timeframe
     */
    public Instant availableAt() {
        if (timeframe == null) {
            throw new IllegalStateException("window " + this + " has no timeframe, so no close time");
        }
        return Instant.ofEpochMilli(timeframe.availableAt(lastTs()));
    }

    private long lastTs() {
        if (ts.length == 0) {
            throw new IllegalStateException("window of " + secid + " has no rows");
        }
        return ts[ts.length - 1];
    }

    /** {@return a copy of the W row timestamps (candle open times, epoch ms UTC), oldest first} */
    public long[] timestamps() {
        return ts.clone();
    }

    /** {@return a copy as {@code double[W][F]}, row 0 the oldest} */
    public double[][] toArray() {
        int f = featureNames.size();
        double[][] out = new double[ts.length][];
        for (int r = 0; r < ts.length; r++) {
            out[r] = Arrays.copyOfRange(values, r * f, (r + 1) * f);
        }
        return out;
    }

    /**
     * {@return a copy of the values, row-major (W x F): row {@code r}, feature {@code f} at
     * {@code r * F + f}}
     */
    public double[] toFlatArray() {
        return values.clone();
    }

    /**
     * The values as floats, row-major (W x F), for frameworks that train in single precision:
     * each the {@code double} value rounded to the nearest {@code float} ({@code (float) v}), NaN
     * kept. Filled straight from the window's values.
     *
     * @return W x F floats, row-major like {@link #toFlatArray()}
     */
    public float[] toFlatFloatArray() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    @Override
    public String toString() {
        String times = "";
        if (ts.length > 0) {
            times = ", last bar opened " + lastOpenTime() + (timeframe == null ? "" : ", available " + availableAt());
        }
        return "FeatureWindow[" + secid + ", " + featureSet + ", " + (timeframe == null ? "any spacing" : timeframe)
                + ", " + ts.length + " x " + featureNames.size() + times + "]";
    }
}
