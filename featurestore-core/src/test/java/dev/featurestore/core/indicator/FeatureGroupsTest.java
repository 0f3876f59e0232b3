package dev.featurestore.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.TestCandles;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Features computed in one pass with their group equal the same features computed alone")
class FeatureGroupsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    @DisplayName("each built-in feature alone gives tech_v2's column, bit for bit")
    void alone_equals_in_group(long seed) {
        CandleSeries series = TestCandles.randomWalk(seed, 700, Timeframe.ONE_MINUTE, false);
        FeatureFrame all = FeatureStore.forSet("tech_v2").computeAllRows(series);
        List<String> names = all.featureNames();
        StringBuilder yaml = new StringBuilder("feature_sets:\n");
        for (String name : names) {
            yaml.append("  only_").append(name).append(":\n    default_window_size: 1\n    timeframes: [1m]\n")
                    .append("    features: [").append(name).append("]\n");
        }
        Store store = FeatureStore.builder().registry(FeatureRegistry.parse("groups.yaml", yaml.toString())).build();
        for (int j = 0; j < names.size(); j++) {
            double[] alone = store.forSet("only_" + names.get(j)).computeAllRows(series).column(0);
            double[] grouped = all.column(j);
            for (int t = 0; t < alone.length; t++) {
                assertThat(Double.doubleToRawLongBits(alone[t]))
                        .as("%s at row %d, seed %d: alone %s, in tech_v2 %s", names.get(j), t, seed, alone[t], grouped[t])
                        .isEqualTo(Double.doubleToRawLongBits(grouped[t]));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24})
    @DisplayName("a set naming part of a group, in another order, gives the same bits")
    void partial_groups(long seed) {
        CandleSeries series = TestCandles.randomWalk(seed, 500, Timeframe.ONE_MINUTE, false);
        FeatureFrame all = FeatureStore.forSet("tech_v2").computeAllRows(series);
        String yaml = "feature_sets:\n  partial:\n    default_window_size: 1\n    timeframes: [1m]\n"
                + "    features: [macd_hist, stoch_d_3, bearish_engulfing, atr_14, macd_signal, return_1]\n";
        FeatureFrame partial = FeatureStore.builder().registry(FeatureRegistry.parse("partial.yaml", yaml)).build()
                .forSet("partial").computeAllRows(series);
        for (String name : partial.featureNames()) {
            double[] a = partial.column(name);
            double[] b = all.column(name);
            for (int t = 0; t < a.length; t++) {
                assertThat(Double.doubleToRawLongBits(a[t])).as("%s at row %d, seed %d", name, t, seed)
                        .isEqualTo(Double.doubleToRawLongBits(b[t]));
            }
        }
    }
}
