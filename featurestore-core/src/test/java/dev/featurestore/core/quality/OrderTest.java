package dev.featurestore.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.core.quality.QualityReport.DistributionStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Selected ranks and scanned counts against the sorted values")
class OrderTest {
    /** Values with ties, both zeros, runs in order and reversed: where a selection could go wrong. */
    private static double[] values(Random random, int n) {
        double[] out = new double[n];
        int style = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            out[i] = switch (style) {
                case 0 -> random.nextGaussian() * 100;
                case 1 -> Math.floor(random.nextGaussian() * 3) / 4;
                case 2 -> random.nextInt(3) == 0 ? -0.0 : random.nextInt(2) == 0 ? 0.0 : random.nextInt(5) - 2;
                case 3 -> random.nextBoolean() ? -0.0 : 0.0;
                case 4 -> i; // already ascending
                default -> n - i + (random.nextInt(10) == 0 ? -1e300 : 0); // descending, some huge
            };
        }
        return out;
    }

    /** Cuts as the reports make them: percentiles, equal bins, a previous report's, with repeats. */
    private static List<Double> cuts(Random random, double[] sorted) {
        List<Double> out = new ArrayList<>();
        int m = 1 + random.nextInt(22);
        for (int k = 0; k < m; k++) {
            double c = sorted.length > 0 && random.nextBoolean() ? sorted[random.nextInt(sorted.length)]
                    : random.nextInt(4) == 0 ? (random.nextBoolean() ? -0.0 : 0.0) : random.nextGaussian() * 100;
            out.add(c);
        }
        out.sort(Double::compare);
        if (random.nextInt(8) == 0) {
            out.add(0, Double.NaN); // out of order: counted one by one
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("every percentile rank, count and statistic is the sorted array's, bit for bit")
    void selectedEqualsSorted(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            int n = round < 60 ? round : random.nextInt(round < 280 ? 3_000 : 200_000);
            double[] data = values(random, n);
            double[] copy = data.clone();
            double[] sorted = data.clone();
            Arrays.sort(sorted);
            Order exact = Order.sorted(sorted);
            Order fast = Order.selected(data, n, QualityComputation.percentileRanks(n));
            assertThat(data).as("values left as they were").isEqualTo(copy);
            for (int r : QualityComputation.percentileRanks(n)) {
                assertThat(Double.doubleToRawLongBits(fast.at(r))).as("seed %d n %d rank %d", seed, n, r)
                        .isEqualTo(Double.doubleToRawLongBits(sorted[r]));
            }
            if (n > 0) {
                assertThat(Double.doubleToRawLongBits(fast.at(0))).isEqualTo(Double.doubleToRawLongBits(sorted[0]));
                assertThat(Double.doubleToRawLongBits(fast.at(n - 1)))
                        .isEqualTo(Double.doubleToRawLongBits(sorted[n - 1]));
            }
            for (int c = 0; c < 4; c++) {
                List<Double> cuts = cuts(random, sorted);
                assertThat(fast.countsAtMost(cuts)).as("seed %d n %d cuts %s", seed, n, cuts)
                        .isEqualTo(exact.countsAtMost(cuts));
                double x = cuts.get(cuts.size() - 1);
                assertThat(fast.countBelow(x)).isEqualTo(exact.countBelow(x));
                assertThat(fast.countAtMost(x)).isEqualTo(exact.countAtMost(x));
            }
            DistributionStats a = QualityComputation.stats(data, fast);
            DistributionStats b = QualityComputation.stats(data, exact);
            assertThat(a).as("seed %d n %d", seed, n).isEqualTo(b);
            if (n > 0) {
                assertThat(QualityComputation.histogram(fast, a)).isEqualTo(QualityComputation.histogram(exact, b));
                List<Double> edges = cuts(random, sorted).stream().filter(e -> !e.isNaN()).toList();
                if (edges.size() >= 2) {
                    assertThat(QualityComputation.histogram(fast, edges))
                            .isEqualTo(QualityComputation.histogram(exact, edges));
                    assertThat(QualityComputation.binShares(fast, edges))
                            .isEqualTo(QualityComputation.binShares(exact, edges));
                }
            }
        }
    }

    @Test
    @DisplayName("a rank that was not selected is refused, not guessed")
    void unselectedRankRefused() {
        double[] data = values(new Random(9), 1_000);
        Order fast = Order.selected(data, data.length, new int[] {10});
        assertThat(fast.at(10)).isNotNaN();
        assertThatThrownBy(() -> fast.at(11)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rank 11 of 1000");
    }
}
