package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("README sample: the JMH benchmark")
class MyPipelineBenchmarkTest {

    @Test
    @DisplayName("its benchmark method computes the 20 tech_v2 features over a year of 5m candles")
    void runs() {
        MyPipelineBenchmark benchmark = new MyPipelineBenchmark();
        FeatureFrame frame = benchmark.features();
        assertThat(frame.featureNames()).hasSize(20);
        assertThat(frame.timeframe()).contains(Timeframe.parse("5m"));
        assertThat(frame.secid()).isEqualTo("SBER");
        // a row per 5m bucket that holds 1m candles, less the warm-up rows
        long buckets = Arrays.stream(benchmark.candles.timestamps()).map(t -> t - Math.floorMod(t, 300_000L)).distinct().count();
        assertThat((long) frame.size()).isPositive().isLessThan(buckets).isGreaterThan(buckets - 100);
        assertThat(frame.timestamps()).isSorted();
        assertThat(Arrays.stream(frame.timestamps()).filter(t -> t % 300_000L != 0)).as("rows off the 5m grid").isEmpty();
    }
}
