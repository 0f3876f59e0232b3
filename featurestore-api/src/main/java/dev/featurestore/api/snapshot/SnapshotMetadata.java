package dev.featurestore.api.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.Timeframe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a snapshot file says about itself, stored as key-value metadata in the file (Parquet
 * footer, Arrow schema metadata) so that a reader without featurestore still finds it: the feature
 * set, the timeframe, the features with their kinds in column order, the library version that
 * wrote it, where the computation's candle history started, the range of source candles, and the
 * feature set's fingerprint the values were built with (key {@value #KEY_FINGERPRINT}, absent when
 * the values were built before fingerprints were kept).
 *
 * <p>No wall-clock time is kept here, so equal content gives equal files.
 *
 * @param featureSet the feature set the values belong to, e.g. {@code tech_v2}
 * @param timeframe the timeframe of every row
 * @param features the feature names in column order, at least one
 * @param kinds the kind of each feature, in column order
 * @param libraryVersion the featurestore version that wrote the file
 * @param historyStartTs open time of the first stored candle the features were computed from,
 *     epoch ms UTC (recursive features such as EMA depend on it)
 * @param sourceFromTs open time of the first source candle, epoch ms UTC
 * @param sourceToTs open time of the last source candle, epoch ms UTC
 * @param fingerprint the feature set's fingerprint (64 lower-case hex digits, see
 *     {@code FeatureRegistry.fingerprint}) recorded with the builds of the exported values; null
 *     when they were built before fingerprints were kept
 * @param extra further pairs written after the ones above, each key starting with {@value
 *     #EXTRA_PREFIX} (a training dataset's split, labels and normalization); empty for a feature
 *     snapshot
 */
public record SnapshotMetadata(String featureSet, Timeframe timeframe, List<String> features,
        List<FeatureKind> kinds, String libraryVersion, long historyStartTs, long sourceFromTs, long sourceToTs,
        String fingerprint, Map<String, String> extra) {

    /** The prefix of every key of {@link #extra()}. */
    public static final String EXTRA_PREFIX = "dataset.";

    /** Metadata key of the feature set name. */
    public static final String KEY_FEATURE_SET = "feature_set";
    /** Metadata key of the timeframe, e.g. {@code 5m}. */
    public static final String KEY_TIMEFRAME = "timeframe";
    /** Metadata key of the comma-separated feature names in column order. */
    public static final String KEY_FEATURES = "features";
    /** Metadata key of the comma-separated kinds ({@code numeric}, {@code categorical}). */
    public static final String KEY_FEATURE_KINDS = "feature_kinds";
    /** Metadata key of the library version. */
    public static final String KEY_LIBRARY_VERSION = "library_version";
    /** Metadata key of the history start, epoch ms UTC. */
    public static final String KEY_HISTORY_START = "history_start";
    /** Metadata key of the first source candle's open time, epoch ms UTC. */
    public static final String KEY_SOURCE_FROM = "source_candles_from";
    /** Metadata key of the last source candle's open time, epoch ms UTC. */
    public static final String KEY_SOURCE_TO = "source_candles_to";
    /** Metadata key of the feature set's fingerprint, 64 lower-case hex digits (left out when unknown). */
    public static final String KEY_FINGERPRINT = "feature_set_fingerprint";

    /**
     * Metadata without a fingerprint, for values built before fingerprints were kept.
     *
     * @param featureSet the feature set the values belong to, e.g. {@code tech_v2}; not null
     * @param timeframe the timeframe of every row; not null
     * @param features the feature names in column order, at least one; none empty, holding a
     *     comma, or named {@code secid} or {@code ts}
     * @param kinds the kind of each feature, in column order, one per feature
     * @param libraryVersion the featurestore version that writes the file; not null
     * @param historyStartTs open time of the first stored candle the features were computed from,
     *     epoch ms UTC
     * @param sourceFromTs open time of the first source candle, epoch ms UTC
     * @param sourceToTs open time of the last source candle, epoch ms UTC, not before
     *     {@code sourceFromTs}
     * @throws NullPointerException when the feature set, timeframe or library version is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public SnapshotMetadata(String featureSet, Timeframe timeframe, List<String> features, List<FeatureKind> kinds,
            String libraryVersion, long historyStartTs, long sourceFromTs, long sourceToTs) {
        this(featureSet, timeframe, features, kinds, libraryVersion, historyStartTs, sourceFromTs, sourceToTs, null);
    }

    /**
     * Metadata of a feature snapshot, without further pairs.
     *
     * @param featureSet the feature set the values belong to, e.g. {@code tech_v2}; not null
     * @param timeframe the timeframe of every row; not null
     * @param features the feature names in column order, at least one; none empty, holding a
     *     comma, or named {@code secid} or {@code ts}
     * @param kinds the kind of each feature, in column order, one per feature
     * @param libraryVersion the featurestore version that writes the file; not null
     * @param historyStartTs open time of the first stored candle the features were computed from,
     *     epoch ms UTC
     * @param sourceFromTs open time of the first source candle, epoch ms UTC
     * @param sourceToTs open time of the last source candle, epoch ms UTC, not before
     *     {@code sourceFromTs}
     * @param fingerprint the feature set's fingerprint, 64 lower-case hex digits, or null
     * @throws NullPointerException when the feature set, timeframe or library version is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public SnapshotMetadata(String featureSet, Timeframe timeframe, List<String> features, List<FeatureKind> kinds,
            String libraryVersion, long historyStartTs, long sourceFromTs, long sourceToTs, String fingerprint) {
        this(featureSet, timeframe, features, kinds, libraryVersion, historyStartTs, sourceFromTs, sourceToTs,
                fingerprint, Map.of());
    }

    /**
     * Checks and copies the fields.
     *
     * @param featureSet the feature set the values belong to, e.g. {@code tech_v2}; not null
     * @param timeframe the timeframe of every row; not null
     * @param features the feature names in column order, at least one; none empty, holding a
     *     comma, or named {@code secid} or {@code ts}
     * @param kinds the kind of each feature, in column order, one per feature
     * @param libraryVersion the featurestore version that writes the file; not null
     * @param historyStartTs open time of the first stored candle the features were computed from,
     *     epoch ms UTC
     * @param sourceFromTs open time of the first source candle, epoch ms UTC
     * @param sourceToTs open time of the last source candle, epoch ms UTC, not before
     *     {@code sourceFromTs}
     * @param fingerprint the feature set's fingerprint, 64 lower-case hex digits, or null when the
     *     values were built before fingerprints were kept
     * @param extra further pairs, keys starting with {@value #EXTRA_PREFIX}; null reads as none
     * @throws NullPointerException when the feature set, timeframe or library version is null
     * @throws IllegalArgumentException when there are no features, not one kind per feature, a
     *     feature name that is empty, holds a comma or is {@code secid} or {@code ts}, a reversed
     *     source range, or a fingerprint that is not 64 lower-case hex digits
     */
    public SnapshotMetadata {
        Objects.requireNonNull(featureSet, "featureSet");
        Objects.requireNonNull(timeframe, "timeframe");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        features = List.copyOf(features);
        kinds = List.copyOf(kinds);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a snapshot needs at least one feature");
        }
        if (features.size() != kinds.size()) {
            throw new IllegalArgumentException(
                    features.size() + " features but " + kinds.size() + " kinds; give one kind per feature");
        }
        for (String f : features) {
            if (f.isEmpty() || f.indexOf(',') >= 0 || f.equals("secid") || f.equals("ts")) {
                throw new IllegalArgumentException("bad feature name '" + f
                        + "' for a snapshot: it must be non-empty, without ',' and not 'secid' or 'ts'");
            }
        }
        if (sourceFromTs > sourceToTs) {
            throw new IllegalArgumentException(
                    "source candle range is reversed: from " + sourceFromTs + " > to " + sourceToTs);
        }
        if (fingerprint != null && !fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint must be null or 64 lower-case hex digits, got '"
                    + fingerprint + "'");
        }
        Map<String, String> sorted = new java.util.TreeMap<>(extra == null ? Map.of() : extra);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!e.getKey().startsWith(EXTRA_PREFIX) || e.getValue() == null) {
                throw new IllegalArgumentException("extra metadata key '" + e.getKey() + "' must start with '"
                        + EXTRA_PREFIX + "' and have a value");
            }
        }
        extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    /**
     * Metadata describing the given frames' feature set, timeframe and features, without a
     * fingerprint.
     *
     * @param like a frame of the snapshot, whose feature set, timeframe, feature names and kinds
     *     are taken; it must have a timeframe
     * @param libraryVersion the featurestore version that writes the file; not null
     * @param historyStartTs open time of the first stored candle the features were computed from,
     *     epoch ms UTC
     * @param sourceFromTs open time of the first source candle, epoch ms UTC
     * @param sourceToTs open time of the last source candle, epoch ms UTC, not before
     *     {@code sourceFromTs}
     * @return the metadata
     * @throws IllegalArgumentException when {@code like} has no timeframe, or as the canonical
     *     constructor does
     */
    public static SnapshotMetadata of(FeatureFrame like, String libraryVersion, long historyStartTs,
            long sourceFromTs, long sourceToTs) {
        Timeframe tf = like.timeframe().orElseThrow(() -> new IllegalArgumentException(
                "frame " + like + " has no timeframe; snapshots are of one timeframe"));
        return new SnapshotMetadata(like.featureSet(), tf, like.featureNames(), like.kinds(), libraryVersion,
                historyStartTs, sourceFromTs, sourceToTs);
    }

    /**
     * {@return this metadata with {@code fingerprint} set}
     *
     * @param fingerprint the feature set's fingerprint, 64 lower-case hex digits, or null for none
     * @throws IllegalArgumentException when {@code fingerprint} is not null and not 64 lower-case
     *     hex digits
     */
    public SnapshotMetadata withFingerprint(String fingerprint) {
        return new SnapshotMetadata(featureSet, timeframe, features, kinds, libraryVersion, historyStartTs,
                sourceFromTs, sourceToTs, fingerprint, extra);
    }

    /**
     * {@return this metadata with these further pairs instead of any before}
     *
     * @param pairs the pairs, keys starting with {@value #EXTRA_PREFIX}
     * @throws IllegalArgumentException when a key lacks the prefix or a value is null
     */
    public SnapshotMetadata withExtra(Map<String, String> pairs) {
        return new SnapshotMetadata(featureSet, timeframe, features, kinds, libraryVersion, historyStartTs,
                sourceFromTs, sourceToTs, fingerprint, pairs);
    }

    /**
     * Checks that every frame has this feature set, timeframe and feature list, and that no secid
     * repeats.
     *
     * @param frames the frames to be written with this metadata, in any number (none passes)
     * @throws IllegalArgumentException naming the first frame that differs and how
     */
    public void requireMatches(List<FeatureFrame> frames) {
        Set<String> seen = new HashSet<>();
        for (FeatureFrame f : frames) {
            if (!f.featureSet().equals(featureSet)) {
                throw new IllegalArgumentException("frame of secid '" + f.secid() + "' is of feature set '"
                        + f.featureSet() + "', the snapshot of '" + featureSet + "'");
            }
            if (!f.timeframe().map(timeframe::equals).orElse(false)) {
                throw new IllegalArgumentException("frame of secid '" + f.secid() + "' has timeframe "
                        + f.timeframe().map(Timeframe::toString).orElse("(none)") + ", the snapshot " + timeframe);
            }
            if (!f.featureNames().equals(features) || !f.kinds().equals(kinds)) {
                throw new IllegalArgumentException("frame of secid '" + f.secid() + "' has features "
                        + f.featureNames() + " " + f.kinds() + ", the snapshot " + features + " " + kinds);
            }
            if (!seen.add(f.secid())) {
                throw new IllegalArgumentException("secid '" + f.secid() + "' is given twice; one frame per secid");
            }
        }
    }

    /**
     * {@return the metadata as the key-value pairs stored in a file, in a fixed order: the
     * {@code KEY_} constants in the order they are declared, {@value #KEY_FINGERPRINT} left out
     * when there is no fingerprint, then the {@link #extra()} pairs in key order}
     */
    public Map<String, String> toKeyValues() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put(KEY_FEATURE_SET, featureSet);
        kv.put(KEY_TIMEFRAME, timeframe.toString());
        kv.put(KEY_FEATURES, String.join(",", features));
        List<String> k = new ArrayList<>(kinds.size());
        for (FeatureKind kind : kinds) {
            k.add(kind.name().toLowerCase(Locale.ROOT));
        }
        kv.put(KEY_FEATURE_KINDS, String.join(",", k));
        kv.put(KEY_LIBRARY_VERSION, libraryVersion);
        kv.put(KEY_HISTORY_START, Long.toString(historyStartTs));
        kv.put(KEY_SOURCE_FROM, Long.toString(sourceFromTs));
        kv.put(KEY_SOURCE_TO, Long.toString(sourceToTs));
        if (fingerprint != null) {
            kv.put(KEY_FINGERPRINT, fingerprint);
        }
        kv.putAll(extra);
        return kv;
    }

    /**
     * Reads the key-value pairs {@link #toKeyValues()} wrote; keys starting with {@value
     * #EXTRA_PREFIX} become {@link #extra()}, other keys are ignored, and a file
     * without {@value #KEY_FINGERPRINT} (written before fingerprints were kept) reads as a null
     * fingerprint.
     *
     * @param kv the key-value metadata read from a file
     * @param where names the file, for the error message
     * @return the metadata the pairs describe
     * @throws FeatureStoreException when a key is missing or malformed
     */
    public static SnapshotMetadata fromKeyValues(Map<String, String> kv, String where) {
        try {
            List<String> features = List.of(require(kv, KEY_FEATURES, where).split(",", -1));
            List<FeatureKind> kinds = new ArrayList<>();
            for (String k : require(kv, KEY_FEATURE_KINDS, where).split(",", -1)) {
                kinds.add(FeatureKind.valueOf(k.toUpperCase(Locale.ROOT)));
            }
            return new SnapshotMetadata(require(kv, KEY_FEATURE_SET, where),
                    Timeframe.parse(require(kv, KEY_TIMEFRAME, where)), features, kinds,
                    require(kv, KEY_LIBRARY_VERSION, where), Long.parseLong(require(kv, KEY_HISTORY_START, where)),
                    Long.parseLong(require(kv, KEY_SOURCE_FROM, where)),
                    Long.parseLong(require(kv, KEY_SOURCE_TO, where)), kv.get(KEY_FINGERPRINT), extraOf(kv));
        } catch (IllegalArgumentException e) {
            throw new FeatureStoreException(
                    "snapshot metadata of " + where + " is malformed: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> extraOf(Map<String, String> kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            if (e.getKey().startsWith(EXTRA_PREFIX)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static String require(Map<String, String> kv, String key, String where) {
        String v = kv.get(key);
        if (v == null) {
            throw new FeatureStoreException("snapshot metadata of " + where + " lacks the key '"
                    + key + "'; was the file written by featurestore?");
        }
        return v;
    }
}
