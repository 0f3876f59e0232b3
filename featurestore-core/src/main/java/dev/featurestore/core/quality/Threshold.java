package dev.featurestore.core.quality;

/**
 * When a check warns or fails: at or above {@code warn}, at or above {@code fail} (either may be
 * null for never), and whether a failure is blocking (a run with a blocking failure must not be
 * used; the command line exits with code 1).
 *
 * @param warn the value from which the check warns, or null
 * @param fail the value from which the check fails, or null
 * @param blocking whether a failure of this check blocks the run
 */
public record Threshold(Double warn, Double fail, boolean blocking) {
    /**
     * Checks the bounds.
     *
     * @param warn the value from which the check warns, or null
     * @param fail the value from which the check fails, or null
     * @param blocking whether a failure of this check blocks the run
     * @throws IllegalArgumentException when a bound is not finite, or {@code warn} is above {@code fail}
     */
    public Threshold {
        if (warn != null && !Double.isFinite(warn) || fail != null && !Double.isFinite(fail)) {
            throw new IllegalArgumentException("thresholds must be finite numbers, got warn=" + warn + ", fail=" + fail);
        }
        if (warn != null && fail != null && warn > fail) {
            throw new IllegalArgumentException("warn threshold " + warn + " is above the fail threshold " + fail);
        }
    }

    /** {@return a threshold that never warns nor fails, not blocking: the value is only reported} */
    public static Threshold reportOnly() {
        return new Threshold(null, null, false);
    }

    /**
     * The status of a measured value.
     *
     * @param value the check's measured value, or null when it was not measured
     * @return {@code FAIL} at or above {@code fail}, else {@code WARN} at or above {@code warn},
     *     else {@code OK} (also for a null value)
     */
    public QualityStatus statusOf(Double value) {
        if (value == null) {
            return QualityStatus.OK;
        }
        if (fail != null && value >= fail) {
            return QualityStatus.FAIL;
        }
        if (warn != null && value >= warn) {
            return QualityStatus.WARN;
        }
        return QualityStatus.OK;
    }
}
