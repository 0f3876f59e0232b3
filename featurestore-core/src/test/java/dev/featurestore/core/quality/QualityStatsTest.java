package dev.featurestore.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Percentiles of the quality report")
class QualityStatsTest {
    private static final double[] LEVELS = {1, 5, 25, 50, 75, 95, 99};

    /**
     * Values with many ties and both zeros, of every small size and some large ones: where the
     * selection of commons-math3 could differ from a sort, these find it.
     */
    private static double[] values(Random random, int n) {
        double[] out = new double[n];
        int style = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            out[i] = switch (style) {
                case 0 -> random.nextGaussian();
                case 1 -> Math.floor(random.nextGaussian() * 3) / 4; // coarse grid, many ties
                case 2 -> random.nextInt(3) == 0 ? -0.0 : random.nextInt(2) == 0 ? 0.0 : random.nextInt(5) - 2;
                default -> random.nextBoolean() ? -0.0 : 0.0;
            };
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    @DisplayName("read from the sorted values, they are bit for bit those of commons-math3's Percentile R-7")
    void percentiles_equal_those_of_commons_math(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 400; round++) {
            int n = round < 200 ? 1 + round % 60 : 1 + random.nextInt(round < 390 ? 5_000 : 200_000);
            double[] data = values(random, n);
            double[] sorted = data.clone();
            Arrays.sort(sorted);
            Percentile reference = new Percentile().withEstimationType(EstimationType.R_7);
            reference.setData(data);
            for (double level : LEVELS) {
                assertThat(Double.doubleToRawLongBits(QualityComputation.percentileR7(sorted, level)))
                        .as("seed %d, round %d, n %d, level %s", seed, round, n, level)
                        .isEqualTo(Double.doubleToRawLongBits(reference.evaluate(level)));
            }
            double level = 0.01 + random.nextDouble() * 99.98;
            assertThat(Double.doubleToRawLongBits(QualityComputation.percentileR7(sorted, level)))
                    .as("seed %d, round %d, n %d, level %s", seed, round, n, level)
                    .isEqualTo(Double.doubleToRawLongBits(reference.evaluate(level)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    @DisplayName("the statistics from values and their sorted copy equal those from the values alone")
    void stats_from_sorted_values_equal_stats(long seed) {
        Random random = new Random(seed);
        double[] data = values(random, 10_000);
        double[] sorted = data.clone();
        Arrays.sort(sorted);
        assertThat(QualityComputation.stats(data, sorted)).isEqualTo(QualityComputation.stats(data));
        assertThat(QualityComputation.stats(data).p50()).isEqualTo(
                new Percentile().withEstimationType(EstimationType.R_7).evaluate(data, 50));
    }
}
