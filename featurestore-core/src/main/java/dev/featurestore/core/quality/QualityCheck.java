package dev.featurestore.core.quality;

/**
 * The checks of a data-quality report. Each measures one number per run (worst over secids, or a
 * total) where higher is worse, compared with the {@link Threshold} of the registry's
 * {@code quality.checks.<key>}.
 */
public enum QualityCheck {
    /** Secids that have candles or were asked for but ended with no clean feature row. */
    ROW_COUNT("row_count", "secids without any clean feature row"),
    /** The largest fraction, over secids, of expected session candles that are missing. */
    MISSING_CANDLES("missing_candles", "largest fraction of expected session candles missing (0..1)"),
    /** Raw input rows that repeated a timestamp already read (all secids). */
    DUPLICATES("duplicates", "raw rows repeating a timestamp"),
    /** Raw input rows earlier than the row read just before them (all secids). */
    OUT_OF_ORDER("out_of_order", "raw rows out of time order"),
    /** NaN or infinite values in the clean feature rows (all features and secids). */
    NON_FINITE("non_finite", "NaN or infinite feature values in clean rows"),
    /** Finite feature values outside their feature's valid range. */
    OUT_OF_RANGE("out_of_range", "feature values outside their valid range"),
    /** Seconds from the last candle's availability (open time + timeframe) to now, for the stalest secid. */
    STALENESS("staleness", "seconds since the last candle became available (stalest secid)"),
    /** The largest shift of a feature's mean since the previous report, in units of the previous standard deviation. */
    DRIFT_MEAN_SHIFT("drift_mean_shift", "largest |mean - previous mean| / previous std over features"),
    /** The largest population stability index of a feature against the previous report's percentiles. */
    DRIFT_PSI("drift_psi", "largest population stability index over features");

    private final String key;
    private final String description;

    QualityCheck(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** {@return the name in the registry and the report, e.g. {@code missing_candles}} */
    public String key() {
        return key;
    }

    /** {@return what the measured value is, in words, with its unit where it has one} */
    public String description() {
        return description;
    }

    /**
     * The check of a key.
     *
     * @param key a key as {@link #key()} spells it, e.g. {@code drift_psi}
     * @return the check, or null when no check has the key
     */
    public static QualityCheck ofKey(String key) {
        for (QualityCheck c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        return null;
    }
}
