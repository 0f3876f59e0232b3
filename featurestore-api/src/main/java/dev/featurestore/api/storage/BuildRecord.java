package dev.featurestore.api.storage;

import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.Objects;

/**
 * One build of a (secid, timeframe, feature set), as kept in {@code feature_windows}: the range of
 * candle times built, where the stored history started (recursive features depend on it), the
 * rows written, the window size, when it ran and how it ended.
 *
 * @param fromTs start of the range of candle open times built, epoch ms UTC (inclusive)
 * @param toTs end of that range, epoch ms UTC (exclusive: the range is {@code fromTs <= ts < toTs};
 *     a build over the whole history ends at the close of its last candle)
 * @param historyStartTs open time of the first stored candle the computation started from
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

    /** This build as failed at {@code finishedAt}: no rows kept, everything else as it was. */
    public BuildRecord failed(Instant finishedAt) {
        return new BuildRecord(featureSet, timeframe, secid, fromTs, toTs, historyStartTs, 0, windowSize, startedAt,
                finishedAt, Status.FAILED, fingerprint);
    }
}
