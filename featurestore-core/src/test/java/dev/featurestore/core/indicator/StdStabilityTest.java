package dev.featurestore.core.indicator;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.FeatureComparison;
import dev.featurestore.core.testing.TestCandles;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rolling standard deviations where the running-sums form loses its digits: a small deviation
 * next to a large level, and a large value leaving the window (a volume spike, a price jump).
 * Every row is compared with the reference implementation.
 */
@DisplayName("Rolling means and standard deviations stay exact where running sums cancel")
class StdStabilityTest {
    private static Store store;

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static CandleSeries series(double[] c, double[] v) {
        int n = c.length;
        long[] ts = new long[n];
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        for (int t = 0; t < n; t++) {
            ts[t] = TestCandles.START + 60_000L * t;
            o[t] = t == 0 ? c[0] : c[t - 1];
            h[t] = Math.max(o[t], c[t]);
            l[t] = Math.min(o[t], c[t]);
        }
        return CandleSeries.of("STD", null, ts, o, h, l, c, v);
    }

    @ParameterizedTest(name = "spike of {0}")
    @ValueSource(doubles = {1e4, 1e6, 1e9, 1e12})
    @DisplayName("volume_zscore_20 after a volume spike leaves the window (an opening auction, a block trade)")
    void volumeSpike(double spike) {
        SplittableRandom rnd = new SplittableRandom(42);
        int n = 300;
        double[] c = new double[n];
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            c[t] = 100 + (t % 7) * 0.01;
            v[t] = 100 + rnd.nextInt(0, 21);
            if (t % 97 == 30) {
                v[t] = spike;
            }
        }
        CandleSeries s = series(c, v);
        new FeatureComparison().check("volume spike " + spike, s, store.forSet("tech_v2").computeAllRows(s));
    }

    @Test
    @DisplayName("bollinger_band_pct and volatility_20 after a price jump leaves the window")
    void priceJump() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 300;
        double[] c = new double[n];
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            double level = (t / 50) % 2 == 0 ? 10 : 10_000;
            c[t] = level + rnd.nextInt(0, 5) * 0.0001;
            v[t] = 1 + rnd.nextInt(0, 3);
        }
        CandleSeries s = series(c, v);
        new FeatureComparison().check("price jumps", s, store.forSet("tech_v2").computeAllRows(s));
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(doubles = {1.0, 101.37, 5000.0, 65000.0, 1e6})
    @DisplayName("a one-tick deviation next to the level (one close in twenty differs by 0.0001)")
    void oneTick(double level) {
        int n = 120;
        double[] c = new double[n];
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            c[t] = t % 23 == 5 ? level + 0.0001 : level;
            v[t] = t % 23 == 5 ? 1e9 + 1 : 1e9;
        }
        CandleSeries s = series(c, v);
        new FeatureComparison().check("one tick at " + level, s, store.forSet("tech_v2").computeAllRows(s));
    }
}
