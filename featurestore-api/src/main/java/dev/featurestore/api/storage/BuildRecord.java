package dev.featurestore.api.storage;

import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.Objects;

/**
 * One build of a (secid, timeframe, feature set), as kept in {@code feature_windows}: the range of
 * candle times built, where the stored history started (recursive features depend on it), the
 * rows written, the window size, when it ran and how it ended.
 *
 * @param featureSet the feature set built, e.g. {@code tech_v2}
 * @param timeframe the timeframe built
 * @param secid the instrument built
 * @param fromTs start of the range of candle open times built, epoch ms UTC (inclusive)
 * @param toTs end of that range, epoch ms UTC (exclusive: the range is {@code fromTs <= ts < toTs};
 *     a build over the whole history ends at the close of its last candle)
 * @param historyStartTs open time of the first stored candle the computation started from,
 *     epoch ms UTC
 * @param rows the feature rows written (0 for a failed build)
 * @param windowSize the window size of the feature set when it was built, in rows
 * @param startedAt when the build started
 * @param finishedAt when the build ended, committed or failed; null while it runs
 * @param status how the build ended
 * @param fingerprint the feature set's fingerprint when it was built (64 lower-case hex digits,
 *     see {@code FeatureRegistry.fingerprint}); null only for builds recorded before fingerprints
 *     were kept
 */
public record BuildRecord(String featureSet, Timeframe timeframe, String secid, long fromTs, long toTs,
        long historyStartTs, long rows, int windowSize, Instant startedAt, Instant finishedAt, Status status,
        String fingerprint) {

    /** How a build ended. */
    public enum Status {
        /** Every value was written and committed. */
        COMPLETED,
        /** The build failed; none of its values were kept. */
        FAILED
    }

    /**
     * Checks the fields.
     *
     * @param featureSet the feature set built, e.g. {@code tech_v2}; not null
     * @param timeframe the timeframe built; not null
     * @param secid the instrument built; not null
     * @param fromTs start of the range of candle open times built, epoch ms UTC, inclusive
     * @param toTs end of that range, epoch ms UTC, exclusive
     * @param historyStartTs open time of the first stored candle the computation started from,
     *     epoch ms UTC
     * @param rows the feature rows written
     * @param windowSize the window size of the feature set when it was built, in rows
     * @param startedAt when the build started; not null
     * @param finishedAt when the build ended, or null while it runs
     * @param status how the build ended; not null
     * @param fingerprint the feature set's fingerprint, 64 lower-case hex digits, or null for a
     *     build recorded before fingerprints were kept
     * @throws NullPointerException when the feature set, timeframe, secid, start time or status is null
     * @throws IllegalArgumentException when the fingerprint is neither null nor 64 lower-case hex digits
     */
    public BuildRecord {
        Objects.requireNonNull(featureSet, "featureSet");
        Objects.requireNonNull(timeframe, "timeframe");
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(status, "status");
        if (fingerprint != null && !fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint must be null or 64 lower-case hex digits, got '"
                    + fingerprint + "'");
        }
    }

    /**
     * {@return this build as failed at {@code finishedAt}: status {@link Status#FAILED}, no rows
     * kept, everything else as it was}
     *
     * @param finishedAt when the build failed
     */
    public BuildRecord failed(Instant finishedAt) {
        return new BuildRecord(featureSet, timeframe, secid, fromTs, toTs, historyStartTs, 0, windowSize, startedAt,
                finishedAt, Status.FAILED, fingerprint);
    }

    /**
     * Whether this record continues {@code earlier}: rows written later by the same stored stream,
     * which a storage records by extending {@code earlier} ({@link FeatureStorage#writeStreamRows}).
     * True when both are completed builds of the same series with the same start time (to the
     * millisecond, as storages keep it), history
     * start, window size and fingerprint, and this one's range starts at or after the end of
     * {@code earlier}'s.
     *
     * @param earlier a recorded build
     * @return true when this record's rows extend {@code earlier}
     */
    public boolean continues(BuildRecord earlier) {
        return status == Status.COMPLETED && earlier.status == Status.COMPLETED && featureSet.equals(earlier.featureSet)
                && timeframe.equals(earlier.timeframe) && secid.equals(earlier.secid)
                && startedAt.toEpochMilli() == earlier.startedAt.toEpochMilli() && historyStartTs == earlier.historyStartTs
                && windowSize == earlier.windowSize && Objects.equals(fingerprint, earlier.fingerprint)
                && fromTs >= earlier.toTs;
    }
}
