package dev.featurestore.api.snapshot;

import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the snapshot audit log ({@code train_data_snapshots}): which secid of which feature
 * set and timeframe went into which file, how many rows, the time range, and the SHA-256 of the
 * whole file, so a training run can name exactly the data it used.
 *
 * @param secid the instrument whose rows the file holds
 * @param timeframe the timeframe of the rows
 * @param featureSet the feature set of the values, e.g. {@code tech_v2}
 * @param rowsCount the rows of this secid in the file, 0 or more
 * @param path the snapshot file, as the exporter was given its directory (relative stays relative)
 * @param format the format name, e.g. {@code parquet}
 * @param sha256 the file's SHA-256, 64 lower-case hex digits
 * @param minTs first row's candle open time, epoch ms UTC
 * @param maxTs last row's candle open time, epoch ms UTC
 * @param historyStartTs open time of the first candle the computation started from, epoch ms UTC
 * @param createdAt when the file was written
 * @param libraryVersion the featurestore version that wrote the file
 * @param replacedSha256 when this export replaced, on request (overwrite), a snapshot file of
 *     different content at the same path: that file's SHA-256; null for an ordinary export
 * @param fingerprint the feature set's fingerprint the exported values were built with (64
 *     lower-case hex digits, as in the file's metadata); null for rows recorded before
 *     fingerprints were kept and for values built before then
 * @param dataset for a split file of a training dataset: its split, label, normalization and
 *     dataset fingerprint; null for a feature snapshot
 */
public record SnapshotRecord(String secid, Timeframe timeframe, String featureSet, long rowsCount, String path,
        String format, String sha256, long minTs, long maxTs, long historyStartTs, Instant createdAt,
        String libraryVersion, String replacedSha256, String fingerprint, DatasetInfo dataset) {

    /**
     * A record of a feature snapshot (no dataset split).
     *
     * @param secid the instrument whose rows the file holds; not null
     * @param timeframe the timeframe of the rows; not null
     * @param featureSet the feature set of the values, e.g. {@code tech_v2}; not null
     * @param rowsCount the rows of this secid in the file, 0 or more
     * @param path the snapshot file, as the exporter was given its directory; not null
     * @param format the format name, e.g. {@code parquet}; not null
     * @param sha256 the file's SHA-256, 64 lower-case hex digits
     * @param minTs first row's candle open time, epoch ms UTC
     * @param maxTs last row's candle open time, epoch ms UTC
     * @param historyStartTs open time of the first candle the computation started from, epoch ms
     *     UTC
     * @param createdAt when the file was written; not null
     * @param libraryVersion the featurestore version that wrote the file; not null
     * @param replacedSha256 the SHA-256 of the file of different content this export replaced on
     *     request, or null for an ordinary export
     * @param fingerprint the feature set's fingerprint the values were built with, 64 lower-case
     *     hex digits, or null when unknown
     * @throws NullPointerException as the canonical constructor does
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public SnapshotRecord(String secid, Timeframe timeframe, String featureSet, long rowsCount, String path,
            String format, String sha256, long minTs, long maxTs, long historyStartTs, Instant createdAt,
            String libraryVersion, String replacedSha256, String fingerprint) {
        this(secid, timeframe, featureSet, rowsCount, path, format, sha256, minTs, maxTs, historyStartTs, createdAt,
                libraryVersion, replacedSha256, fingerprint, null);
    }

    /**
     * A record of an ordinary export, one that replaced no other file, without a fingerprint.
     *
     * @param secid the instrument whose rows the file holds; not null
     * @param timeframe the timeframe of the rows; not null
     * @param featureSet the feature set of the values, e.g. {@code tech_v2}; not null
     * @param rowsCount the rows of this secid in the file, 0 or more
     * @param path the snapshot file, as the exporter was given its directory; not null
     * @param format the format name, e.g. {@code parquet}; not null
     * @param sha256 the file's SHA-256, 64 lower-case hex digits
     * @param minTs first row's candle open time, epoch ms UTC
     * @param maxTs last row's candle open time, epoch ms UTC
     * @param historyStartTs open time of the first candle the computation started from, epoch ms
     *     UTC
     * @param createdAt when the file was written; not null
     * @param libraryVersion the featurestore version that wrote the file; not null
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public SnapshotRecord(String secid, Timeframe timeframe, String featureSet, long rowsCount, String path,
            String format, String sha256, long minTs, long maxTs, long historyStartTs, Instant createdAt,
            String libraryVersion) {
        this(secid, timeframe, featureSet, rowsCount, path, format, sha256, minTs, maxTs, historyStartTs, createdAt,
                libraryVersion, null, null, null);
    }

    /**
     * Checks the fields.
     *
     * @param secid the instrument whose rows the file holds; not null
     * @param timeframe the timeframe of the rows; not null
     * @param featureSet the feature set of the values, e.g. {@code tech_v2}; not null
     * @param rowsCount the rows of this secid in the file, 0 or more
     * @param path the snapshot file, as the exporter was given its directory; not null
     * @param format the format name, e.g. {@code parquet}; not null
     * @param sha256 the file's SHA-256, 64 lower-case hex digits
     * @param minTs first row's candle open time, epoch ms UTC
     * @param maxTs last row's candle open time, epoch ms UTC
     * @param historyStartTs open time of the first candle the computation started from, epoch ms
     *     UTC
     * @param createdAt when the file was written; not null
     * @param libraryVersion the featurestore version that wrote the file; not null
     * @param replacedSha256 the SHA-256 of the file of different content this export replaced on
     *     request, or null for an ordinary export
     * @param fingerprint the feature set's fingerprint the values were built with, 64 lower-case
     *     hex digits, or null when unknown
     * @param dataset the dataset split's details, or null for a feature snapshot
     * @throws NullPointerException when a field other than the replaced hash, the fingerprint and
     *     the dataset is null
     * @throws IllegalArgumentException when a hash is not 64 lower-case hex digits or the row count is
     *     negative
     */
    public SnapshotRecord {
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(timeframe, "timeframe");
        Objects.requireNonNull(featureSet, "featureSet");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
        }
        if (replacedSha256 != null && !replacedSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "replacedSha256 must be null or 64 lower-case hex digits, got '" + replacedSha256 + "'");
        }
        if (fingerprint != null && !fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint must be null or 64 lower-case hex digits, got '"
                    + fingerprint + "'");
        }
        if (rowsCount < 0) {
            throw new IllegalArgumentException("rowsCount must be >= 0, got " + rowsCount);
        }
    }

    /** {@return true when this export replaced a snapshot file of different content on request} */
    public boolean replaced() {
        return replacedSha256 != null;
    }

    /**
     * {@return this record with {@code historyStartTs} set}
     *
     * @param historyStartTs open time of the first candle the computation started from, epoch ms
     *     UTC
     */
    public SnapshotRecord withHistoryStart(long historyStartTs) {
        return new SnapshotRecord(secid, timeframe, featureSet, rowsCount, path, format, sha256, minTs, maxTs,
                historyStartTs, createdAt, libraryVersion, replacedSha256, fingerprint, dataset);
    }

    /**
     * {@return this record with {@code replacedSha256} set}
     *
     * @param replacedSha256 the SHA-256 of the replaced file, 64 lower-case hex digits, or null for
     *     none
     * @throws IllegalArgumentException when the hash is not null and not 64 lower-case hex digits
     */
    public SnapshotRecord withReplacedSha256(String replacedSha256) {
        return new SnapshotRecord(secid, timeframe, featureSet, rowsCount, path, format, sha256, minTs, maxTs,
                historyStartTs, createdAt, libraryVersion, replacedSha256, fingerprint, dataset);
    }

    /**
     * {@return this record with {@code fingerprint} set}
     *
     * @param fingerprint the feature set's fingerprint, 64 lower-case hex digits, or null for none
     * @throws IllegalArgumentException when the fingerprint is not null and not 64 lower-case hex
     *     digits
     */
    public SnapshotRecord withFingerprint(String fingerprint) {
        return new SnapshotRecord(secid, timeframe, featureSet, rowsCount, path, format, sha256, minTs, maxTs,
                historyStartTs, createdAt, libraryVersion, replacedSha256, fingerprint, dataset);
    }

    /**
     * {@return this record with {@code dataset} set}
     *
     * @param dataset the dataset split's details, or null for a feature snapshot
     */
    public SnapshotRecord withDataset(DatasetInfo dataset) {
        return new SnapshotRecord(secid, timeframe, featureSet, rowsCount, path, format, sha256, minTs, maxTs,
                historyStartTs, createdAt, libraryVersion, replacedSha256, fingerprint, dataset);
    }
}
