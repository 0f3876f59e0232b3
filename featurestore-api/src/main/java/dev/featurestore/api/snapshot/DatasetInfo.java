package dev.featurestore.api.snapshot;

import java.util.Objects;

/**
 * What an audit row of a training dataset's split file records beyond a feature snapshot's: the
 * split and its range, the label definitions, the normalization fitted on the training split (its
 * id, SHA-256 and statistics as JSON, so it can be loaded by id) and the dataset's fingerprint.
 *
 * @param split the split's name, e.g. {@code train}
 * @param splitFromTs the split range's first candle open time, epoch ms UTC, included
 * @param splitToTs the open time where the split range ends, epoch ms UTC, excluded
 * @param labels the label definitions, one per line as {@code name = kind(h=..)}, e.g. {@code
 *     fwd_ret_12 = forward_return(h=12)}
 * @param normalizationId the fitted normalization's id, or null for raw values
 * @param normalizationSha256 the fitted normalization's SHA-256, or null for raw values
 * @param normalizationJson the fitted normalization's statistics as JSON, or null for raw values
 * @param datasetFingerprint the dataset's fingerprint, 64 lower-case hex digits
 */
public record DatasetInfo(String split, long splitFromTs, long splitToTs, String labels, String normalizationId,
        String normalizationSha256, String normalizationJson, String datasetFingerprint) {

    /**
     * Checks the fields.
     *
     * @param split the split's name; not null
     * @param splitFromTs the split's first open time, epoch ms UTC
     * @param splitToTs the split's end, epoch ms UTC, after {@code splitFromTs}
     * @param labels the label definitions; not null
     * @param normalizationId the normalization's id, or null
     * @param normalizationSha256 the normalization's SHA-256, or null (null exactly when the id is)
     * @param normalizationJson the normalization's JSON, or null (null exactly when the id is)
     * @param datasetFingerprint the dataset's fingerprint, 64 lower-case hex digits
     * @throws NullPointerException when the split, labels or fingerprint is null
     * @throws IllegalArgumentException when the range is empty, a hash is not 64 lower-case hex
     *     digits, or the normalization is given in part
     */
    public DatasetInfo {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(datasetFingerprint, "datasetFingerprint");
        if (splitFromTs >= splitToTs) {
            throw new IllegalArgumentException("split range [" + splitFromTs + ", " + splitToTs + ") is empty");
        }
        if (!datasetFingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("datasetFingerprint must be 64 lower-case hex digits, got '"
                    + datasetFingerprint + "'");
        }
        boolean id = normalizationId != null;
        if (id != (normalizationSha256 != null) || id != (normalizationJson != null)) {
            throw new IllegalArgumentException("give the normalization's id, SHA-256 and JSON together, or none");
        }
        if (normalizationSha256 != null && !normalizationSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("normalizationSha256 must be 64 lower-case hex digits, got '"
                    + normalizationSha256 + "'");
        }
    }

    /** {@return true when the split's features were normalized} */
    public boolean normalized() {
        return normalizationId != null;
    }
}
