package dev.featurestore.core.storage.files;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.storage.BuildListener;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The array work of a {@link FileStorage} on rows kept in increasing ts order, one {@code long[]}
 * of ts and one {@code double[]} per column: binary search, the merge of a candle upsert into a
 * file's rows and the splice of a build's frame into them. Values are copied bit for bit. It
 * touches no file.
 */
final class SortedColumns {
    private SortedColumns() {
    }

    /** Rows in ts order: {@code ts} and one array per column, each as long as {@code ts}. */
    record Rows(long[] ts, double[][] columns) {
    }

    /** A candle upsert's rows merged into a file's, and how many new rows were of each kind. */
    record Merged(Rows rows, long inserted, long replaced, long unchanged) {
        /** True when a row was inserted or replaced, so the file needs rewriting. */
        boolean changed() {
            return inserted + replaced > 0;
        }
    }

    /**
     * Merges new rows into old ones by ts: a new row replaces the old row of its ts. Counts a
     * replaced row whose values have the same bits as unchanged; when nothing changed the old
     * rows are returned as they are.
     */
    static Merged merge(long[] ots, double[][] oc, long[] nts, double[][] nc) {
        int w = nc.length;
        int cap = ots.length + nts.length;
        long[] ts = new long[cap];
        double[][] cols = new double[w][cap];
        long inserted = 0;
        long replaced = 0;
        long unchanged = 0;
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < ots.length || j < nts.length) {
            if (j >= nts.length || (i < ots.length && ots[i] < nts[j])) {
                ts[k] = ots[i];
                for (int c = 0; c < w; c++) {
                    cols[c][k] = oc[c][i];
                }
                i++;
            } else {
                if (i < ots.length && ots[i] == nts[j]) {
                    boolean same = true;
                    for (int c = 0; c < w; c++) {
                        same &= Double.doubleToRawLongBits(oc[c][i]) == Double.doubleToRawLongBits(nc[c][j]);
                    }
                    if (same) {
                        unchanged++;
                    } else {
                        replaced++;
                    }
                    i++;
                } else {
                    inserted++;
                }
                ts[k] = nts[j];
                for (int c = 0; c < w; c++) {
                    cols[c][k] = nc[c][j];
                }
                j++;
            }
            k++;
        }
        if (inserted + replaced == 0) {
            return new Merged(new Rows(ots, oc), inserted, replaced, unchanged);
        }
        for (int c = 0; c < w; c++) {
            cols[c] = Arrays.copyOf(cols[c], k);
        }
        return new Merged(new Rows(Arrays.copyOf(ts, k), cols), inserted, replaced, unchanged);
    }

    /**
     * The old rows with those of ts in {@code [fromTs, toTs)} replaced by the frame's rows, telling
     * the listener of each frame row as it is staged.
     *
     * @param place where each frame row goes among the frame's rows ({@link #placesInTsOrder}),
     *     null when they are in order
     */
    static Rows splice(long[] ots, double[][] oc, long fromTs, long toTs, FeatureFrame frame, int[] place,
            BuildListener listener) {
        int f = frame.featureNames().size();
        int before = lowerBound(ots, fromTs);
        int after = lowerBound(ots, toTs);
        int n = before + frame.size() + (ots.length - after);
        long[] ts = new long[n];
        double[][] cols = new double[f][n];
        System.arraycopy(ots, 0, ts, 0, before);
        for (int j = 0; j < f; j++) {
            System.arraycopy(oc[j], 0, cols[j], 0, before);
        }
        for (int r = 0; r < frame.size(); r++) {
            int at = before + (place == null ? r : place[r]);
            ts[at] = frame.ts(r);
            for (int j = 0; j < f; j++) {
                cols[j][at] = frame.value(r, j);
            }
            listener.rowStaged(r);
        }
        int tail = before + frame.size();
        System.arraycopy(ots, after, ts, tail, ots.length - after);
        for (int j = 0; j < f; j++) {
            System.arraycopy(oc[j], after, cols[j], tail, ots.length - after);
        }
        return new Rows(ts, cols);
    }

    /**
     * Where each frame row goes in ts order: null when the rows are in order already.
     *
     * @throws IllegalArgumentException when two rows have the same ts
     */
    static int[] placesInTsOrder(FeatureFrame frame) {
        boolean sorted = true;
        for (int r = 1; r < frame.size() && sorted; r++) {
            sorted = frame.ts(r - 1) < frame.ts(r);
        }
        if (sorted) {
            return null;
        }
        Integer[] order = new Integer[frame.size()];
        for (int r = 0; r < order.length; r++) {
            order[r] = r;
        }
        Arrays.sort(order, Comparator.comparingLong(frame::ts));
        int[] place = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            if (k > 0 && frame.ts(order[k]) == frame.ts(order[k - 1])) {
                throw new IllegalArgumentException("rows " + order[k - 1] + " and " + order[k] + " of the frame of ("
                        + frame.featureSet() + ", " + frame.secid() + ") have the same ts " + frame.ts(order[k]));
            }
            place[order[k]] = k;
        }
        return place;
    }

    /** First index whose ts is {@code >= key}. */
    static int lowerBound(long[] ts, long key) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose ts is {@code > key}. */
    static int upperBound(long[] ts, long key) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
