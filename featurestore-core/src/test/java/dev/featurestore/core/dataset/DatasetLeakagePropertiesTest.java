package dev.featurestore.core.dataset;

import static dev.featurestore.core.dataset.Series.M5;
import static dev.featurestore.core.dataset.Series.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.core.DatasetQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Laws of datasets over many seeded random series (three secids, with and without gaps): no
 * future candle changes what was known, no training sample reaches into a later split, and a
 * purge of zero lets the check find the overlap.
 */
@DisplayName("Datasets leak nothing: properties over seeded random series")
class DatasetLeakagePropertiesTest {
    private static final int N = 700;
    private static final int W = 30;
    private static final long BAR = M5.millis();

    private Store store;

    @BeforeEach
    void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static long[] seeds() {
        long[] out = new long[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = 7_001L + 37L * i;
        }
        return out;
    }

    private static List<CandleSeries> secids(long seed) {
        boolean gaps = seed % 2 == 1;
        return List.of(Series.walk("SBER", seed, N, gaps), Series.walk("GAZP", seed + 1, N, gaps),
                Series.walk("LKOH", seed + 2, N - 50, gaps));
    }

    /** Train, valid, test over the common span, boundaries at random candles of the first secid, or between. */
    private static Split[] splits(SplittableRandom rnd, long seed) {
        long[] ts = secids(seed).get(0).timestamps();
        int ia = rnd.nextInt(70, 90);
        int ib = ia + rnd.nextInt(200, 260);
        int ic = ib + rnd.nextInt(100, 150);
        int id = ic + rnd.nextInt(100, 150);
        long a = ts[ia];
        long b = ts[ib] + (rnd.nextBoolean() ? 0 : rnd.nextInt(1, (int) BAR));
        long c = ts[ic];
        long d = ts[id];
        return new Split[] {Split.train(Instant.ofEpochMilli(a), Instant.ofEpochMilli(b)),
            Split.valid(Instant.ofEpochMilli(b), Instant.ofEpochMilli(c)),
            Split.test(Instant.ofEpochMilli(c), Instant.ofEpochMilli(d))};
    }

    private DatasetQuery query(Split[] splits) {
        return store.forSet("tech_v1").timeframe(M5).window(W).labels("fwd_ret_12", "fwd_sign_12", "fwd_ret_1")
                .split(splits);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("changing every candle not closed by T keeps every known window, label and the training statistics"
            + " bit-identical")
    void changesAfterTLeaveTheKnownUnchanged(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Split[] splits = splits(rnd, seed);
        List<CandleSeries> before = secids(seed);
        // T at a random bar of the valid or test range, so that training ends by T
        long[] ts = before.get(0).timestamps();
        long t = ts[java.util.Arrays.binarySearch(ts, splits[2].fromMs()) + rnd.nextInt(-80, 80)] + rnd.nextInt(0,
                (int) BAR);
        List<CandleSeries> after = new ArrayList<>();
        for (CandleSeries s : before) {
            after.add(Series.changedAfter(s, t, seed * 31 + 5));
        }
        for (Normalization norm : List.of(Normalization.zScore(), Normalization.robustZScore().perSecid().clip(4))) {
            Dataset x = query(splits).normalize(norm).dataset(before);
            Dataset y = query(splits).normalize(norm).dataset(after);
            assertThat(y.normalization().orElseThrow().sha256()).as("statistics fitted on a training range ending "
                    + "by T, seed %d", seed).isEqualTo(x.normalization().orElseThrow().sha256());
            assertThat(y.normalization().get().toJson()).isEqualTo(x.normalization().get().toJson());
            int compared = 0;
            for (String name : List.of("train", "valid", "test")) {
                DatasetSplit a = x.split(name);
                DatasetSplit b = y.split(name);
                assertThat(b.endTimestamps()).as("samples depend on candle times only").isEqualTo(a.endTimestamps());
                assertThat(b.sampleSecids()).isEqualTo(a.sampleSecids());
                for (int n = 0; n < a.count(); n++) {
                    long featuresKnown = a.endTs(n) + BAR;
                    if (featuresKnown <= t) {
                        for (int r = 0; r < W; r++) {
                            for (int f = 0; f < a.features(); f++) {
                                assertThat(Double.doubleToRawLongBits(b.get(n, r, f)))
                                        .as("seed %d %s sample %d row %d feature %d", seed, name, n, r, f)
                                        .isEqualTo(Double.doubleToRawLongBits(a.get(n, r, f)));
                            }
                        }
                        compared++;
                    }
                }
                for (String label : a.labelNames()) {
                    double[] la = a.labels(label);
                    double[] lb = b.labels(label);
                    for (int n = 0; n < a.count(); n++) {
                        if (a.labelAvailableAt(n) <= t) {
                            assertThat(Double.doubleToRawLongBits(lb[n])).as("seed %d %s label %s sample %d", seed,
                                    name, label, n).isEqualTo(Double.doubleToRawLongBits(la[n]));
                        }
                    }
                }
            }
            assertThat(compared).as("samples known by T, seed %d", seed).isGreaterThan(100);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("with the default purge no sample's window or label reaches a later split, nor a window of it")
    void defaultPurgeKeepsSplitsApart(long seed) {
        Split[] splits = splits(new SplittableRandom(seed), seed);
        Dataset ds = query(splits).dataset(secids(seed));
        assertThat(ds.definition().effectivePurge()).isEqualTo(W + 12);
        assertThat(overlaps(ds, false)).as("seed %d", seed).isEmpty();
        assertThat(overlaps(ds, true)).as("seed %d: windows of later splits", seed).isEmpty();
        for (DatasetSplit s : ds.splits()) {
            assertThat(s.count()).as("seed %d split %s", seed, s.name()).isPositive();
        }
        assertThat(ds.split("train").dropped().purged()).isPositive();
        assertThat(ds.split("test").dropped().purged()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("with purge 0 the same check finds training labels that reach into the validation range")
    void zeroPurgeIsDetected(long seed) {
        Split[] splits = splits(new SplittableRandom(seed), seed);
        Dataset ds = query(splits).purge(0).dataset(secids(seed));
        // purge 0 drops only a sample whose own candle is still open when the next split starts (a
        // boundary between two open times): at most one per secid
        assertThat(ds.split("train").dropped().purged()).isLessThanOrEqualTo(3);
        assertThat(overlaps(ds, false)).as("seed %d", seed).isNotEmpty();
        // a purge of the largest horizon is enough for the labels, not for the later windows
        Dataset h = query(splits).purge(12).dataset(secids(seed));
        assertThat(overlaps(h, false)).as("seed %d, purge 12", seed).isEmpty();
        assertThat(overlaps(h, true)).as("seed %d, purge 12, windows", seed).isNotEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("an embargo of e bars leaves no sample of a later split whose e bars before reach an earlier split")
    void embargoDropsTheBarsAfterASplit(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Split[] splits = splits(rnd, seed);
        int e = rnd.nextInt(1, 40);
        Dataset ds = query(splits).embargo(e).dataset(secids(seed));
        Dataset none = query(splits).dataset(secids(seed));
        Map<String, long[]> ts = new HashMap<>();
        for (CandleSeries s : secids(seed)) {
            ts.put(s.secid(), s.timestamps());
        }
        for (String name : List.of("valid", "test")) {
            DatasetSplit s = ds.split(name);
            long earlierEnd = name.equals("valid") ? splits[0].toMs() : splits[1].toMs();
            for (int n = 0; n < s.count(); n++) {
                long[] cts = ts.get(s.secid(n));
                int i = java.util.Arrays.binarySearch(cts, s.endTs(n));
                assertThat(i).isGreaterThanOrEqualTo(e);
                assertThat(cts[i - e]).as("seed %d %s sample %d", seed, name, n).isGreaterThanOrEqualTo(earlierEnd);
            }
            assertThat(s.dropped().embargoed()).isPositive();
            assertThat(s.count() + s.dropped().embargoed()).isEqualTo(none.split(name).count());
        }
        assertThat(ds.split("train").dropped().embargoed()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("samples are ordered by end time, then secid in the query's order, and every label is known")
    void orderAndKnownLabels(long seed) {
        Split[] splits = splits(new SplittableRandom(seed), seed);
        Instant asOf = Instant.ofEpochMilli(splits[2].fromMs() + 60 * BAR);
        Dataset ds = store.forSet("tech_v1").timeframe(M5).window(W).asOf(asOf).labels("fwd_ret_12").split(splits)
                .dataset(secids(seed));
        List<String> order = List.of("SBER", "GAZP", "LKOH");
        for (DatasetSplit s : ds.splits()) {
            for (int n = 1; n < s.count(); n++) {
                boolean ordered = s.endTs(n - 1) < s.endTs(n) || s.endTs(n - 1) == s.endTs(n)
                        && order.indexOf(s.secid(n - 1)) < order.indexOf(s.secid(n));
                assertThat(ordered).as("seed %d %s samples %d, %d", seed, s.name(), n - 1, n).isTrue();
            }
            for (int n = 0; n < s.count(); n++) {
                assertThat(s.labelAvailableAt(n)).isLessThanOrEqualTo(asOf.toEpochMilli());
                assertThat(s.labelAvailableAt(n)).isGreaterThanOrEqualTo(s.endTs(n) + 13 * BAR);
                assertThat(s.windowStartTs(n)).isGreaterThanOrEqualTo(START);
            }
            int sum = 0;
            for (int c : s.countsBySecid().values()) {
                sum += c;
            }
            assertThat(sum).isEqualTo(s.count());
            assertThat(s.countsBySecid().keySet()).containsExactlyElementsOf(order);
        }
        assertThat(ds.split("test").dropped().unlabeled()).as("labels not known as of %s", asOf).isPositive();
    }

    /**
     * The samples of an earlier split whose span, {@code [window start, label_available_at)}, meets a
     * later split: its range, or (when {@code windows}) the window span of one of its samples of the
     * same secid.
     */
    private static List<String> overlaps(Dataset ds, boolean windows) {
        List<String> found = new ArrayList<>();
        List<DatasetSplit> splits = ds.splits();
        for (DatasetSplit early : splits) {
            for (DatasetSplit late : splits) {
                if (late.split().fromMs() < early.split().toMs()) {
                    continue;
                }
                Map<String, Long> firstWindow = new HashMap<>();
                for (int m = 0; m < late.count(); m++) {
                    firstWindow.merge(late.secid(m), late.windowStartTs(m), Math::min);
                }
                for (int n = 0; n < early.count(); n++) {
                    long start = early.windowStartTs(n);
                    long end = early.labelAvailableAt(n);
                    long lateFrom = windows ? firstWindow.getOrDefault(early.secid(n), Long.MAX_VALUE)
                            : late.split().fromMs();
                    if (start < late.split().toMs() && end > lateFrom) {
                        found.add(early.name() + " sample " + n + " (" + early.secid(n) + ") reaches " + late.name());
                    }
                }
            }
        }
        return found;
    }
}
