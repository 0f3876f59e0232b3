package dev.featurestore.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The median by selection equals the median of a full sort, bit for bit")
class MedianSelectionTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    @DisplayName("over random arrays with ties, signed zeros, runs of equal values and sorted input")
    void sameAsSort(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(round < 100 ? 12 : 3000);
            double[] x = new double[n];
            int kind = rnd.nextInt(5);
            for (int i = 0; i < n; i++) {
                x[i] = switch (kind) {
                    case 0 -> rnd.nextGaussian();
                    case 1 -> rnd.nextInt(4) - 1.5;                       // few distinct values
                    case 2 -> rnd.nextBoolean() ? 0.0 : -0.0;             // signed zeros only
                    case 3 -> i;                                          // sorted
                    default -> rnd.nextInt(10) == 0 ? rnd.nextGaussian() * 1e9 : 7;
                };
            }
            double[] sorted = x.clone();
            Arrays.sort(sorted);
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            double[] work = x.clone();
            assertThat(Double.doubleToRawLongBits(FittedNormalization.median(work)))
                    .as("seed %d round %d n %d kind %d", seed, round, n, kind)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            Arrays.sort(work);
            assertThat(work).as("selection only reorders").isEqualTo(sorted);
        }
    }
}
