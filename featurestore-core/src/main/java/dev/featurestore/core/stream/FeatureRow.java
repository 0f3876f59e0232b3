package dev.featurestore.core.stream;

import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of features, as a stream emits it when a candle of its timeframe closes (or would
 * have, for {@link FeatureStream#peek}): the candle's open time and one value per feature of the
 * set, in the set's order, NaN where a feature is not defined yet.
 *
 * <p>Immutable: the values are copied in and copied out.
 */
public final class FeatureRow {
    private final String secid;
    private final String featureSet;
    private final Timeframe timeframe;
    private final List<String> featureNames;
    private final long ts;
    private final long availableAt;
    private final double[] values;

    FeatureRow(String secid, String featureSet, Timeframe timeframe, List<String> featureNames, long ts,
            long availableAt, double[] values) {
        this.secid = Objects.requireNonNull(secid, "secid");
        this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
        this.timeframe = timeframe;
        this.featureNames = featureNames;
        this.ts = ts;
        this.availableAt = availableAt;
        this.values = values.clone();
    }

    /** {@return the instrument, e.g. {@code SBER}} */
    public String secid() {
        return secid;
    }

    /** {@return the feature set, e.g. {@code tech_v2}} */
    public String featureSet() {
        return featureSet;
    }

    /** {@return the row's timeframe, empty for a stream of candles of any spacing} */
    public Optional<Timeframe> timeframe() {
        return Optional.ofNullable(timeframe);
    }

    /** {@return the feature names, in the order of {@link #value(int)}} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return the open time of the row's candle, epoch milliseconds UTC} */
    public long ts() {
        return ts;
    }

    /** {@return the open time of the row's candle} */
    public Instant openTime() {
        return Instant.ofEpochMilli(ts);
    }

    /**
     * When the row is known: its candle's end ({@code ts + timeframe}, the next trading day's start
     * for {@code 1d}).
     *
     * @return the row's {@code available_at}
     * @throws IllegalStateException for a row without a timeframe
     */
    public Instant availableAt() {
        if (timeframe == null) {
            throw new IllegalStateException("row of " + secid + " at " + openTime()
                    + " has no timeframe, so no available_at");
        }
        return Instant.ofEpochMilli(availableAt);
    }

    /** {@return the number of features} */
    public int size() {
        return values.length;
    }

    /**
     * The value of one feature.
     *
     * @param feature the feature's index in {@link #featureNames()}
     * @return its value, NaN when undefined on this row
     * @throws IndexOutOfBoundsException when there is no such feature
     */
    public double value(int feature) {
        Objects.checkIndex(feature, values.length);
        return values[feature];
    }

    /**
     * The value of one feature.
     *
     * @param feature the feature's name, e.g. {@code rsi_14}
     * @return its value, NaN when undefined on this row
     * @throws IllegalArgumentException when the set has no such feature
     */
    public double value(String feature) {
        int i = featureNames.indexOf(feature);
        if (i < 0) {
            throw new IllegalArgumentException("feature set '" + featureSet + "' has no feature '" + feature
                    + "'; its features are " + featureNames);
        }
        return values[i];
    }

    /** {@return a copy of the values, in feature order} */
    public double[] values() {
        return values.clone();
    }

    /**
     * This row with other values: the same instrument, set, features and times, for values derived
     * from these (a fitted normalization's, for instance).
     *
     * @param values one value per feature, in feature order; copied
     * @return a new row
     * @throws IllegalArgumentException when the count of values is not the count of features
     */
    public FeatureRow withValues(double[] values) {
        if (values.length != this.values.length) {
            throw new IllegalArgumentException("a row of " + featureSet + " has " + this.values.length + " values, got "
                    + values.length);
        }
        return new FeatureRow(secid, featureSet, timeframe, featureNames, ts, availableAt, values);
    }

    /** {@return whether every feature is defined on this row (a clean row, which windows use)} */
    public boolean isClean() {
        for (double x : values) {
            if (Double.isNaN(x)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "FeatureRow[" + secid + ", " + featureSet + (timeframe == null ? "" : ", " + timeframe) + ", "
                + openTime() + ", " + Arrays.toString(values) + "]";
    }
}
