package dev.featurestore.core.quality;

import java.util.Arrays;
import java.util.List;

/**
 * What the quality statistics read of one feature's finite values in ascending order: the value
 * at a rank, and how many values lie at or below (or below) a cut. Two forms give the same
 * answers, bit for bit: {@link #sorted} over a sorted array, and {@link #selected}, which finds
 * only the ranks the percentiles read (a quickselect, linear time on average) and counts by
 * scanning, instead of sorting every value. The order is {@code Arrays.sort}'s, so {@code -0.0}
 * ranks before {@code 0.0}.
 */
abstract class Order {
    private Order() {
    }

    /** Over values sorted ascending by {@code Arrays.sort}. */
    static Order sorted(double[] sorted) {
        return new Sorted(sorted);
    }

    /**
     * Over the first {@code n} values of {@code values}, in any order (not changed), able to tell
     * the value at each of {@code ranks} and at the first and last rank.
     */
    static Order selected(double[] values, int n, int[] ranks) {
        return new Selected(values, n, ranks);
    }

    /** How many values there are. */
    abstract int size();

    /** The value at a rank of the ascending order. */
    abstract double at(int rank);

    /** How many values are {@code <= x}. */
    abstract long countAtMost(double x);

    /** How many values are {@code < x}. */
    abstract long countBelow(double x);

    /** {@link #countAtMost} of each cut. */
    long[] countsAtMost(List<Double> cuts) {
        long[] out = new long[cuts.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = countAtMost(cuts.get(k));
        }
        return out;
    }

    private static final class Sorted extends Order {
        private final double[] sorted;

        Sorted(double[] sorted) {
            this.sorted = sorted;
        }

        @Override
        int size() {
            return sorted.length;
        }

        @Override
        double at(int rank) {
            return sorted[rank];
        }

        @Override
        long countAtMost(double x) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        @Override
        long countBelow(double x) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    private static final class Selected extends Order {
        /** Below this many keys a range is sorted outright. */
        private static final int SMALL = 48;

        private final double[] values;
        private final int n;
        private final int[] ranks;
        private final double[] at;

        Selected(double[] values, int n, int[] wanted) {
            this.values = values;
            this.n = n;
            int[] r = Arrays.copyOf(wanted, wanted.length + 2);
            r[wanted.length] = 0;
            r[wanted.length + 1] = n - 1;
            r = Arrays.stream(r).filter(x -> x >= 0 && x < n).sorted().distinct().toArray();
            this.ranks = r;
            this.at = new double[r.length];
            if (n == 0) {
                return;
            }
            // Keys whose signed order is Double.compare's order (and so Arrays.sort's, which puts
            // -0.0 before 0.0) for every value that is not NaN.
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                long bits = Double.doubleToRawLongBits(values[i]);
                keys[i] = bits ^ ((bits >> 63) & Long.MAX_VALUE);
            }
            int depth = 2 * (64 - Long.numberOfLeadingZeros(n));
            select(keys, 0, n, r, 0, r.length, depth);
            for (int k = 0; k < r.length; k++) {
                long key = keys[r[k]];
                at[k] = Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
            }
        }

        /**
         * Reorders {@code a[lo, hi)} so that each rank of {@code ranks[rlo, rhi)} (all within the
         * range) holds the key of that rank: three-way partitions around a median of three, into
         * the sides that hold wanted ranks only, and a sort of short ranges or past {@code depth}
         * partitions (so the worst case stays n log n).
         */
        private static void select(long[] a, int lo, int hi, int[] ranks, int rlo, int rhi, int depth) {
            while (rlo < rhi) {
                if (hi - lo <= SMALL || depth-- == 0) {
                    Arrays.sort(a, lo, hi);
                    return;
                }
                int mid = (lo + hi) >>> 1;
                long p = median(a[lo], a[mid], a[hi - 1]);
                int lt = lo;
                int gt = hi;
                int i = lo;
                while (i < gt) {
                    long v = a[i];
                    if (v < p) {
                        a[i++] = a[lt];
                        a[lt++] = v;
                    } else if (v > p) {
                        a[i] = a[--gt];
                        a[gt] = v;
                    } else {
                        i++;
                    }
                }
                // [lo, lt) < p, [lt, gt) == p, [gt, hi) > p
                int left = rlo;
                while (left < rhi && ranks[left] < lt) {
                    left++;
                }
                int right = left;
                while (right < rhi && ranks[right] < gt) {
                    right++;
                }
                if (left - rlo < rhi - right) {
                    select(a, lo, lt, ranks, rlo, left, depth);
                    lo = gt;
                    rlo = right;
                } else {
                    select(a, gt, hi, ranks, right, rhi, depth);
                    hi = lt;
                    rhi = left;
                }
            }
        }

        private static long median(long a, long b, long c) {
            return a < b ? (b < c ? b : Math.max(a, c)) : (a < c ? a : Math.max(b, c));
        }

        @Override
        int size() {
            return n;
        }

        @Override
        double at(int rank) {
            int k = Arrays.binarySearch(ranks, rank);
            if (k < 0) {
                throw new IllegalStateException("rank " + rank + " of " + n + " was not selected");
            }
            return at[k];
        }

        @Override
        long countAtMost(double x) {
            long c = 0;
            for (int i = 0; i < n; i++) {
                if (values[i] <= x) {
                    c++;
                }
            }
            return c;
        }

        @Override
        long countBelow(double x) {
            long c = 0;
            for (int i = 0; i < n; i++) {
                if (values[i] < x) {
                    c++;
                }
            }
            return c;
        }

        /**
         * One scan for every cut: each value is placed among the cuts by a binary search (the
         * number of cuts below it), so {@code countAtMost(cut k)} is the number of values with at
         * most k cuts below them. Cuts out of order or NaN are counted one by one instead.
         */
        @Override
        long[] countsAtMost(List<Double> cuts) {
            int m = cuts.size();
            double[] c = new double[m];
            for (int k = 0; k < m; k++) {
                c[k] = cuts.get(k);
                if (Double.isNaN(c[k]) || k > 0 && !(c[k] >= c[k - 1])) {
                    return super.countsAtMost(cuts);
                }
            }
            long[] placed = new long[m + 1];
            for (int i = 0; i < n; i++) {
                double v = values[i];
                int lo = 0;
                int hi = m;
                while (lo < hi) { // the number of cuts < v
                    int mid = (lo + hi) >>> 1;
                    if (c[mid] < v) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                placed[lo]++;
            }
            long[] out = new long[m];
            long sum = 0;
            for (int k = 0; k < m; k++) {
                sum += placed[k];
                out[k] = sum;
            }
            return out;
        }
    }
}
