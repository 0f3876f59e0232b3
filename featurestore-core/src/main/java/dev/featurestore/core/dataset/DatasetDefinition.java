package dev.featurestore.core.dataset;

import dev.featurestore.api.Timeframe;
import dev.featurestore.core.internal.CanonicalBytes;
import dev.featurestore.core.label.LabelDefinition;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that defines a dataset apart from its data: feature set, timeframe, window, labels,
 * splits, purge, embargo, as-of time and normalization. Its {@link #fingerprint(List, String)}
 * (the label horizons included) names the dataset in snapshot metadata and the audit log.
 *
 * <p>Purge and embargo are counted in bars of the timeframe. A sample of a split is <em>purged</em>
 * when the candle {@code purge} bars after its newest window row closes after a later split's
 * range starts ({@code purge = window + horizon} by default, so no label and no window of an
 * earlier split can share a candle with a window of a later one); it is <em>embargoed</em> when the
 * candle {@code embargo} bars before its newest window row opened before an earlier split's range
 * ended (0 by default).
 *
 * @param featureSet the feature set, e.g. {@code tech_v2}
 * @param featureSetFingerprint the feature set's fingerprint, or null when unknown
 * @param timeframe the timeframe of the rows
 * @param window W, the rows per sample, 1 or more
 * @param stride one candidate sample every {@code stride} rows of each secid, counted from its
 *     first window; 1 or more (1: every window)
 * @param labels the labels of each sample, at least one, distinct names
 * @param splits the splits, at least one, distinct names, ranges not overlapping
 * @param purge the bars purged before a later split, or -1 for the default {@code window +
 *     largest horizon}
 * @param embargo the bars embargoed after an earlier split, 0 or more
 * @param asOf only labels known by this time (a label's {@code label_available_at <= asOf}), or
 *     null for all
 * @param normalization what to fit on the split named {@value Split#TRAIN}, or null for raw values
 */
public record DatasetDefinition(String featureSet, String featureSetFingerprint, Timeframe timeframe, int window,
        int stride, List<LabelDefinition> labels, List<Split> splits, int purge, int embargo, Instant asOf,
        Normalization normalization) {

    /** The version of the fingerprint's encoding. */
    public static final int VERSION = 1;

    /**
     * Checks the definition.
     *
     * @param featureSet the feature set
     * @param featureSetFingerprint the set's fingerprint, or null
     * @param timeframe the timeframe
     * @param window the rows per sample, 1 or more
     * @param stride the rows between candidate samples, 1 or more
     * @param labels the labels, at least one, distinct names
     * @param splits the splits, at least one, distinct names, not overlapping
     * @param purge the bars purged, or -1 for the default
     * @param embargo the bars embargoed, 0 or more
     * @param asOf the as-of time, or null
     * @param normalization what to fit, or null
     * @throws NullPointerException when the feature set, timeframe, labels or splits are null
     * @throws IllegalArgumentException when a part is out of range, names repeat, ranges overlap,
     *     or a normalization is asked for without a split named {@value Split#TRAIN}
     */
    public DatasetDefinition {
        Objects.requireNonNull(featureSet, "featureSet");
        Objects.requireNonNull(timeframe, "timeframe");
        labels = List.copyOf(labels);
        splits = List.copyOf(splits);
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one label; name one with labels(...)");
        }
        Set<String> names = new HashSet<>();
        for (LabelDefinition l : labels) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("label '" + l.name() + "' is given twice");
            }
        }
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one split; give split(...) or walkForward(...)");
        }
        names.clear();
        for (int a = 0; a < splits.size(); a++) {
            Split s = splits.get(a);
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("split '" + s.name() + "' is given twice");
            }
            for (int b = 0; b < a; b++) {
                if (s.overlaps(splits.get(b))) {
                    throw new IllegalArgumentException("splits " + splits.get(b) + " and " + s
                            + " overlap; split ranges are half-open and must not share an instant");
                }
            }
        }
        if (purge < -1) {
            throw new IllegalArgumentException("purge must be >= 0 bars (or -1 for the default), got " + purge);
        }
        if (embargo < 0) {
            throw new IllegalArgumentException("embargo must be >= 0 bars, got " + embargo);
        }
        if (normalization != null && !names.contains(Split.TRAIN)) {
            throw new IllegalArgumentException("normalization is fitted on the split named '" + Split.TRAIN
                    + "', but the splits are " + splits + "; name one split train");
        }
    }

    /** {@return the largest label horizon, in bars} */
    public int maxHorizon() {
        int h = 0;
        for (LabelDefinition l : labels) {
            h = Math.max(h, l.horizon());
        }
        return h;
    }

    /** {@return the purge in effect, in bars: the one given, else {@code window + largest horizon}} */
    public int effectivePurge() {
        return purge >= 0 ? purge : window + maxHorizon();
    }

    /**
     * {@return this definition with other splits}
     *
     * @param other the splits
     * @throws IllegalArgumentException as the constructor does
     */
    public DatasetDefinition withSplits(List<Split> other) {
        return new DatasetDefinition(featureSet, featureSetFingerprint, timeframe, window, stride, labels, other, purge,
                embargo, asOf, normalization);
    }

    /**
     * The dataset's fingerprint: 64 lower-case hex digits, the SHA-256 of {@code
     * str("featurestore.dataset")}, {@code int32} {@value #VERSION}, {@code str(feature set)}, {@code
     * str(feature set fingerprint or "")}, {@code str(timeframe)}, {@code int32 window}, {@code int32 stride}, {@code int32}
     * number of secids and {@code str} of each in order, {@code int32} number of labels and per label
     * {@code str(name)} {@code str(label fingerprint)} (kind, horizon, threshold), {@code int32}
     * number of splits and per split {@code str(name)} {@code int64 from} {@code int64 to}, {@code
     * int32} purge in effect, {@code int32 embargo}, {@code int64} as-of (epoch ms, {@link
     * Long#MIN_VALUE} for none), {@code str(normalization SHA-256 or "")}.
     *
     * @param secids the secids of the dataset, in order
     * @param normalizationSha256 the fitted normalization's SHA-256, or null for none
     * @return the fingerprint
     */
    public String fingerprint(List<String> secids, String normalizationSha256) {
        CanonicalBytes b = new CanonicalBytes().string("featurestore.dataset").int32(VERSION).string(featureSet)
                .string(featureSetFingerprint == null ? "" : featureSetFingerprint).string(timeframe.toString())
                .int32(window).int32(stride).int32(secids.size());
        for (String s : secids) {
            b.string(s);
        }
        b.int32(labels.size());
        for (LabelDefinition l : labels) {
            b.string(l.name()).string(l.fingerprint());
        }
        b.int32(splits.size());
        for (Split s : splits) {
            b.string(s.name()).int64(s.fromMs()).int64(s.toMs());
        }
        b.int32(effectivePurge()).int32(embargo).int64(asOf == null ? Long.MIN_VALUE : asOf.toEpochMilli())
                .string(normalizationSha256 == null ? "" : normalizationSha256);
        return b.sha256();
    }
}
