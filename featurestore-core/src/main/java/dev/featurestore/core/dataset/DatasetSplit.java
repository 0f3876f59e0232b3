package dev.featurestore.core.dataset;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.internal.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One split of a {@link Dataset}: N samples, each a window of W consecutive clean feature rows of
 * one secid (oldest first, F features in the set's order) with the labels of its newest row.
 * Samples are ordered by the open time of their newest row, then by secid in the query's order.
 *
 * <pre>{@code
 * float[] x = split.toFlatFloatArray();   // (N, W, F) row-major
 * double[] y = split.labels("fwd_ret_12"); // N labels
 * String secid = split.secid(n); long end = split.endTs(n);
 * }</pre>
 *
 * <p>Immutable: the samples are a view of the secids' frames (normalized ones when the dataset
 * has a normalization); each {@code toFlat...} call fills a new block straight from the frames'
 * columns, without an array per sample.
 */
public final class DatasetSplit {
    /**
     * What was left out of a split, and why.
     *
     * @param unlabeled samples in the range whose label was not known (the last h rows of a
     *     series, or not yet closed by the as-of time)
     * @param purged samples dropped because their window, label or purge bars reach a later split
     * @param embargoed samples dropped because they lie within the embargo after an earlier split
     */
    public record Dropped(long unlabeled, long purged, long embargoed) {
        /**
         * Checks the counts.
         *
         * @param unlabeled samples without a known label
         * @param purged samples purged
         * @param embargoed samples embargoed
         * @throws IllegalArgumentException when a count is negative
         */
        public Dropped {
            if (unlabeled < 0 || purged < 0 || embargoed < 0) {
                throw new IllegalArgumentException("negative count of dropped samples");
            }
        }

        /** {@return all samples dropped} */
        public long total() {
            return unlabeled + purged + embargoed;
        }
    }

    private final Split split;
    private final List<String> secids;
    private final List<String> featureNames;
    private final List<String> labelNames;
    private final FeatureFrame[] frames;
    private final int windowSize;
    private final int[] sampleSecid;
    private final int[] sampleRow;
    private final long[] endTs;
    private final long[] labelAvailableAt;
    private final double[][] labels;
    private final Dropped dropped;

    DatasetSplit(Split split, List<String> secids, List<String> featureNames, List<String> labelNames,
            FeatureFrame[] frames, int windowSize, int[] sampleSecid, int[] sampleRow, long[] endTs,
            long[] labelAvailableAt, double[][] labels, Dropped dropped) {
        this.split = split;
        this.secids = secids;
        this.featureNames = featureNames;
        this.labelNames = labelNames;
        this.frames = frames;
        this.windowSize = windowSize;
        this.sampleSecid = sampleSecid;
        this.sampleRow = sampleRow;
        this.endTs = endTs;
        this.labelAvailableAt = labelAvailableAt;
        this.labels = labels;
        this.dropped = dropped;
    }

    /** {@return the split's name and range} */
    public Split split() {
        return split;
    }

    /** {@return the split's name, e.g. {@code train}} */
    public String name() {
        return split.name();
    }

    /** {@return N, the number of samples, 0 or more} */
    public int count() {
        return endTs.length;
    }

    /** {@return W, the rows per window} */
    public int windowSize() {
        return windowSize;
    }

    /** {@return F, the features per row} */
    public int features() {
        return featureNames.size();
    }

    /** {@return the shape {@code {N, W, F}}, in a new array} */
    public int[] shape() {
        return new int[] {count(), windowSize, features()};
    }

    /** {@return the feature names, in column order} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return the label names, in the order asked for} */
    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * {@return the secid of sample n}
     *
     * @param n the sample, from 0 to N - 1
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public String secid(int n) {
        return secids.get(sampleSecid[Objects.checkIndex(n, count())]);
    }

    /**
     * {@return the open time (epoch ms UTC) of sample n's newest window row: its end time}
     *
     * @param n the sample, from 0 to N - 1
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public long endTs(int n) {
        return endTs[Objects.checkIndex(n, count())];
    }

    /**
     * {@return the open time (epoch ms UTC) of sample n's oldest window row}
     *
     * @param n the sample, from 0 to N - 1
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public long windowStartTs(int n) {
        return frames[sampleSecid[Objects.checkIndex(n, count())]].ts(sampleRow[n] - windowSize + 1);
    }

    /**
     * {@return when sample n's labels became known: the close of the last candle they read, epoch ms UTC}
     *
     * @param n the sample, from 0 to N - 1
     * @throws IndexOutOfBoundsException when {@code n} is out of range
     */
    public long labelAvailableAt(int n) {
        return labelAvailableAt[Objects.checkIndex(n, count())];
    }

    /** {@return every sample's end time (epoch ms UTC), in a new array} */
    public long[] endTimestamps() {
        return endTs.clone();
    }

    /** {@return every sample's secid, in a new array} */
    public String[] sampleSecids() {
        String[] out = new String[count()];
        for (int n = 0; n < out.length; n++) {
            out[n] = secids.get(sampleSecid[n]);
        }
        return out;
    }

    /**
     * {@return one label of every sample, N values in a new array}
     *
     * @param label a label name of {@link #labelNames()}
     * @throws IllegalArgumentException when the dataset has no such label
     */
    public double[] labels(String label) {
        int l = labelNames.indexOf(label);
        if (l < 0) {
            throw new IllegalArgumentException("dataset has no label '" + label + "'; it has " + labelNames);
        }
        return labels[l].clone();
    }

    /**
     * {@return one value of the block: sample n, row r, feature f}
     *
     * @param n the sample, from 0 to N - 1
     * @param r the window row, from 0 (the oldest) to W - 1
     * @param f the feature's column
     * @throws IndexOutOfBoundsException when an index is out of range
     */
    public double get(int n, int r, int f) {
        Objects.checkIndex(r, windowSize);
        Objects.checkIndex(f, features());
        return frames[sampleSecid[Objects.checkIndex(n, count())]].value(sampleRow[n] - windowSize + 1 + r, f);
    }

    /** {@return the samples per secid, in the query's secid order (secids without samples as 0)} */
    public Map<String, Integer> countsBySecid() {
        int[] counts = new int[secids.size()];
        for (int s : sampleSecid) {
            counts[s]++;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int s = 0; s < counts.length; s++) {
            out.put(secids.get(s), counts[s]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@return what was left out of the split, and why} */
    public Dropped dropped() {
        return dropped;
    }

    /**
     * {@return the whole (N, W, F) block, row-major, in a new array: sample {@code n}, row {@code r},
     * feature {@code f} at {@code (n * W + r) * F + f}}
     */
    public double[] toFlatArray() {
        double[] out = new double[blockLength()];
        fill(out, null);
        return out;
    }

    /**
     * The whole (N, W, F) block as floats ({@code (float) v} of each double), laid out like
     * {@link #toFlatArray()}.
     *
     * @return N x W x F floats in a new array
     */
    public float[] toFlatFloatArray() {
        float[] out = new float[blockLength()];
        fill(null, out);
        return out;
    }

    private int blockLength() {
        long total = (long) count() * windowSize * features();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("split '" + name() + "' holds " + total
                    + " numbers, more than one array can; use fewer secids or a shorter range");
        }
        return (int) total;
    }

    /** Fills exactly one of the two arrays, straight from the frames' columns. */
    private void fill(double[] doubles, float[] floats) {
        int f = features();
        int block = windowSize * f;
        for (int n = 0; n < count(); n++) {
            FeatureFrame frame = frames[sampleSecid[n]];
            int src = Columns.offset(frame) + sampleRow[n] - windowSize + 1;
            int dst = n * block;
            for (int j = 0; j < f; j++) {
                double[] column = Columns.column(frame, j);
                if (doubles != null) {
                    for (int r = 0; r < windowSize; r++) {
                        doubles[dst + r * f + j] = column[src + r];
                    }
                } else {
                    for (int r = 0; r < windowSize; r++) {
                        floats[dst + r * f + j] = (float) column[src + r];
                    }
                }
            }
        }
    }

    /** The column that marks a sample's newest window row in an exported split file. */
    public static final String SAMPLE_COLUMN = "sample";
    /** The column of an exported split file that holds the split's code (its index in the dataset). */
    public static final String SPLIT_COLUMN = "split";

    /**
     * The rows of this split as they are exported, one frame per secid with samples, in the query's
     * secid order: the secid's feature rows (normalized when the dataset is) from its first
     * sample's oldest window row through its last sample's newest row, so that every window can be
     * rebuilt from the file, then one numeric column per label (NaN on rows that are no sample's
     * newest row), then {@value #SAMPLE_COLUMN} (categorical, 1 on a sample's newest row, else 0) and
     * {@value #SPLIT_COLUMN} (categorical, {@code code} on every row).
     *
     * @param code the split's code, its index among the dataset's splits
     * @return the frames, one per secid with at least one sample
     * @throws IllegalArgumentException when a label is named like a feature or like one of the two
     *     columns above
     */
    public List<FeatureFrame> exportFrames(int code) {
        List<String> names = new ArrayList<>(featureNames);
        for (String l : labelNames) {
            if (names.contains(l) || l.equals(SAMPLE_COLUMN) || l.equals(SPLIT_COLUMN)) {
                throw new IllegalArgumentException("label '" + l + "' cannot be a column of the export: the name is "
                        + "taken by a feature or by the " + SAMPLE_COLUMN + "/" + SPLIT_COLUMN + " column");
            }
            names.add(l);
        }
        names.add(SAMPLE_COLUMN);
        names.add(SPLIT_COLUMN);
        List<FeatureFrame> out = new ArrayList<>();
        for (int s = 0; s < secids.size(); s++) {
            FeatureFrame frame = frames[s];
            int first = Integer.MAX_VALUE;
            int last = -1;
            for (int n = 0; n < count(); n++) {
                if (sampleSecid[n] == s) {
                    first = Math.min(first, sampleRow[n] - windowSize + 1);
                    last = Math.max(last, sampleRow[n]);
                }
            }
            if (last < 0) {
                continue;
            }
            int rows = last - first + 1;
            int f = features();
            double[][] columns = new double[names.size()][];
            for (int j = 0; j < f; j++) {
                columns[j] = new double[rows];
                frame.copyColumn(j, first, columns[j], 0, rows);
            }
            for (int l = 0; l < labelNames.size(); l++) {
                columns[f + l] = new double[rows];
                Arrays.fill(columns[f + l], Double.NaN);
            }
            double[] sample = new double[rows];
            double[] split = new double[rows];
            Arrays.fill(split, code);
            for (int n = 0; n < count(); n++) {
                if (sampleSecid[n] == s) {
                    int r = sampleRow[n] - first;
                    sample[r] = 1;
                    for (int l = 0; l < labelNames.size(); l++) {
                        columns[f + l][r] = labels[l][n];
                    }
                }
            }
            columns[names.size() - 2] = sample;
            columns[names.size() - 1] = split;
            List<FeatureKind> kinds = new ArrayList<>(frame.kinds());
            for (int l = 0; l < labelNames.size(); l++) {
                kinds.add(FeatureKind.NUMERIC);
            }
            kinds.add(FeatureKind.CATEGORICAL);
            kinds.add(FeatureKind.CATEGORICAL);
            long[] ts = new long[rows];
            frame.copyTimestamps(first, ts, 0, rows);
            out.add(Columns.frame(frame.secid(), frame.featureSet(), frame.timeframe().orElse(null), names, kinds, ts,
                    columns, 0, rows));
        }
        return out;
    }

    @Override
    public String toString() {
        return "DatasetSplit[" + split + ", shape (" + count() + ", " + windowSize + ", " + features() + "), dropped "
                + dropped + "]";
    }
}
