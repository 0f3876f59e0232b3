package dev.featurestore.core.dataset;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.label.LabelDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * A training dataset: its {@link DatasetSplit}s in the order given, the labels, the fitted
 * normalization (if any) and a fingerprint over its definition. Made by a dataset query's
 * {@code dataset()} or {@code folds()}, or by {@link #assemble} from rows and candles at hand.
 *
 * <p>How samples are chosen, per secid: every window of W consecutive clean feature rows (one
 * every {@code stride} rows, counted from the secid's first window) is a candidate, keyed by the open time {@code ts} of its newest row; it belongs to the split whose
 * range holds {@code ts}; it is left out when its labels are not known (the row's candle is
 * missing, it is among the last {@code h} candles, or the close of candle {@code t+h} is after
 * the as-of time), when it is purged or embargoed (see {@link DatasetDefinition}). Samples are
 * ordered by {@code ts}, then by secid in the query's order.
 *
 * <p>Immutable and thread-safe.
 */
public final class Dataset {
    private final DatasetDefinition definition;
    private final List<String> secids;
    private final Map<String, DatasetSplit> splits;
    private final FittedNormalization normalization;
    private final String fingerprint;

    private Dataset(DatasetDefinition definition, List<String> secids, Map<String, DatasetSplit> splits,
            FittedNormalization normalization) {
        this.definition = definition;
        this.secids = List.copyOf(secids);
        this.splits = Collections.unmodifiableMap(splits);
        this.normalization = normalization;
        this.fingerprint = definition.fingerprint(secids, normalization == null ? null : normalization.sha256());
    }

    /**
     * One secid's data for {@link #assemble}: its clean feature rows and the candles (open times and
     * closes, at the rows' timeframe) that its labels are computed from.
     *
     * @param rows the clean feature rows, oldest first, with a timeframe
     * @param candleTs the candles' open times, epoch ms UTC, ascending; every row's ts should be
     *     among them (a row whose candle is missing gets no label)
     * @param close the candles' closes, one per open time, each positive
     */
    public record SeriesInput(FeatureFrame rows, long[] candleTs, double[] close) {
        /**
         * Checks the parts.
         *
         * @param rows the clean feature rows
         * @param candleTs the candles' open times
         * @param close the candles' closes
         * @throws NullPointerException when a part is null
         * @throws IllegalArgumentException when the candle arrays differ in length or the rows have
         *     no timeframe
         */
        public SeriesInput {
            Objects.requireNonNull(rows, "rows");
            Objects.requireNonNull(candleTs, "candleTs");
            Objects.requireNonNull(close, "close");
            if (candleTs.length != close.length) {
                throw new IllegalArgumentException("secid '" + rows.secid() + "': " + candleTs.length
                        + " candle open times but " + close.length + " closes");
            }
            if (rows.timeframe().isEmpty()) {
                throw new IllegalArgumentException("secid '" + rows.secid() + "': the rows have no timeframe");
            }
        }
    }

    /**
     * Builds a dataset from the rows and candles of each secid.
     *
     * @param definition what the dataset is
     * @param inputs one input per secid, in the order samples of equal time are ordered; secids distinct
     * @param calendar the exchange calendar that gives each candle's close ({@code available_at})
     * @return the dataset
     * @throws IllegalArgumentException when no input is given, a secid repeats, or an input's rows
     *     are not of the definition's feature set and timeframe
     * @throws dev.featurestore.api.FeatureStoreException when a normalization cannot be fitted
     *     (no training row)
     */
    public static Dataset assemble(DatasetDefinition definition, List<SeriesInput> inputs, ExchangeCalendar calendar) {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(calendar, "calendar");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs the data of at least one secid");
        }
        List<String> secids = new ArrayList<>(inputs.size());
        List<FeatureFrame> raw = new ArrayList<>(inputs.size());
        for (SeriesInput in : inputs) {
            if (secids.contains(in.rows().secid())) {
                throw new IllegalArgumentException("secid '" + in.rows().secid() + "' is given twice");
            }
            if (!in.rows().featureSet().equals(definition.featureSet())
                    || !in.rows().timeframe().get().equals(definition.timeframe())) {
                throw new IllegalArgumentException("rows of secid '" + in.rows().secid() + "' are " + in.rows()
                        + ", the dataset is of " + definition.featureSet() + " " + definition.timeframe());
            }
            secids.add(in.rows().secid());
            raw.add(in.rows());
        }
        LongUnaryOperator availableAt = ts -> calendar.availableAt(definition.timeframe(), ts);
        FittedNormalization norm = null;
        FeatureFrame[] frames = raw.toArray(new FeatureFrame[0]);
        if (definition.normalization() != null) {
            Split train = null;
            for (Split s : definition.splits()) {
                if (s.name().equals(Split.TRAIN)) {
                    train = s;
                }
            }
            norm = FittedNormalization.fit(definition.normalization(), definition.featureSetFingerprint(), train, raw,
                    availableAt);
            for (int s = 0; s < frames.length; s++) {
                frames[s] = norm.apply(frames[s]);
            }
        }
        List<Split> splits = definition.splits();
        Collector[] collectors = new Collector[splits.size()];
        for (int k = 0; k < collectors.length; k++) {
            collectors[k] = new Collector(definition.labels().size());
        }
        for (int s = 0; s < inputs.size(); s++) {
            collect(definition, s, inputs.get(s), splits, collectors, availableAt);
        }
        Map<String, DatasetSplit> out = new LinkedHashMap<>();
        for (int k = 0; k < collectors.length; k++) {
            out.put(splits.get(k).name(), collectors[k].finish(splits.get(k), secids, raw.get(0).featureNames(),
                    definition, frames));
        }
        return new Dataset(definition, secids, out, norm);
    }

    private static void collect(DatasetDefinition def, int s, SeriesInput in, List<Split> splits,
            Collector[] collectors, LongUnaryOperator availableAt) {
        FeatureFrame rows = in.rows();
        long[] cts = in.candleTs();
        int n = cts.length;
        List<LabelDefinition> labels = def.labels();
        double[][] values = new double[labels.size()][];
        for (int l = 0; l < values.length; l++) {
            values[l] = labels.get(l).compute(in.close());
        }
        int w = def.window();
        int hmax = def.maxHorizon();
        int purge = def.effectivePurge();
        int embargo = def.embargo();
        long tf = def.timeframe().millis();
        long asOf = def.asOf() == null ? Long.MAX_VALUE : def.asOf().toEpochMilli();
        int i = 0;
        for (int r = w - 1; r < rows.size(); r += def.stride()) {
            long ts = rows.ts(r);
            int k = splitOf(splits, ts);
            if (k < 0) {
                continue;
            }
            Collector c = collectors[k];
            while (i < n && cts[i] < ts) {
                i++;
            }
            boolean found = i < n && cts[i] == ts;
            if (!found || i + hmax >= n || availableAt.applyAsLong(cts[i + hmax]) > asOf) {
                c.unlabeled++;
                continue;
            }
            Split mine = splits.get(k);
            if (purged(splits, mine, cts, i + purge, tf, availableAt)) {
                c.purged++;
                continue;
            }
            if (embargoed(splits, mine, cts, i - embargo, tf)) {
                c.embargoed++;
                continue;
            }
            double[] y = new double[labels.size()];
            for (int l = 0; l < y.length; l++) {
                y[l] = values[l][i];
            }
            c.add(s, r, ts, availableAt.applyAsLong(cts[i + hmax]), y);
        }
    }

    private static int splitOf(List<Split> splits, long ts) {
        for (int k = 0; k < splits.size(); k++) {
            Split s = splits.get(k);
            if (ts >= s.fromMs() && ts < s.toMs()) {
                return k;
            }
        }
        return -1;
    }

    /** True when candle {@code reach} (extrapolated past the series' end) closes after a later split starts. */
    private static boolean purged(List<Split> splits, Split mine, long[] cts, int reach, long tf,
            LongUnaryOperator availableAt) {
        int n = cts.length;
        long close = reach < n ? availableAt.applyAsLong(cts[reach])
                : availableAt.applyAsLong(cts[n - 1]) + (long) (reach - n + 1) * tf;
        for (Split other : splits) {
            if (other != mine && other.fromMs() >= mine.toMs() && close > other.fromMs()) {
                return true;
            }
        }
        return false;
    }

    /** True when candle {@code back} (extrapolated before the series' start) opened before an earlier split ended. */
    private static boolean embargoed(List<Split> splits, Split mine, long[] cts, int back, long tf) {
        long open = back >= 0 ? cts[back] : cts[0] - (long) -back * tf;
        for (Split other : splits) {
            if (other != mine && other.toMs() <= mine.fromMs() && open < other.toMs()) {
                return true;
            }
        }
        return false;
    }

    /** The samples of one split, secid after secid, each secid's in time order. */
    private static final class Collector {
        private int size;
        private int[] secid = new int[64];
        private int[] row = new int[64];
        private long[] ts = new long[64];
        private long[] labelAt = new long[64];
        private final double[][] labels;
        long unlabeled;
        long purged;
        long embargoed;

        Collector(int labelCount) {
            labels = new double[labelCount][64];
        }

        void add(int s, int r, long t, long at, double[] y) {
            if (size == ts.length) {
                int cap = size * 2;
                secid = Arrays.copyOf(secid, cap);
                row = Arrays.copyOf(row, cap);
                ts = Arrays.copyOf(ts, cap);
                labelAt = Arrays.copyOf(labelAt, cap);
                for (int l = 0; l < labels.length; l++) {
                    labels[l] = Arrays.copyOf(labels[l], cap);
                }
            }
            secid[size] = s;
            row[size] = r;
            ts[size] = t;
            labelAt[size] = at;
            for (int l = 0; l < labels.length; l++) {
                labels[l][size] = y[l];
            }
            size++;
        }

        DatasetSplit finish(Split split, List<String> secids, List<String> features, DatasetDefinition def,
                FeatureFrame[] frames) {
            int[] order = stableOrderByTs(ts, size);
            int[] sSecid = new int[size];
            int[] sRow = new int[size];
            long[] sTs = new long[size];
            long[] sAt = new long[size];
            double[][] sLabels = new double[labels.length][size];
            for (int n = 0; n < size; n++) {
                int from = order[n];
                sSecid[n] = secid[from];
                sRow[n] = row[from];
                sTs[n] = ts[from];
                sAt[n] = labelAt[from];
                for (int l = 0; l < labels.length; l++) {
                    sLabels[l][n] = labels[l][from];
                }
            }
            List<String> labelNames = new ArrayList<>();
            for (LabelDefinition l : def.labels()) {
                labelNames.add(l.name());
            }
            return new DatasetSplit(split, secids, features, List.copyOf(labelNames), frames, def.window(), sSecid,
                    sRow, sTs, sAt, sLabels, new DatasetSplit.Dropped(unlabeled, purged, embargoed));
        }
    }

    /** The indices {@code 0..size-1} ordered by {@code key}, equal keys keeping their order (a merge sort). */
    static int[] stableOrderByTs(long[] key, int size) {
        int[] a = new int[size];
        for (int i = 0; i < size; i++) {
            a[i] = i;
        }
        int[] b = new int[size];
        for (int width = 1; width < size; width *= 2) {
            for (int lo = 0; lo < size; lo += 2 * width) {
                int mid = Math.min(lo + width, size);
                int hi = Math.min(lo + 2 * width, size);
                int p = lo;
                int q = mid;
                for (int k = lo; k < hi; k++) {
                    b[k] = p < mid && (q >= hi || key[a[p]] <= key[a[q]]) ? a[p++] : a[q++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /** {@return what the dataset is: feature set, timeframe, window, labels, splits, purge, embargo, normalization} */
    public DatasetDefinition definition() {
        return definition;
    }

    /** {@return the secids, in the query's order} */
    public List<String> secids() {
        return secids;
    }

    /** {@return the splits, in the order given} */
    public List<DatasetSplit> splits() {
        return List.copyOf(splits.values());
    }

    /**
     * {@return one split}
     *
     * @param name the split's name, e.g. {@code train}
     * @throws IllegalArgumentException when the dataset has no such split (the message lists them)
     */
    public DatasetSplit split(String name) {
        DatasetSplit s = splits.get(name);
        if (s == null) {
            throw new IllegalArgumentException("dataset has no split '" + name + "'; it has " + splits.keySet());
        }
        return s;
    }

    /** {@return the normalization fitted on the training split, empty for raw values} */
    public Optional<FittedNormalization> normalization() {
        return Optional.ofNullable(normalization);
    }

    /** {@return the dataset's fingerprint, see {@link DatasetDefinition#fingerprint(List, String)}} */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * {@return a summary in lines of text: the definition, then per split its range, samples, samples
     * per secid and samples dropped (unlabeled, purged, embargoed)}
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append("dataset ").append(fingerprint).append('\n');
        b.append("  ").append(definition.featureSet()).append(' ').append(definition.timeframe()).append(", window ")
                .append(definition.window()).append(definition.stride() == 1 ? "" : ", stride " + definition.stride()).append(", purge ").append(definition.effectivePurge())
                .append(" bars, embargo ").append(definition.embargo()).append(" bars")
                .append(definition.asOf() == null ? "" : ", as of " + definition.asOf()).append('\n');
        for (LabelDefinition l : definition.labels()) {
            b.append("  label ").append(l.describe()).append('\n');
        }
        b.append("  normalization ").append(normalization == null ? "none (raw values)"
                : normalization.id() + " " + normalization.method().key() + " " + normalization.scope().key()
                + (normalization.clipLimit() > 0 ? " clip " + normalization.clipLimit() : "") + " sha256 "
                + normalization.sha256()).append('\n');
        for (DatasetSplit s : splits.values()) {
            DatasetSplit.Dropped d = s.dropped();
            b.append("  ").append(s.split()).append(": ").append(s.count()).append(" samples ")
                    .append(s.countsBySecid()).append(", dropped ").append(d.unlabeled()).append(" unlabeled, ")
                    .append(d.purged()).append(" purged, ").append(d.embargoed()).append(" embargoed").append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Dataset[" + definition.featureSet() + " " + definition.timeframe() + ", " + secids.size() + " secids, "
                + splits.keySet() + ", " + fingerprint.substring(0, 12) + "]";
    }
}
