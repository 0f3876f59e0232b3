package dev.featurestore.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.testing.TestCandles;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs only with the Vector API in the JVM (the build's {@code simd-kernels} test execution): the
 * SIMD kernels give the scalar kernels' values, bit for bit.
 */
@DisplayName("SIMD kernels (Vector API) equal the scalar kernels bit for bit")
class SimdKernelsTest {
    private static final Accelerated SIMD = Accelerated.load();

    @Test
    @DisplayName("the SIMD kernels load when the JVM has jdk.incubator.vector, and not when turned off")
    void loads() {
        assertThat(SIMD).as("Accelerated.load() with --add-modules jdk.incubator.vector").isNotNull();
        String before = System.getProperty("featurestore.vector");
        System.setProperty("featurestore.vector", "false");
        try {
            assertThat(Accelerated.load()).isNull();
        } finally {
            if (before == null) {
                System.clearProperty("featurestore.vector");
            } else {
                System.setProperty("featurestore.vector", before);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    @DisplayName("range family, engulfing and candle shapes on random walks of 5 to 40 rows and up to 20,000")
    void range_family_on_random_walks(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = seed <= 8 ? (int) seed * 5 : 1 + random.nextInt(20_000);
        check(TestCandles.randomWalk(seed, n, Timeframe.ONE_MINUTE, false), "random walk " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32, 33, 34, 35, 36})
    @DisplayName("range family, engulfing and candle shapes on tick-rounded, often flat prices (neutral values)")
    void range_family_on_flat_prices(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(3_000);
        long[] ts = new long[n];
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        double[] c = new double[n];
        double[] v = new double[n];
        double price = 101.37;
        for (int i = 0; i < n; i++) {
            ts[i] = TestCandles.START + i * 60_000L;
            if (random.nextInt(8) == 0) {
                price = 101.37 + random.nextInt(3) * 0.01;
            }
            int move = random.nextInt(4);
            o[i] = price;
            c[i] = move == 1 ? price + 0.01 : price;
            h[i] = Math.max(o[i], c[i]) + (move == 2 ? 0.01 : 0);
            l[i] = Math.min(o[i], c[i]) - (move == 3 ? 0.01 : 0);
        }
        check(CandleSeries.of("FLAT", Timeframe.ONE_MINUTE, ts, o, h, l, c, v), "flat " + seed);
    }

    private static void check(CandleSeries s, String what) {
        int n = s.size();
        double[] position = new double[n];
        double[] k = new double[n];
        double[] d = new double[n];
        Kernels.rangePosition(s.highs(), s.lows(), s.closes(), 20, 1.0, 0.5, position);
        Kernels.rangePosition(s.highs(), s.lows(), s.closes(), 14, 100.0, 50.0, k);
        Arrays.fill(d, 0, Math.min(15, n), Double.NaN);
        BuiltinIndicators.stochD(k, d, 15, n);
        double[] simdPosition = new double[n];
        double[] simdK = new double[n];
        double[] simdD = new double[n];
        SIMD.rangeFamily(s.highs(), s.lows(), s.closes(), simdPosition, simdK, simdD);
        same(what + ", price_position_20", position, simdPosition);
        same(what + ", stoch_k_14", k, simdK);
        same(what + ", stoch_d_3", d, simdD);
        double[] onlyPosition = new double[n];
        SIMD.rangeFamily(s.highs(), s.lows(), s.closes(), onlyPosition, null, null);
        same(what + ", price_position_20 alone", position, onlyPosition);
        double[] onlyK = new double[n];
        SIMD.rangeFamily(s.highs(), s.lows(), s.closes(), null, onlyK, null);
        same(what + ", stoch_k_14 alone", k, onlyK);
        double[] bull = new double[n];
        double[] bear = new double[n];
        BuiltinIndicators.engulfingRows(s.opens(), s.closes(), bull, bear, 1, n);
        double[] simdBull = new double[n];
        double[] simdBear = new double[n];
        SIMD.engulfing(s.opens(), s.closes(), simdBull, simdBear);
        same(what + ", bullish_engulfing", bull, simdBull);
        same(what + ", bearish_engulfing", bear, simdBear);
        double[] onlyBear = new double[n];
        SIMD.engulfing(s.opens(), s.closes(), null, onlyBear);
        same(what + ", bearish_engulfing alone", bear, onlyBear);
        double[][] scalar = new double[5][n];
        double[][] simd = new double[5][n];
        Kernels.simpleReturn(s.closes(), scalar[0]);
        BuiltinIndicators.intradayRange(s.highs(), s.lows(), s.closes(), scalar[1], 0, n);
        BuiltinIndicators.candleBody(s.opens(), s.highs(), s.lows(), s.closes(), scalar[2], 0, n);
        BuiltinIndicators.upperShadow(s.opens(), s.highs(), s.lows(), s.closes(), scalar[3], 0, n);
        BuiltinIndicators.lowerShadow(s.opens(), s.highs(), s.lows(), s.closes(), scalar[4], 0, n);
        SIMD.shapes(s.opens(), s.highs(), s.lows(), s.closes(), simd[0], simd[1], simd[2], simd[3], simd[4]);
        String[] shapes = {"return_1", "intraday_range_pct", "candle_body_pct", "upper_shadow_pct", "lower_shadow_pct"};
        for (int j = 0; j < shapes.length; j++) {
            same(what + ", " + shapes[j], scalar[j], simd[j]);
        }
    }

    private static void same(String what, double[] expected, double[] actual) {
        for (int t = 0; t < expected.length; t++) {
            assertThat(Double.doubleToRawLongBits(actual[t])).as("%s at row %d: scalar %s, SIMD %s", what, t,
                    expected[t], actual[t]).isEqualTo(Double.doubleToRawLongBits(expected[t]));
        }
    }
}
