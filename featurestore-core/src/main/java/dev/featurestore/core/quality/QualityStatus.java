package dev.featurestore.core.quality;

import java.util.Locale;

/**
 * The outcome of one data-quality check, in order of severity: {@code OK}, {@code WARN},
 * {@code FAIL}; {@code SKIPPED} when the check could not be made (drift without a previous report,
 * duplicates without input counts). Written in lower case in the JSON report.
 */
public enum QualityStatus {
    /** Within the thresholds, or no threshold set. */
    OK,
    /** At or above the warn threshold. */
    WARN,
    /** At or above the fail threshold. */
    FAIL,
    /** Not measured: the inputs it needs were not given. */
    SKIPPED;

    /** {@return the lower-case name used in the report, e.g. {@code warn}} */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status of a name as {@link #jsonName()} writes it.
     *
     * @param name a status name, e.g. {@code fail}; matched ignoring case
     * @return the status
     * @throws IllegalArgumentException when no status has the name
     */
    public static QualityStatus ofJsonName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /**
     * The more severe of two statuses (SKIPPED counts as OK).
     *
     * @param a one status
     * @param b the other status
     * @return {@code FAIL}, {@code WARN} or {@code OK}: never {@code SKIPPED}, which gives {@code OK}
     */
    public static QualityStatus worst(QualityStatus a, QualityStatus b) {
        int ra = a == SKIPPED ? 0 : a.ordinal();
        int rb = b == SKIPPED ? 0 : b.ordinal();
        return ra >= rb ? (ra == 0 ? OK : a) : b;
    }
}
