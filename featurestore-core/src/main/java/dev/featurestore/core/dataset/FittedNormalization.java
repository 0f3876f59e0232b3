package dev.featurestore.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.internal.CanonicalBytes;
import dev.featurestore.core.stream.FeatureRow;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * Normalization statistics fitted on a training split: per group (one for pooled statistics, one
 * per secid otherwise) and numeric feature a centre and a scale, applied as {@code (x - centre) /
 * scale}, then clipped when asked. Categorical features pass unchanged. See {@link Normalization}
 * for how the statistics are estimated and the neutral rule for a zero scale.
 *
 * <p>Immutable and versioned: {@link #sha256()} is the SHA-256 of its canonical bytes (below), and
 * {@link #id()} is {@code norm_} and the hash's first 16 hex digits, so equal statistics have
 * equal ids. It is stored as {@link #toJson()} in the dataset's snapshot metadata and in the audit
 * log, and read back by {@link #fromJson(String)}, which checks the hash. The same object applied
 * to a frame ({@link #apply(FeatureFrame)}) or a window ({@link #apply(FeatureWindow)}) at
 * inference gives the values of the training block bit for bit.
 *
 * <p>Canonical bytes ({@code str(s)} an {@code int32} byte length then UTF-8, integers big-endian,
 * a double the {@code int64} of {@link Double#doubleToLongBits}): {@code
 * str("featurestore.normalization")}, {@code int32} {@value #VERSION}, {@code str(method)}, {@code
 * str(scope)}, the clip, {@code str(feature set)}, {@code str(feature set fingerprint or "")},
 * {@code str(timeframe)}, {@code int64} train from and to (epoch ms), {@code int32} number of
 * features and per feature {@code str(name)} {@code str(kind)}, {@code int32} number of groups and
 * per group {@code str(name)}, {@code int64} rows fitted on, and per feature its centre and scale.
 */
public final class FittedNormalization {
    /** The version of the encoding and of the JSON form. */
    public static final int VERSION = 1;
    /** The group name of pooled statistics. */
    public static final String POOLED_GROUP = "*";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Normalization.Method method;
    private final Normalization.Scope scope;
    private final double clip;
    private final String featureSet;
    private final String featureSetFingerprint;
    private final Timeframe timeframe;
    private final long trainFrom;
    private final long trainTo;
    private final List<String> features;
    private final List<FeatureKind> kinds;
    private final List<String> groups;
    private final long[] rows;
    private final double[][] center;
    private final double[][] scale;
    private final String sha256;

    private FittedNormalization(Normalization.Method method, Normalization.Scope scope, double clip, String featureSet,
            String featureSetFingerprint, Timeframe timeframe, long trainFrom, long trainTo, List<String> features,
            List<FeatureKind> kinds, List<String> groups, long[] rows, double[][] center, double[][] scale) {
        this.method = method;
        this.scope = scope;
        this.clip = clip;
        this.featureSet = featureSet;
        this.featureSetFingerprint = featureSetFingerprint == null ? "" : featureSetFingerprint;
        this.timeframe = timeframe;
        this.trainFrom = trainFrom;
        this.trainTo = trainTo;
        this.features = List.copyOf(features);
        this.kinds = List.copyOf(kinds);
        this.groups = List.copyOf(groups);
        this.rows = rows;
        this.center = center;
        this.scale = scale;
        this.sha256 = hash();
    }

    /**
     * Fits statistics on the rows of the training range: those of each frame with
     * {@code train.from <= ts} and {@code availableAt(ts) <= train.to}.
     *
     * @param spec what to fit
     * @param featureSetFingerprint the fingerprint of the frames' feature set, or null when unknown
     * @param train the training split
     * @param frames the clean feature rows, one frame per secid (the order of pooled sums), of one
     *     feature set and timeframe
     * @param availableAt a row's {@code available_at} from its open time, epoch ms UTC
     * @return the fitted statistics
     * @throws IllegalArgumentException when no frame is given, or the frames differ in feature set
     *     or features, or have no timeframe
     * @throws FeatureStoreException when a group has no row in the training range
     */
    public static FittedNormalization fit(Normalization spec, String featureSetFingerprint, Split train,
            List<FeatureFrame> frames, LongUnaryOperator availableAt) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(train, "train");
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to fit a normalization on");
        }
        FeatureFrame like = frames.get(0);
        Timeframe tf = like.timeframe().orElseThrow(() -> new IllegalArgumentException("frame " + like
                + " has no timeframe"));
        int f = like.featureNames().size();
        List<String> groups = new ArrayList<>();
        List<int[]> selected = new ArrayList<>();
        for (FeatureFrame frame : frames) {
            if (!frame.featureSet().equals(like.featureSet()) || !frame.featureNames().equals(like.featureNames())) {
                throw new IllegalArgumentException("frame " + frame + " differs from " + like + " in feature set or"
                        + " features");
            }
            selected.add(trainRows(frame, train, availableAt));
        }
        boolean pooled = spec.scope() == Normalization.Scope.POOLED;
        int groupCount = pooled ? 1 : frames.size();
        long[] rows = new long[groupCount];
        double[][] center = new double[groupCount][f];
        double[][] scale = new double[groupCount][f];
        for (int g = 0; g < groupCount; g++) {
            groups.add(pooled ? POOLED_GROUP : frames.get(g).secid());
            List<FeatureFrame> members = pooled ? frames : List.of(frames.get(g));
            List<int[]> memberRows = pooled ? selected : List.of(selected.get(g));
            int n = 0;
            for (int[] r : memberRows) {
                n += r.length;
            }
            if (n == 0) {
                throw new FeatureStoreException("normalization: no feature row of "
                        + (pooled ? "any secid" : "secid '" + groups.get(g) + "'") + " lies in the training range "
                        + train + " (rows with from <= ts and available_at <= to); widen the range or drop the secid");
            }
            rows[g] = n;
            double[] values = new double[n];
            for (int j = 0; j < f; j++) {
                if (like.kinds().get(j) == FeatureKind.CATEGORICAL) {
                    center[g][j] = 0;
                    scale[g][j] = 1;
                    continue;
                }
                int k = 0;
                for (int m = 0; m < members.size(); m++) {
                    FeatureFrame frame = members.get(m);
                    for (int r : memberRows.get(m)) {
                        values[k++] = frame.value(r, j);
                    }
                }
                double[] cs = spec.method() == Normalization.Method.ZSCORE ? meanStd(values) : medianMad(values);
                center[g][j] = cs[0];
                scale[g][j] = cs[1] == 0 || Double.isNaN(cs[1]) ? 1 : cs[1];
            }
        }
        return new FittedNormalization(spec.method(), spec.scope(), spec.clipLimit(), like.featureSet(),
                featureSetFingerprint, tf, train.fromMs(), train.toMs(), like.featureNames(), like.kinds(), groups, rows,
                center, scale);
    }

    private static int[] trainRows(FeatureFrame frame, Split train, LongUnaryOperator availableAt) {
        int[] out = new int[frame.size()];
        int n = 0;
        for (int r = 0; r < frame.size(); r++) {
            long ts = frame.ts(r);
            if (ts >= train.fromMs() && availableAt.applyAsLong(ts) <= train.toMs()) {
                out[n++] = r;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Mean (sum in order over n) and population standard deviation. */
    static double[] meanStd(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double squares = 0;
        for (double v : x) {
            double d = v - mean;
            squares += d * d;
        }
        return new double[] {mean, Math.sqrt(squares / x.length)};
    }

    /** Median and 1.4826 x the median absolute deviation. */
    static double[] medianMad(double[] x) {
        double[] work = x.clone();
        double median = median(work);
        for (int i = 0; i < work.length; i++) {
            work[i] = Math.abs(x[i] - median);
        }
        return new double[] {median, Normalization.MAD_TO_STD * median(work)};
    }

    /**
     * The median of the values (reordering them): the middle one, or the mean of the two middle
     * ones, in {@link Double#compare} order, the same values a full sort gives in linear time.
     */
    static double median(double[] a) {
        int n = a.length;
        int k = n / 2;
        double upper = select(a, k);
        if (n % 2 == 1) {
            return upper;
        }
        double lower = a[0];
        for (int i = 1; i < k; i++) {
            if (Double.compare(a[i], lower) > 0) {
                lower = a[i];
            }
        }
        return (lower + upper) / 2;
    }

    /**
     * The k-th smallest value in {@link Double#compare} order (Hoare's selection with a median of
     * three pivot); afterwards {@code a[0..k)} holds no larger value and {@code a(k..n)} no smaller.
     */
    static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            double pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (Double.compare(a[i], pivot) < 0) {
                    i++;
                }
                while (Double.compare(a[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static double medianOfThree(double a, double b, double c) {
        if (Double.compare(a, b) > 0) {
            double t = a;
            a = b;
            b = t;
        }
        if (Double.compare(b, c) > 0) {
            b = c;
        }
        return Double.compare(a, b) > 0 ? a : b;
    }

    /** {@return the id: {@code norm_} and the first 16 hex digits of {@link #sha256()}} */
    public String id() {
        return "norm_" + sha256.substring(0, 16);
    }

    /** {@return the SHA-256 of the canonical bytes, 64 lower-case hex digits} */
    public String sha256() {
        return sha256;
    }

    /** {@return how the statistics were estimated} */
    public Normalization.Method method() {
        return method;
    }

    /** {@return whether the statistics are pooled or per secid} */
    public Normalization.Scope scope() {
        return scope;
    }

    /** {@return the clip limit, 0 for none} */
    public double clipLimit() {
        return clip;
    }

    /** {@return the feature set the statistics were fitted on} */
    public String featureSet() {
        return featureSet;
    }

    /** {@return the fingerprint of the feature set, empty when unknown} */
    public String featureSetFingerprint() {
        return featureSetFingerprint;
    }

    /** {@return the timeframe of the rows fitted on} */
    public Timeframe timeframe() {
        return timeframe;
    }

    /** {@return the training range's start, included} */
    public Instant trainFrom() {
        return Instant.ofEpochMilli(trainFrom);
    }

    /** {@return the training range's end, excluded} */
    public Instant trainTo() {
        return Instant.ofEpochMilli(trainTo);
    }

    /** {@return the feature names, in column order} */
    public List<String> features() {
        return features;
    }

    /** {@return the groups: {@value #POOLED_GROUP} for pooled statistics, else the secids fitted on} */
    public List<String> groups() {
        return groups;
    }

    /**
     * {@return the number of rows a group's statistics were fitted on}
     *
     * @param group a group of {@link #groups()}
     * @throws FeatureStoreException when there is no such group
     */
    public long rows(String group) {
        return rows[groupIndex(group)];
    }

    /**
     * {@return the centre (mean or median) of a feature in a group; 0 for a categorical feature}
     *
     * @param group a group of {@link #groups()}
     * @param feature the feature's column
     * @throws FeatureStoreException when there is no such group
     */
    public double center(String group, int feature) {
        return center[groupIndex(group)][feature];
    }

    /**
     * {@return the scale (standard deviation or 1.4826 x MAD, 1 where that was 0) of a feature in a
     * group; 1 for a categorical feature}
     *
     * @param group a group of {@link #groups()}
     * @param feature the feature's column
     * @throws FeatureStoreException when there is no such group
     */
    public double scale(String group, int feature) {
        return scale[groupIndex(group)][feature];
    }

    private int groupIndex(String group) {
        int g = groups.indexOf(group);
        if (g < 0) {
            throw new FeatureStoreException("normalization " + id() + " has no statistics for '" + group
                    + "'; it was fitted on " + groups);
        }
        return g;
    }

    /** The group of a secid's rows. */
    private int groupOf(String secid) {
        if (scope == Normalization.Scope.POOLED) {
            return 0;
        }
        int g = groups.indexOf(secid);
        if (g < 0) {
            throw new FeatureStoreException("normalization " + id() + " is per secid and has no statistics for secid '"
                    + secid + "'; it was fitted on " + groups + "; fit a pooled one, or include the secid in training");
        }
        return g;
    }

    /**
     * {@return one value normalized}
     *
     * @param group the group's index, as {@link #groups()} orders them
     * @param feature the feature's column
     * @param value the raw value
     */
    private double apply(int group, int feature, double value) {
        if (kinds.get(feature) == FeatureKind.CATEGORICAL) {
            return value;
        }
        double y = (value - center[group][feature]) / scale[group][feature];
        if (clip > 0) {
            y = y > clip ? clip : y < -clip ? -clip : y;
        }
        return y;
    }

    /**
     * The frame with every numeric value normalized (categorical ones and NaN kept).
     *
     * @param frame rows of the feature set and features fitted on
     * @return a new frame of the same rows
     * @throws FeatureStoreException when the frame's feature set or features differ, or a per
     *     secid normalization has no statistics for its secid
     */
    public FeatureFrame apply(FeatureFrame frame) {
        requireSame(frame.featureSet(), frame.featureNames(), frame.secid());
        int g = groupOf(frame.secid());
        double[][] columns = new double[features.size()][];
        for (int j = 0; j < columns.length; j++) {
            double[] column = frame.column(j);
            for (int r = 0; r < column.length; r++) {
                column[r] = apply(g, j, column[r]);
            }
            columns[j] = column;
        }
        return Columns.frame(frame.secid(), frame.featureSet(), frame.timeframe().orElse(null), frame.featureNames(),
                frame.kinds(), frame.timestamps(), columns, 0, frame.size());
    }

    /**
     * The window with every numeric value normalized (categorical ones kept).
     *
     * @param window a window of the feature set and features fitted on
     * @return a new window of the same rows
     * @throws FeatureStoreException when the window's feature set or features differ, or a per
     *     secid normalization has no statistics for its secid
     */
    public FeatureWindow apply(FeatureWindow window) {
        requireSame(window.featureSet(), window.featureNames(), window.secid());
        int g = groupOf(window.secid());
        double[] values = window.toFlatArray();
        int f = features.size();
        for (int i = 0; i < values.length; i++) {
            values[i] = apply(g, i % f, values[i]);
        }
        return Columns.window(window.secid(), window.featureSet(), window.timeframe().orElse(null),
                window.featureNames(), window.timestamps(), values);
    }

    /**
     * A stream's row with every numeric value normalized (categorical ones and NaN kept): the values
     * {@link #apply(FeatureFrame)} gives the same row of the batch frame, bit for bit.
     *
     * <pre>{@code
     * FeatureStream stream = FeatureStore.forSet("tech_v2").timeframe("5m").stream("SBER");
     * stream.accept(candle).map(fitted::apply).ifPresent(model::predict);
     * FeatureWindow input = fitted.apply(stream.window());
     * }</pre>
     *
     * @param row a row of the feature set and features fitted on
     * @return a new row of the same candle
     * @throws FeatureStoreException when the row's feature set or features differ, or a per secid
     *     normalization has no statistics for its secid
     */
    public FeatureRow apply(FeatureRow row) {
        requireSame(row.featureSet(), row.featureNames(), row.secid());
        int g = groupOf(row.secid());
        double[] values = row.values();
        for (int j = 0; j < values.length; j++) {
            values[j] = apply(g, j, values[j]);
        }
        return row.withValues(values);
    }

    private void requireSame(String set, List<String> names, String secid) {
        if (!set.equals(featureSet) || !names.equals(features)) {
            throw new FeatureStoreException("normalization " + id() + " was fitted on " + featureSet + " " + features
                    + ", not on the rows of secid '" + secid + "' of " + set + " " + names);
        }
    }

    private String hash() {
        CanonicalBytes b = new CanonicalBytes().string("featurestore.normalization").int32(VERSION)
                .string(method.key()).string(scope.key()).float64(clip).string(featureSet)
                .string(featureSetFingerprint).string(timeframe.toString()).int64(trainFrom).int64(trainTo)
                .int32(features.size());
        for (int j = 0; j < features.size(); j++) {
            b.string(features.get(j)).string(kinds.get(j).name().toLowerCase(Locale.ROOT));
        }
        b.int32(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            b.string(groups.get(g)).int64(rows[g]);
            for (int j = 0; j < features.size(); j++) {
                b.float64(center[g][j]).float64(scale[g][j]);
            }
        }
        return b.sha256();
    }

    /**
     * {@return the statistics as JSON, keys in a fixed order, every double written so that it reads
     * back to the same bits}
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id());
        root.put("sha256", sha256);
        root.put("version", VERSION);
        root.put("method", method.key());
        root.put("scope", scope.key());
        root.put("clip", clip);
        root.put("feature_set", featureSet);
        root.put("feature_set_fingerprint", featureSetFingerprint);
        root.put("timeframe", timeframe.toString());
        root.put("train_from", trainFrom);
        root.put("train_to", trainTo);
        ArrayNode fs = root.putArray("features");
        for (int j = 0; j < features.size(); j++) {
            fs.addObject().put("name", features.get(j)).put("kind", kinds.get(j).name().toLowerCase(Locale.ROOT));
        }
        ArrayNode gs = root.putArray("groups");
        for (int g = 0; g < groups.size(); g++) {
            ObjectNode group = gs.addObject().put("name", groups.get(g)).put("rows", rows[g]);
            ArrayNode c = group.putArray("center");
            ArrayNode s = group.putArray("scale");
            for (int j = 0; j < features.size(); j++) {
                c.add(center[g][j]);
                s.add(scale[g][j]);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write normalization JSON", e);
        }
    }

    /**
     * Reads statistics {@link #toJson()} wrote, checking that they hash to the SHA-256 they name.
     *
     * @param json the JSON text
     * @return the statistics, bit for bit those written
     * @throws FeatureStoreException when the text is not such JSON, its version is unknown, or the
     *     statistics do not hash to the SHA-256 they name (they were altered)
     */
    public static FittedNormalization fromJson(String json) {
        Objects.requireNonNull(json, "json");
        FittedNormalization n;
        JsonNode root;
        try {
            root = JSON.readTree(json);
            if (root.path("version").asInt(-1) != VERSION) {
                throw new FeatureStoreException("normalization JSON has version " + root.path("version")
                        + "; this library reads version " + VERSION);
            }
            List<String> features = new ArrayList<>();
            List<FeatureKind> kinds = new ArrayList<>();
            for (JsonNode f : root.withArray("features")) {
                features.add(f.get("name").asText());
                kinds.add(FeatureKind.valueOf(f.get("kind").asText().toUpperCase(Locale.ROOT)));
            }
            JsonNode groupNodes = root.withArray("groups");
            int groupCount = groupNodes.size();
            List<String> groups = new ArrayList<>();
            long[] rows = new long[groupCount];
            double[][] center = new double[groupCount][features.size()];
            double[][] scale = new double[groupCount][features.size()];
            for (int g = 0; g < groupCount; g++) {
                JsonNode group = groupNodes.get(g);
                groups.add(group.get("name").asText());
                rows[g] = group.get("rows").asLong();
                for (int j = 0; j < features.size(); j++) {
                    center[g][j] = group.get("center").get(j).asDouble();
                    scale[g][j] = group.get("scale").get(j).asDouble();
                }
            }
            n = new FittedNormalization(Normalization.Method.valueOf(root.get("method").asText()
                    .toUpperCase(Locale.ROOT)), Normalization.Scope.valueOf(root.get("scope").asText()
                    .toUpperCase(Locale.ROOT)), root.get("clip").asDouble(), root.get("feature_set").asText(),
                    root.get("feature_set_fingerprint").asText(), Timeframe.parse(root.get("timeframe").asText()),
                    root.get("train_from").asLong(), root.get("train_to").asLong(), features, kinds, groups, rows,
                    center, scale);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FeatureStoreException) {
                throw (FeatureStoreException) e;
            }
            throw new FeatureStoreException("not the JSON of a fitted normalization: " + e, e);
        }
        String named = root.path("sha256").asText();
        if (!n.sha256.equals(named)) {
            throw new FeatureStoreException("normalization JSON names sha256 " + named + " but its statistics hash to "
                    + n.sha256 + "; it was altered");
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FittedNormalization && ((FittedNormalization) o).sha256.equals(sha256);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "FittedNormalization[" + id() + ", " + Normalization.class.getSimpleName().toLowerCase(Locale.ROOT)
                + " " + method.key() + " " + scope.key() + (clip > 0 ? " clip " + clip : "") + ", " + featureSet + " "
                + timeframe + ", train [" + trainFrom() + ", " + trainTo() + ")]";
    }
}
