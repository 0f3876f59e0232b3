package dev.featurestore.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.ReferenceFeatures;
import dev.featurestore.core.testing.TestCandles;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden values of every feature on tiny hand-checked series: the expected numbers are worked
 * out in the test from the definitions, with the arithmetic written out.
 */
@DisplayName("Golden values of the twenty built-in features")
class GoldenFeaturesTest {
    private static Store store;

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Every row of tech_v2 over explicit candles (no timeframe). */
    static FeatureFrame compute(double[] o, double[] h, double[] l, double[] c, double[] v) {
        long[] ts = new long[c.length];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = TestCandles.START + t * 60_000L;
        }
        return store.forSet("tech_v2").computeAllRows(CandleSeries.of("GOLD", null, ts, o, h, l, c, v));
    }

    /** Flat candles (o = h = l = c) at the given closes, volume 1. */
    static FeatureFrame closesOnly(double... c) {
        double[] v = new double[c.length];
        Arrays.fill(v, 1);
        return compute(c, c, c, c, v);
    }

    /** Candles around the closes with high = c + 1, low = c - 1, open = previous close. */
    static FeatureFrame withRange(double[] c, double[] v) {
        int n = c.length;
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        for (int t = 0; t < n; t++) {
            o[t] = t == 0 ? c[0] : c[t - 1];
            h[t] = Math.max(o[t], c[t]) + 1;
            l[t] = Math.min(o[t], c[t]) - 1;
        }
        return compute(o, h, l, c, v);
    }

    static double[] constant(int n, double value) {
        double[] x = new double[n];
        Arrays.fill(x, value);
        return x;
    }

    /** 1, 2, 3, ..., n plus {@code offset}. */
    static double[] ramp(int n, double offset) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = t + 1 + offset;
        }
        return x;
    }

    static void assertUndefinedBefore(FeatureFrame f, String feature, int firstRow) {
        for (int t = 0; t < Math.min(firstRow, f.size()); t++) {
            assertThat(f.value(t, feature)).as("%s row %d is before its first defined row %d", feature, t, firstRow)
                    .isNaN();
        }
    }

    static void assertRel(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
    }

    // ---------------------------------------------------------------- warm-up

    @Nested
    @DisplayName("First defined rows")
    class FirstRows {
        @Test
        @DisplayName("every feature is NaN before the row the definitions give and defined from it on")
        void everyFeature() {
            FeatureFrame f = withRange(ramp(45, 100), constant(45, 10));
            for (String feature : ReferenceFeatures.TECH_V2) {
                int first = ReferenceFeatures.FIRST_DEFINED_ROW.get(feature);
                assertUndefinedBefore(f, feature, first);
                for (int t = first; t < f.size(); t++) {
                    assertThat(f.value(t, feature)).as("%s row %d", feature, t).isNotNaN();
                }
            }
        }

        @Test
        @DisplayName("each indicator declares the first defined row of the definitions")
        void declared() {
            FeatureRegistry registry = FeatureRegistry.builtin();
            for (String feature : ReferenceFeatures.TECH_V2) {
                Indicator i = registry.indicator(feature);
                assertThat(i).as(feature).isNotNull();
                assertThat(i.firstDefinedRow()).as(feature).isEqualTo(ReferenceFeatures.FIRST_DEFINED_ROW.get(feature));
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"tech_v1", "tech_v2"})
        @DisplayName("the first clean row of tech_v1 and tech_v2 is row 33")
        void firstCleanRow(String set) {
            CandleSeries s = TestCandles.randomWalk(7, 60, null, false);
            FeatureFrame clean = store.forSet(set).compute(s);
            assertThat(clean.size()).isEqualTo(60 - 33);
            assertThat(clean.ts(0)).isEqualTo(s.ts(33));
            FeatureFrame all = store.forSet(set).computeAllRows(s);
            boolean row32HasNaN = false;
            for (int j = 0; j < all.featureNames().size(); j++) {
                row32HasNaN |= Double.isNaN(all.value(32, j));
                assertThat(all.value(33, j)).as("%s row 33", all.featureNames().get(j)).isNotNaN();
            }
            assertThat(row32HasNaN).as("row 32 still has an undefined feature").isTrue();
        }

        @Test
        @DisplayName("a series of 33 candles has no clean row, one of 34 has exactly one")
        void tooShort() {
            CandleSeries s = TestCandles.randomWalk(11, 34, null, false);
            assertThat(store.forSet("tech_v2").compute(s.slice(0, 33)).size()).isZero();
            assertThat(store.forSet("tech_v2").compute(s).size()).isEqualTo(1);
            assertThat(store.forSet("tech_v2").compute(s.slice(0, 0)).size()).isZero();
        }
    }

    // ---------------------------------------------------------------- return_1

    @Test
    @DisplayName("return_1 is c[t]/c[t-1] - 1 from row 1")
    void return1() {
        FeatureFrame f = closesOnly(100, 110, 99, 99);
        assertThat(f.value(0, "return_1")).isNaN();
        assertThat(f.value(1, "return_1")).isEqualTo(110.0 / 100.0 - 1); // 0.1
        assertThat(f.value(2, "return_1")).isEqualTo(99.0 / 110.0 - 1); // -0.1
        assertThat(f.value(3, "return_1")).isEqualTo(0.0);
        assertRel(f.value(1, "return_1"), 0.1);
        assertRel(f.value(2, "return_1"), -0.1);
    }

    // ---------------------------------------------------------------- SMA ratio

    @Test
    @DisplayName("sma_ratio_5_20 on closes 1..25: 18/10.5 at row 19, 23/15.5 at row 24")
    void smaRatio() {
        FeatureFrame f = closesOnly(ramp(25, 0));
        assertUndefinedBefore(f, "sma_ratio_5_20", 19);
        // row 19: SMA_5 = (16+17+18+19+20)/5 = 18; SMA_20 = (1+...+20)/20 = 210/20 = 10.5
        assertRel(f.value(19, "sma_ratio_5_20"), 18 / 10.5);
        // row 24: SMA_5 = (21+...+25)/5 = 23; SMA_20 = (6+...+25)/20 = 310/20 = 15.5
        assertRel(f.value(24, "sma_ratio_5_20"), 23 / 15.5);
        // a constant series: both means equal the value, ratio 1
        assertRel(closesOnly(constant(20, 101.37)).value(19, "sma_ratio_5_20"), 1.0);
    }

    // ---------------------------------------------------------------- EMA, MACD

    @Test
    @DisplayName("EMA seeded with the SMA: on the ramp 1..40, EMA_n = c - (n-1)/2, so macd_line = 7 and macd_hist = 0")
    void emaOnRamp() {
        FeatureFrame f = closesOnly(ramp(40, 0));
        assertUndefinedBefore(f, "ema_ratio_12_26", 25);
        assertUndefinedBefore(f, "macd_line", 25);
        assertUndefinedBefore(f, "macd_signal", 33);
        assertUndefinedBefore(f, "macd_hist", 33);
        // EMA_12 seed at row 11 = mean(1..12) = 6.5 = c[11] - 5.5; EMA_26 seed at row 25 = mean(1..26) = 13.5.
        // On a ramp of slope 1 an EMA that starts at c - (n-1)/2 stays there:
        // k*(x+1) + (1-k)*(x - L) = x + 1 - L exactly when L = (1-k)/k = (n-1)/2.
        for (int t = 25; t < 40; t++) {
            double c = t + 1;
            double ema12 = c - 5.5;
            double ema26 = c - 12.5;
            assertRel(f.value(t, "ema_ratio_12_26"), ema12 / ema26);
            assertThat(f.value(t, "macd_line")).isCloseTo(7.0, within(1e-12 * c));
        }
        for (int t = 33; t < 40; t++) {
            double c = t + 1;
            // EMA_9 of the constant 7, seeded with the mean of nine 7s
            assertThat(f.value(t, "macd_signal")).isCloseTo(7.0, within(1e-12 * c));
            assertThat(f.value(t, "macd_hist")).isCloseTo(0.0, within(1e-12 * c));
        }
    }

    @Test
    @DisplayName("EMA after a step from 10 to 20 at row 26: macd_line = 10*2/13 - 10*2/27, then the recursion")
    void emaAfterStep() {
        double[] c = new double[45];
        for (int t = 0; t < c.length; t++) {
            c[t] = t < 26 ? 10 : 20;
        }
        FeatureFrame f = closesOnly(c);
        // rows 11..25: EMA_12 = 10; row 25: EMA_26 = mean of 26 tens = 10
        assertThat(f.value(25, "macd_line")).isEqualTo(0.0);
        assertThat(f.value(25, "ema_ratio_12_26")).isEqualTo(1.0);
        // the recursion, written out: e[t] = k*x[t] + (1-k)*e[t-1]
        double k12 = 2.0 / 13;
        double k26 = 2.0 / 27;
        double k9 = 2.0 / 10;
        double e12 = 10;
        double e26 = 10;
        double[] macd = new double[c.length];
        for (int t = 26; t < c.length; t++) {
            e12 = k12 * c[t] + (1 - k12) * e12;
            e26 = k26 * c[t] + (1 - k26) * e26;
            macd[t] = e12 - e26;
            assertThat(f.value(t, "macd_line")).as("row %d", t).isCloseTo(macd[t], within(1e-12 * c[t]));
            assertRel(f.value(t, "ema_ratio_12_26"), e12 / e26);
        }
        // row 26 in closed form: 10 + 10*2/13 - (10 + 10*2/27)
        assertThat(f.value(26, "macd_line")).isCloseTo(20.0 / 13 - 20.0 / 27, within(1e-12 * 20));
        // macd_signal: seeded at row 33 with the mean of macd_line rows 25..33 (nine values)
        double seed = 0;
        for (int t = 25; t <= 33; t++) {
            seed += macd[t];
        }
        seed /= 9;
        assertThat(f.value(32, "macd_signal")).isNaN();
        assertThat(f.value(33, "macd_signal")).isCloseTo(seed, within(1e-12 * 20));
        assertThat(f.value(33, "macd_hist")).isCloseTo(macd[33] - seed, within(1e-12 * 20));
        double signal = seed;
        for (int t = 34; t < c.length; t++) {
            signal = k9 * macd[t] + (1 - k9) * signal;
            assertThat(f.value(t, "macd_signal")).as("row %d", t).isCloseTo(signal, within(1e-12 * 20));
            assertThat(f.value(t, "macd_hist")).as("row %d", t).isCloseTo(macd[t] - signal, within(1e-12 * 20));
        }
    }

    // ---------------------------------------------------------------- RSI

    @Test
    @DisplayName("rsi_14 is 50 on flat prices (the neutral value, where TA-Lib gives 0)")
    void rsiFlat() {
        FeatureFrame f = closesOnly(constant(30, 101.37));
        assertUndefinedBefore(f, "rsi_14", 14);
        for (int t = 14; t < 30; t++) {
            assertThat(f.value(t, "rsi_14")).isEqualTo(50.0);
        }
    }

    @Test
    @DisplayName("rsi_14 is 100 when prices only rise and 0 when they only fall, flat stretches included")
    void rsiOneSided() {
        double[] up = ramp(20, 100);
        double[] upThenFlat = Arrays.copyOf(up, 30);
        Arrays.fill(upThenFlat, 20, 30, up[19]);
        FeatureFrame f = closesOnly(upThenFlat);
        for (int t = 14; t < 30; t++) {
            assertThat(f.value(t, "rsi_14")).as("row %d", t).isEqualTo(100.0);
        }
        double[] down = new double[30];
        for (int t = 0; t < 30; t++) {
            down[t] = 200 - Math.min(t, 22);
        }
        FeatureFrame g = closesOnly(down);
        for (int t = 14; t < 30; t++) {
            assertThat(g.value(t, "rsi_14")).as("row %d", t).isEqualTo(0.0);
        }
    }

    @Test
    @DisplayName("rsi_14 with alternating +2/-1 moves: seed AG = 14/14, AL = 7/14, then Wilder smoothing")
    void rsiWilder() {
        double[] c = new double[18];
        c[0] = 100;
        for (int t = 1; t < c.length; t++) {
            c[t] = c[t - 1] + (t % 2 == 1 ? 2 : -1);
        }
        FeatureFrame f = closesOnly(c);
        // rows 1..14: seven gains of 2 (odd rows) and seven losses of 1 (even rows)
        double ag = 7 * 2 / 14.0; // 1
        double al = 7 * 1 / 14.0; // 0.5
        assertThat(f.value(13, "rsi_14")).isNaN();
        assertRel(f.value(14, "rsi_14"), 100 * ag / (ag + al)); // 66.67
        // row 15 gains 2: AG = 2/14 + 13/14*1 = 15/14, AL = 0/14 + 13/14*0.5 = 6.5/14
        ag = (1.0 / 14) * 2 + (13.0 / 14) * ag;
        al = (13.0 / 14) * al;
        assertRel(f.value(15, "rsi_14"), 100 * ag / (ag + al));
        assertRel(f.value(15, "rsi_14"), 100 * 15 / 21.5);
        // row 16 loses 1
        ag = (13.0 / 14) * ag;
        al = (1.0 / 14) * 1 + (13.0 / 14) * al;
        assertRel(f.value(16, "rsi_14"), 100 * ag / (ag + al));
    }

    // ---------------------------------------------------------------- volatility

    @Test
    @DisplayName("volatility_20 is exactly 0 for constant closes and for exactly constant returns")
    void volatilityZero() {
        FeatureFrame flat = closesOnly(constant(30, 101.37));
        assertUndefinedBefore(flat, "volatility_20", 20);
        for (int t = 20; t < 30; t++) {
            assertThat(flat.value(t, "volatility_20")).isEqualTo(0.0);
        }
        // c[t] = 100 * 1.5^t is exact in doubles for t <= 29, so every return is exactly 0.5
        double[] c = new double[26];
        c[0] = 100;
        for (int t = 1; t < c.length; t++) {
            c[t] = c[t - 1] * 1.5;
        }
        FeatureFrame growth = closesOnly(c);
        for (int t = 1; t < c.length; t++) {
            assertThat(growth.value(t, "return_1")).isEqualTo(0.5);
        }
        for (int t = 20; t < c.length; t++) {
            assertThat(growth.value(t, "volatility_20")).as("row %d", t).isEqualTo(0.0);
        }
    }

    @Test
    @DisplayName("volatility_20 is the sample std of the last 20 returns, two-pass")
    void volatilityValue() {
        double[] c = new double[24];
        c[0] = 50;
        for (int t = 1; t < c.length; t++) {
            c[t] = c[t - 1] + ((t * 7) % 5 - 2) * 0.25;
        }
        FeatureFrame f = closesOnly(c);
        for (int t = 20; t < c.length; t++) {
            double sum = 0;
            for (int i = t - 19; i <= t; i++) {
                sum += c[i] / c[i - 1] - 1;
            }
            double mean = sum / 20;
            double ss = 0;
            for (int i = t - 19; i <= t; i++) {
                double d = (c[i] / c[i - 1] - 1) - mean;
                ss += d * d;
            }
            assertRel(f.value(t, "volatility_20"), Math.sqrt(ss / 19));
        }
    }

    // ---------------------------------------------------------------- ATR

    @Test
    @DisplayName("atr_14: TR takes each of h-l, |h-c[t-1]|, |l-c[t-1]|; seed = mean of TR rows 1..14, then Wilder")
    void atr() {
        int n = 18;
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        double[] c = new double[n];
        double[] tr = new double[n];
        for (int t = 0; t < n; t++) {
            o[t] = 100;
            c[t] = 100;
            h[t] = 101;
            l[t] = 99;
            tr[t] = 2; // h - l = 2, |h - 100| = 1, |l - 100| = 1
        }
        // row 5: gap up, h - c[4] = 110 - 100 = 10 dominates h - l = 5
        o[5] = 106;
        c[5] = 108;
        h[5] = 110;
        l[5] = 105;
        tr[5] = 10;
        // row 6: back down, |l - c[5]| = |100 - 108| = 8 > h - l = 3 and |h - c[5]| = 5
        o[6] = 102;
        c[6] = 101;
        h[6] = 103;
        l[6] = 100;
        tr[6] = 8;
        // row 15: a wide candle, h - l = 6 dominates
        o[15] = 100;
        c[15] = 100;
        h[15] = 104;
        l[15] = 98;
        tr[15] = 6; // |104 - 100| = 4, |98 - 100| = 2
        // row 7: c[6] = 101, TR = max(2, |101 - 101|, |99 - 101|) = 2
        FeatureFrame f = compute(o, h, l, c, constant(n, 1));
        assertUndefinedBefore(f, "atr_14", 14);
        double seed = 0;
        for (int t = 1; t <= 14; t++) {
            seed += tr[t];
        }
        seed /= 14; // (12 * 2 + 10 + 8) / 14 = 42 / 14 = 3
        assertThat(seed).isEqualTo(3.0);
        assertRel(f.value(14, "atr_14"), 3.0);
        double atr = seed;
        for (int t = 15; t < n; t++) {
            atr = (1.0 / 14) * tr[t] + (13.0 / 14) * atr;
            assertRel(f.value(t, "atr_14"), atr);
        }
        // row 15 in closed form: (6 + 13 * 3) / 14 = 45 / 14
        assertRel(f.value(15, "atr_14"), 45.0 / 14);
    }

    // ---------------------------------------------------------------- volume z-score

    @Test
    @DisplayName("volume_zscore_20 on volumes 1..20: (20 - 10.5) / sqrt(665/19)")
    void volumeZscore() {
        FeatureFrame f = withRange(constant(22, 100), ramp(22, 0));
        assertUndefinedBefore(f, "volume_zscore_20", 19);
        // mean(1..20) = 10.5; sum of (i - 10.5)^2 = 20 * (20^2 - 1) / 12 = 665; sample std = sqrt(665/19) = sqrt(35)
        assertRel(f.value(19, "volume_zscore_20"), (20 - 10.5) / Math.sqrt(35));
        assertRel(f.value(21, "volume_zscore_20"), (22 - 12.5) / Math.sqrt(35));
    }

    @ParameterizedTest(name = "volume {0}")
    @ValueSource(doubles = {0.0, 1.0, 101.37, 123456789.123})
    @DisplayName("volume_zscore_20 is 0 when the volume is constant, zero volume included")
    void volumeZscoreConstant(double volume) {
        // a varied stretch first, so the constant window follows real history
        double[] v = new double[50];
        for (int t = 0; t < 50; t++) {
            v[t] = t < 20 ? 1000 + t * 37.5 : volume;
        }
        FeatureFrame f = withRange(ramp(50, 100), v);
        for (int t = 39; t < 50; t++) {
            assertThat(f.value(t, "volume_zscore_20")).as("row %d", t).isEqualTo(0.0);
        }
        assertThat(f.value(38, "volume_zscore_20")).isNotEqualTo(0.0);
    }

    // ---------------------------------------------------------------- price position, stochastic

    @Test
    @DisplayName("price_position_20 and stoch_k_14 on a ramp with h = c + 1, l = c - 1")
    void rangePositions() {
        double[] c = ramp(30, 9); // 10, 11, ..., 39
        double[] o = c.clone();
        double[] h = new double[30];
        double[] l = new double[30];
        for (int t = 0; t < 30; t++) {
            h[t] = c[t] + 1;
            l[t] = c[t] - 1;
        }
        FeatureFrame f = compute(o, h, l, c, constant(30, 5));
        assertUndefinedBefore(f, "price_position_20", 19);
        assertUndefinedBefore(f, "stoch_k_14", 13);
        assertUndefinedBefore(f, "stoch_d_3", 15);
        // row 19: c = 29, HH_20 = h[19] = 30, LL_20 = l[0] = 9: (29 - 9) / (30 - 9) = 20/21
        assertRel(f.value(19, "price_position_20"), 20.0 / 21);
        // row 13: c = 23, HH_14 = 24, LL_14 = l[0] = 9: 100 * 14 / 15
        assertRel(f.value(13, "stoch_k_14"), 100 * 14.0 / 15);
        // every window of the ramp has the same shape, so %K = 1400/15 on every row and %D too
        assertRel(f.value(15, "stoch_d_3"), (3 * 1400.0 / 15) / 3);
    }

    @Test
    @DisplayName("stoch_d_3 is the mean of the last three stoch_k_14 values")
    void stochD() {
        double[] c = {10, 12, 11, 13, 15, 14, 16, 18, 17, 15, 14, 16, 19, 20, 18, 17, 21, 22};
        double[] h = new double[c.length];
        double[] l = new double[c.length];
        for (int t = 0; t < c.length; t++) {
            h[t] = c[t] + 0.5;
            l[t] = c[t] - 0.5;
        }
        FeatureFrame f = compute(c, h, l, c, constant(c.length, 1));
        double[] k = new double[c.length];
        for (int t = 13; t < c.length; t++) {
            double hh = Double.NEGATIVE_INFINITY;
            double ll = Double.POSITIVE_INFINITY;
            for (int i = t - 13; i <= t; i++) {
                hh = Math.max(hh, h[i]);
                ll = Math.min(ll, l[i]);
            }
            k[t] = 100 * (c[t] - ll) / (hh - ll);
            assertRel(f.value(t, "stoch_k_14"), k[t]);
        }
        // row 13: HH = 20.5 (row 13), LL = 9.5 (row 0): 100 * (20 - 9.5) / 11 = 1050/11
        assertRel(f.value(13, "stoch_k_14"), 1050.0 / 11);
        assertThat(f.value(14, "stoch_d_3")).isNaN();
        for (int t = 15; t < c.length; t++) {
            assertRel(f.value(t, "stoch_d_3"), (k[t - 2] + k[t - 1] + k[t]) / 3);
        }
    }

    @Test
    @DisplayName("a close at the top of the range gives exactly 100 / 1, at the bottom exactly 0")
    void rangeExtremes() {
        // flat candles on rising closes 1.1, 2.2, ...: the close is the highest high of every window
        double[] up = new double[30];
        double[] down = new double[30];
        for (int t = 0; t < 30; t++) {
            up[t] = (t + 1) * 1.1;
            down[t] = (31 - t) * 1.1;
        }
        FeatureFrame f = closesOnly(up);
        FeatureFrame g = closesOnly(down);
        for (int t = 19; t < 30; t++) {
            assertThat(f.value(t, "price_position_20")).isEqualTo(1.0);
            assertThat(g.value(t, "price_position_20")).isEqualTo(0.0);
        }
        for (int t = 13; t < 30; t++) {
            assertThat(f.value(t, "stoch_k_14")).as("row %d", t).isEqualTo(100.0);
            assertThat(g.value(t, "stoch_k_14")).as("row %d", t).isEqualTo(0.0);
        }
        for (int t = 14; t < 30; t++) {
            assertThat(f.value(t, "rsi_14")).as("row %d", t).isEqualTo(100.0);
            assertThat(g.value(t, "rsi_14")).as("row %d", t).isEqualTo(0.0);
        }
    }

    @Test
    @DisplayName("flat prices: price_position_20 = 0.5, stoch_k_14 = 50, stoch_d_3 = 50")
    void rangeNeutral() {
        FeatureFrame f = closesOnly(constant(25, 101.37));
        for (int t = 19; t < 25; t++) {
            assertThat(f.value(t, "price_position_20")).isEqualTo(0.5);
        }
        for (int t = 13; t < 25; t++) {
            assertThat(f.value(t, "stoch_k_14")).isEqualTo(50.0);
        }
        for (int t = 15; t < 25; t++) {
            assertThat(f.value(t, "stoch_d_3")).isEqualTo(50.0);
        }
    }

    // ---------------------------------------------------------------- Bollinger

    @Test
    @DisplayName("twenty closes of 101.37 (whose mean is not 101.37 in doubles) give bollinger_band_pct exactly 0.5")
    void bollingerConstant() {
        double sum = 0;
        for (int i = 0; i < 20; i++) {
            sum += 101.37;
        }
        assertThat(sum / 20).as("the naive mean is off").isNotEqualTo(101.37);
        FeatureFrame f = closesOnly(constant(20, 101.37));
        assertUndefinedBefore(f, "bollinger_band_pct", 19);
        assertThat(f.value(19, "bollinger_band_pct")).isEqualTo(0.5);
    }

    @Test
    @DisplayName("a constant window after volatile history: bollinger 0.5, volatility 0, z-score 0, position 0.5, %K 50 exactly")
    void constantAfterHistory() {
        int n = 80;
        double[] c = new double[n];
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            c[t] = t < 30 ? 90 + (t * 37 % 23) * 0.73 : 101.37;
            v[t] = t < 30 ? 1e6 + t * 12345.6789 : 777.7;
        }
        FeatureFrame f = compute(c, c, c, c, v);
        for (int t = 49; t < n; t++) {
            assertThat(f.value(t, "bollinger_band_pct")).as("row %d", t).isEqualTo(0.5);
            assertThat(f.value(t, "volume_zscore_20")).as("row %d", t).isEqualTo(0.0);
            assertThat(f.value(t, "price_position_20")).as("row %d", t).isEqualTo(0.5);
            assertThat(f.value(t, "sma_ratio_5_20")).as("row %d", t).isEqualTo(1.0);
        }
        for (int t = 50; t < n; t++) {
            // returns rows 31.. are exactly 0: twenty of them from row 50 on
            assertThat(f.value(t, "volatility_20")).as("row %d", t).isEqualTo(0.0);
        }
        for (int t = 43; t < n; t++) {
            assertThat(f.value(t, "stoch_k_14")).as("row %d", t).isEqualTo(50.0);
        }
        assertThat(f.value(48, "bollinger_band_pct")).isNotEqualTo(0.5);
    }

    @Test
    @DisplayName("bollinger_band_pct on closes 1..20: mid 10.5, population sd sqrt(33.25)")
    void bollingerValue() {
        FeatureFrame f = closesOnly(ramp(21, 0));
        // PSTD = sqrt(665 / 20) = sqrt(33.25); dn = 10.5 - 2 sd, up = 10.5 + 2 sd
        double sd = Math.sqrt(33.25);
        double up = 10.5 + 2 * sd;
        double dn = 10.5 - 2 * sd;
        assertRel(f.value(19, "bollinger_band_pct"), (20 - dn) / (up - dn));
        // row 20: the window 2..21, same shape
        assertRel(f.value(20, "bollinger_band_pct"), (21 - (11.5 - 2 * sd)) / (4 * sd));
    }

    // ---------------------------------------------------------------- candle shape

    @Test
    @DisplayName("intraday range, body and shadows of a bullish and a bearish candle")
    void candleShape() {
        // row 0: o 10, h 14, l 8, c 12 (bullish); row 1: o 12, h 14, l 8, c 10 (bearish)
        FeatureFrame f = compute(new double[] {10, 12}, new double[] {14, 14}, new double[] {8, 8},
                new double[] {12, 10}, new double[] {1, 1});
        assertThat(f.value(0, "intraday_range_pct")).isEqualTo((14.0 - 8) / 12); // 0.5
        assertThat(f.value(0, "candle_body_pct")).isEqualTo((12.0 - 10) / (14 - 8)); // 1/3
        assertThat(f.value(0, "upper_shadow_pct")).isEqualTo((14.0 - 12) / (14 - 8)); // 1/3
        assertThat(f.value(0, "lower_shadow_pct")).isEqualTo((10.0 - 8) / (14 - 8)); // 1/3
        assertThat(f.value(1, "intraday_range_pct")).isEqualTo((14.0 - 8) / 10); // 0.6
        assertThat(f.value(1, "candle_body_pct")).isEqualTo((10.0 - 12) / (14 - 8)); // -1/3
        assertThat(f.value(1, "upper_shadow_pct")).isEqualTo((14.0 - 12) / (14 - 8));
        assertThat(f.value(1, "lower_shadow_pct")).isEqualTo((10.0 - 8) / (14 - 8));
    }

    @Test
    @DisplayName("a marubozu has body +-1 and no shadows")
    void marubozu() {
        FeatureFrame f = compute(new double[] {10, 20}, new double[] {20, 20}, new double[] {10, 10},
                new double[] {20, 10}, new double[] {1, 1});
        assertThat(f.value(0, "candle_body_pct")).isEqualTo(1.0);
        assertThat(f.value(1, "candle_body_pct")).isEqualTo(-1.0);
        for (int t = 0; t < 2; t++) {
            assertThat(f.value(t, "upper_shadow_pct")).isEqualTo(0.0);
            assertThat(f.value(t, "lower_shadow_pct")).isEqualTo(0.0);
        }
    }

    @ParameterizedTest(name = "price {0}")
    @ValueSource(doubles = {101.37, 1e-6, 0.1, 65000.25})
    @DisplayName("a candle with h = l has range, body and shadows exactly 0 (positive zero), zero volume allowed")
    void flatCandle(double p) {
        FeatureFrame f = compute(new double[] {p}, new double[] {p}, new double[] {p}, new double[] {p},
                new double[] {0});
        for (String feature : new String[] {"intraday_range_pct", "candle_body_pct", "upper_shadow_pct",
                "lower_shadow_pct"}) {
            assertThat(Double.doubleToRawLongBits(f.value(0, feature))).as(feature)
                    .isEqualTo(Double.doubleToRawLongBits(0.0));
        }
    }

    // ---------------------------------------------------------------- engulfing

    @ParameterizedTest(name = "prev o={0} c={1}, cur o={2} c={3} -> bullish {4}")
    @CsvSource({
        // previous bearish (o 10 > c 8), current bullish
        "10, 8, 8, 10, 0", // o[t] == c[t-1] and c[t] == o[t-1]: both equal, not engulfing
        "10, 8, 8, 11, 1", // o[t] == c[t-1], c[t] > o[t-1]
        "10, 8, 7, 10, 1", // o[t] < c[t-1], c[t] == o[t-1]
        "10, 8, 7, 11, 1", // strictly engulfing
        "10, 8, 8.5, 11, 0", // opens above the previous close
        "10, 8, 7, 9.5, 0", // closes below the previous open
        "9, 9, 7, 11, 0", // previous candle is a doji, not bearish
        "8, 10, 7, 11, 0", // previous candle is bullish
        "10, 8, 11, 7, 0", // current candle is bearish
        "10, 8, 9, 9, 0", // current candle is a doji
    })
    @DisplayName("bullish_engulfing at each boundary")
    void bullishEngulfing(double o1, double c1, double o0, double c0, double expected) {
        FeatureFrame f = engulfing(o1, c1, o0, c0);
        assertThat(f.value(0, "bullish_engulfing")).isNaN();
        assertThat(f.value(1, "bullish_engulfing")).isEqualTo(expected);
        if (expected == 1) {
            assertThat(f.value(1, "bearish_engulfing")).isEqualTo(0.0);
        }
    }

    @ParameterizedTest(name = "prev o={0} c={1}, cur o={2} c={3} -> bearish {4}")
    @CsvSource({
        // previous bullish (o 8 < c 10), current bearish
        "8, 10, 10, 8, 0", // o[t] == c[t-1] and c[t] == o[t-1]: both equal, not engulfing
        "8, 10, 10, 7, 1", // o[t] == c[t-1], c[t] < o[t-1]
        "8, 10, 11, 8, 1", // o[t] > c[t-1], c[t] == o[t-1]
        "8, 10, 11, 7, 1", // strictly engulfing
        "8, 10, 9.5, 7, 0", // opens below the previous close
        "8, 10, 11, 8.5, 0", // closes above the previous open
        "9, 9, 11, 7, 0", // previous candle is a doji
        "10, 8, 11, 7, 0", // previous candle is bearish
        "8, 10, 7, 11, 0", // current candle is bullish
        "8, 10, 9, 9, 0", // current candle is a doji
    })
    @DisplayName("bearish_engulfing at each boundary")
    void bearishEngulfing(double o1, double c1, double o0, double c0, double expected) {
        FeatureFrame f = engulfing(o1, c1, o0, c0);
        assertThat(f.value(0, "bearish_engulfing")).isNaN();
        assertThat(f.value(1, "bearish_engulfing")).isEqualTo(expected);
        if (expected == 1) {
            assertThat(f.value(1, "bullish_engulfing")).isEqualTo(0.0);
        }
    }

    private static FeatureFrame engulfing(double o1, double c1, double o0, double c0) {
        return compute(new double[] {o1, o0}, new double[] {Math.max(o1, c1) + 0.25, Math.max(o0, c0) + 0.25},
                new double[] {Math.min(o1, c1) - 0.25, Math.min(o0, c0) - 0.25}, new double[] {c1, c0},
                new double[] {1, 1});
    }

    @Test
    @DisplayName("the golden series also agree with the reference implementation")
    void goldenAgreeWithReference() {
        double[] c = ramp(40, 0);
        FeatureFrame f = closesOnly(c);
        var ref = ReferenceFeatures.compute(c, c, c, c, constant(40, 1));
        for (String feature : ReferenceFeatures.TECH_V2) {
            double[] expected = ref.get(feature);
            for (int t = 0; t < 40; t++) {
                assertThat(dev.featurestore.core.testing.FeatureComparison.within(feature, expected[t],
                        f.value(t, feature), c[t])).as("%s row %d: %s vs %s", feature, t, f.value(t, feature),
                                expected[t]).isTrue();
            }
        }
    }
}
