package dev.featurestore.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A custom indicator (my_indicator_10) in a set of your own (my_set)")
class MyIndicatorTest {
    private static Store store;

    @BeforeAll
    static void openStore() throws Exception {
        Path registry = Path.of(MyIndicatorTest.class.getResource("/my_feature_store.yaml").toURI());
        store = FeatureStore.builder().registry(registry).build();
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    /** The definition, written the plain way: c[t] / max(c[t-9..t]), NaN before row 9. */
    private static double[] direct(double[] close) {
        double[] out = new double[close.length];
        for (int t = 0; t < close.length; t++) {
            if (t < 9) {
                out[t] = Double.NaN;
                continue;
            }
            double max = close[t];
            for (int k = t - 9; k <= t; k++) {
                max = Math.max(max, close[k]);
            }
            out[t] = close[t] / max;
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("every row equals the direct computation, NaN before row 9, at most 1 after")
    void matchesDirectComputation(long seed) {
        CandleSeries candles = SyntheticCandles.seed(seed).tradingDays(2).generate("SBER");
        FeatureFrame all = store.forSet("my_set").computeAllRows(candles);
        double[] got = all.column("my_indicator_10");
        double[] want = direct(candles.closes());
        assertThat(got).hasSize(candles.size());
        for (int t = 0; t < got.length; t++) {
            if (t < 9) {
                assertThat(got[t]).as("seed %d row %d", seed, t).isNaN();
            } else {
                // The same divide of the same two doubles: exactly equal.
                assertThat(got[t]).as("seed %d row %d", seed, t).isEqualTo(want[t]);
                assertThat(got[t]).isLessThanOrEqualTo(1.0).isGreaterThan(0.0);
            }
        }
    }

    @Test
    @DisplayName("the set keeps its order, and clean rows start where the slowest feature (rsi_14) is defined")
    void setOrderAndCleanRows() {
        CandleSeries candles = SyntheticCandles.seed(3).tradingDays(1).generate("GAZP");
        FeatureQuery q = store.forSet("my_set");
        assertThat(q.featureNames()).containsExactly("return_1", "rsi_14", "stoch_k_14", "my_indicator_10");
        FeatureFrame clean = q.compute(candles);
        assertThat(clean.size()).isEqualTo(candles.size() - 14);
        assertThat(clean.ts(0)).isEqualTo(candles.ts(14));
        // Beside the built-in features, which keep their own values.
        FeatureFrame builtin = FeatureStore.forSet("tech_v2").computeAllRows(candles);
        for (int r = 0; r < clean.size(); r++) {
            assertThat(clean.value(r, "rsi_14")).isEqualTo(builtin.value(r + 14, "rsi_14"));
            assertThat(clean.value(r, "my_indicator_10")).isEqualTo(direct(candles.closes())[r + 14]);
        }
    }

    @Test
    @DisplayName("at 5m the custom feature reads the resampled closes")
    void resampled() {
        SyntheticCandles market = SyntheticCandles.seed(9).tradingDays(3);
        CandleSeries candles = market.generate("LKOH");
        FeatureQuery q = store.forSet("my_set").timeframe("5m").completeThrough(market.end());
        FeatureFrame frame = q.computeAllRows(candles);
        double[] closes5m = new double[frame.size()];
        // The last close of each 5m bucket, taken straight from the 1m candles.
        long[] ts = candles.timestamps();
        int row = -1;
        long bucket = Long.MIN_VALUE;
        for (int i = 0; i < ts.length; i++) {
            long b = Math.floorDiv(ts[i], Timeframe.parse("5m").millis());
            if (b != bucket) {
                bucket = b;
                row++;
            }
            closes5m[row] = candles.close(i);
        }
        assertThat(row + 1).isEqualTo(frame.size());
        double[] want = direct(closes5m);
        for (int r = 9; r < frame.size(); r++) {
            assertThat(frame.value(r, "my_indicator_10")).as("row %d", r).isEqualTo(want[r]);
        }
    }

    @Test
    @DisplayName("windows carry the custom feature: latest and the (N, W, F) block agree with the frame")
    void windows() {
        SyntheticCandles market = SyntheticCandles.seed(4).tradingDays(4);
        CandleSeries candles = market.generate("SBER");
        FeatureQuery all = store.forSet("my_set").timeframe("5m").completeThrough(market.end());
        FeatureQuery q = all.window(30);
        FeatureFrame frame = all.compute(candles);
        FeatureWindow last = q.latest(candles);
        assertThat(last.rows()).isEqualTo(30);
        assertThat(last.lastOpenTime()).isEqualTo(frame.openTime(frame.size() - 1));
        int f = frame.indexOf("my_indicator_10");
        for (int r = 0; r < 30; r++) {
            assertThat(last.get(r, f)).isEqualTo(frame.value(frame.size() - 30 + r, f));
        }
        FeatureWindows block = q.stride(7).windows(candles);
        assertThat(block.windowSize()).isEqualTo(30);
        assertThat(block.features()).isEqualTo(4);
        assertThat(block.lastOpenTs(block.count() - 1)).isEqualTo(frame.ts(frame.size() - 1));
        double[] means = TrainingLoopExample.featureMeans(block);
        double expected = 0;
        for (int n = 0; n < block.count(); n++) {
            for (int r = 0; r < 30; r++) {
                expected += (float) block.get(n, r, f);
            }
        }
        expected /= block.count() * 30.0;
        assertThat(means[f]).isCloseTo(expected, within(1e-9));
        assertThat(means[f]).isLessThan(1.0).isGreaterThan(0.9);
    }

    @Test
    @DisplayName("the example mains run, from the class path registry and from a file, and print what they read")
    void mainsRun() throws Exception {
        String path = Path.of(MyIndicatorTest.class.getResource("/my_feature_store.yaml").toURI()).toString();
        String app = capture(() -> JvmAppExample.main(new String[0]));
        assertThat(app.lines()).hasSize(2);
        assertThat(app).contains("SBER: window 30 x 4").contains("GAZP: window 30 x 4").contains("my_indicator_10 = ");
        assertThat(capture(() -> JvmAppExample.main(new String[] {path}))).isEqualTo(app);
        String training = capture(() -> TrainingLoopExample.main(new String[0]));
        assertThat(training).contains("LKOH my_set: (N, W, F) = (").contains(", 30, 4)").contains("mean my_indicator_10");
        assertThat(Examples.store(new String[0]).registry().featureSetNames()).containsExactly("my_set");
    }

    private static String capture(Runnable r) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
