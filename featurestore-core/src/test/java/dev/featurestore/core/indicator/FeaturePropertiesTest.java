package dev.featurestore.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.FeatureComparison;
import dev.featurestore.core.testing.TestCandles;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Laws of the feature computation over many seeded random series (random walks on a tick grid
 * with flat stretches, repeated values, zero volumes and candles with h = l).
 */
@DisplayName("Feature laws over 200 seeded random series")
class FeaturePropertiesTest {
    private static Store store;
    private static final FeatureComparison ERRORS = new FeatureComparison();

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
        System.out.println(ERRORS.report("Largest errors against the reference, 200 random series:"));
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    private static CandleSeries series(long seed) {
        int n = new SplittableRandom(seed ^ 0x5DEECE66DL).nextInt(1, 400);
        return TestCandles.randomWalk(seed, n, Timeframe.ONE_MINUTE, seed % 3 == 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("the library agrees with the reference implementation on every row and feature")
    void agreesWithReference(long seed) {
        CandleSeries s = series(seed);
        ERRORS.check("seed " + seed + " tech_v2", s, store.forSet("tech_v2").timeframe("1m").computeAllRows(s));
        ERRORS.check("seed " + seed + " tech_v1", s, store.forSet("tech_v1").computeAllRows(s));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("no look-ahead: a prefix gives bit-identical values to the same rows of the whole series")
    void prefixInvariance(long seed) {
        CandleSeries s = series(seed);
        FeatureFrame full = store.forSet("tech_v2").computeAllRows(s);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] cuts = {1, Math.min(s.size(), 34), rnd.nextInt(0, s.size() + 1), rnd.nextInt(0, s.size() + 1),
                s.size() - 1 < 0 ? 0 : s.size() - 1};
        for (int m : cuts) {
            FeatureFrame prefix = store.forSet("tech_v2").computeAllRows(s.slice(0, m));
            assertThat(prefix.size()).isEqualTo(m);
            for (int j = 0; j < full.featureNames().size(); j++) {
                for (int t = 0; t < m; t++) {
                    assertThat(Double.doubleToRawLongBits(prefix.value(t, j)))
                            .as("seed %d, prefix %d, %s row %d: %s vs %s", seed, m, full.featureNames().get(j), t,
                                    prefix.value(t, j), full.value(t, j))
                            .isEqualTo(Double.doubleToRawLongBits(full.value(t, j)));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("bounded features stay in their range and no defined value is infinite")
    void ranges(long seed) {
        CandleSeries s = series(seed);
        FeatureFrame f = store.forSet("tech_v2").computeAllRows(s);
        for (int t = 0; t < f.size(); t++) {
            for (int j = 0; j < f.featureNames().size(); j++) {
                assertThat(Double.isInfinite(f.value(t, j))).as("%s row %d", f.featureNames().get(j), t).isFalse();
            }
            inRange(f, t, "rsi_14", 0, 100);
            inRange(f, t, "stoch_k_14", 0, 100);
            inRange(f, t, "stoch_d_3", 0, 100);
            inRange(f, t, "price_position_20", 0, 1);
            inRange(f, t, "candle_body_pct", -1, 1);
            inRange(f, t, "upper_shadow_pct", 0, 1);
            inRange(f, t, "lower_shadow_pct", 0, 1);
            inRange(f, t, "volatility_20", 0, Double.MAX_VALUE);
            inRange(f, t, "atr_14", 0, Double.MAX_VALUE);
            inRange(f, t, "intraday_range_pct", 0, Double.MAX_VALUE);
            if (t >= 1) {
                double bull = f.value(t, "bullish_engulfing");
                double bear = f.value(t, "bearish_engulfing");
                assertThat(bull).isIn(0.0, 1.0);
                assertThat(bear).isIn(0.0, 1.0);
                assertThat(bull + bear).as("row %d is not both bullish and bearish", t).isLessThanOrEqualTo(1.0);
            }
        }
    }

    private static void inRange(FeatureFrame f, int t, String feature, double lo, double hi) {
        double x = f.value(t, feature);
        if (!Double.isNaN(x)) {
            assertThat(x).as("%s row %d", feature, t).isBetween(lo, hi);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("tech_v1's columns are the same numbers as tech_v2's, and clean rows start at row 33")
    void setsAgree(long seed) {
        CandleSeries s = series(seed);
        FeatureFrame v1 = store.forSet("tech_v1").computeAllRows(s);
        FeatureFrame v2 = store.forSet("tech_v2").computeAllRows(s);
        for (String feature : v1.featureNames()) {
            double[] a = v1.column(feature);
            double[] b = v2.column(feature);
            for (int t = 0; t < a.length; t++) {
                assertThat(Double.doubleToRawLongBits(a[t])).as("%s row %d", feature, t)
                        .isEqualTo(Double.doubleToRawLongBits(b[t]));
            }
        }
        FeatureFrame clean = store.forSet("tech_v2").compute(s);
        assertThat(clean.size()).isEqualTo(Math.max(0, s.size() - 33));
        for (int r = 0; r < clean.size(); r++) {
            assertThat(clean.ts(r)).isEqualTo(s.ts(r + 33));
            for (int j = 0; j < clean.featureNames().size(); j++) {
                assertThat(clean.value(r, j)).isNotNaN();
            }
        }
    }
}
