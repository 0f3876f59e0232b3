package dev.featurestore.testkit;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.core.registry.FeatureRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded feature frames shaped like the built-in tech_v2 set (its feature names, order and kinds),
 * with awkward doubles (signed zeros, subnormals, huge values), for the snapshot formats' tests.
 */
public final class SnapshotFixtures {
    /** The timeframe of every fixture frame: one minute. */
    public static final Timeframe TF = Timeframe.parse("1m");
    /**
     * The time the fixture rows start from, epoch ms UTC: 2026-01-01T00:00:00Z. The frames of
     * {@link #large} open their first row here, those of {@link #frames} a few minutes later.
     */
    public static final long START = 1_767_225_600_000L;
    /** The features of the built-in tech_v2 set, in its order. */
    public static final List<String> FEATURES;
    /** The kinds of {@link #FEATURES}, one each. */
    public static final List<FeatureKind> KINDS;

    static {
        FeatureRegistry registry = FeatureRegistry.builtin();
        FeatureSetSpec spec = registry.featureSet("tech_v2");
        FEATURES = spec.features();
        List<FeatureKind> kinds = new ArrayList<>();
        for (Indicator i : registry.indicators(spec)) {
            kinds.add(i.kind());
        }
        KINDS = List.copyOf(kinds);
    }

    private SnapshotFixtures() {
    }

    /**
     * {@return snapshot metadata for the fixture frames: tech_v2, {@link #TF}, {@link #FEATURES}
     * and {@link #KINDS}, library version {@code test-1}, no fingerprint}
     */
    public static SnapshotMetadata meta() {
        return new SnapshotMetadata("tech_v2", TF, FEATURES, KINDS, "test-1", START - 86_400_000L, START - 33 * 60_000L,
                START + 10_000_000L);
    }

    /**
     * {@code secids} frames of up to {@code maxRows} rows each, sorted by secid, with awkward
     * doubles. Rows are one minute apart, with a gap of a few minutes now and then; every third
     * secid holds a non-ASCII letter.
     *
     * @param seed the random seed; equal seeds give equal frames
     * @param secids how many frames, one per secid
     * @param maxRows the most rows a frame has, 1 or more
     * @return the frames, of 1 to {@code maxRows} rows each
     */
    public static List<FeatureFrame> frames(long seed, int secids, int maxRows) {
        Random rnd = new Random(seed);
        List<FeatureFrame> out = new ArrayList<>();
        for (int s = 0; s < secids; s++) {
            int n = 1 + rnd.nextInt(maxRows);
            long[] ts = new long[n];
            long t = START + rnd.nextInt(1000) * 60_000L;
            for (int i = 0; i < n; i++) {
                t += (1 + (rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 0)) * 60_000L;
                ts[i] = t;
            }
            double[][] cols = new double[FEATURES.size()][n];
            for (int f = 0; f < cols.length; f++) {
                for (int i = 0; i < n; i++) {
                    cols[f][i] = KINDS.get(f) == FeatureKind.CATEGORICAL ? rnd.nextInt(2) : awkward(rnd);
                }
            }
            out.add(Columns.frame(String.format("SEC%03d", s) + (s % 3 == 0 ? "-Ü" : ""), "tech_v2", TF, FEATURES,
                    KINDS, ts, cols, 0, n));
        }
        return out;
    }

    /**
     * One large frame per secid, every row one minute apart from {@link #START}; cheap to
     * generate. The values are always the same (a fixed seed).
     *
     * @param secids how many frames, one per secid ({@code SEC0}, {@code SEC1}, ...)
     * @param rows the rows of each frame
     * @return the frames
     */
    public static List<FeatureFrame> large(int secids, int rows) {
        Random rnd = new Random(42);
        List<FeatureFrame> out = new ArrayList<>();
        for (int s = 0; s < secids; s++) {
            long[] ts = new long[rows];
            double[][] cols = new double[FEATURES.size()][rows];
            for (int i = 0; i < rows; i++) {
                ts[i] = START + i * 60_000L;
            }
            for (int f = 0; f < cols.length; f++) {
                for (int i = 0; i < rows; i++) {
                    cols[f][i] = KINDS.get(f) == FeatureKind.CATEGORICAL ? rnd.nextInt(2) : rnd.nextGaussian();
                }
            }
            out.add(Columns.frame("SEC" + s, "tech_v2", TF, FEATURES, KINDS, ts, cols, 0, rows));
        }
        return out;
    }

    private static double awkward(Random rnd) {
        switch (rnd.nextInt(12)) {
            case 0:
                return -0.0;
            case 1:
                return Double.MIN_VALUE * (1 + rnd.nextInt(1000));
            case 2:
                return (rnd.nextBoolean() ? 1 : -1) * Double.MAX_VALUE / (1 + rnd.nextInt(10));
            case 3:
                return 0.0;
            case 4:
                return rnd.nextLong() / 1e3;
            default:
                return rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10);
        }
    }
}
