package dev.featurestore.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.core.quality.QualityReport.DistributionStats;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Drift against the previous report")
class QualityDriftTest {

    /**
     * Values on a coarse grid, as ratios of tick-rounded prices are: every percentile edge is
     * shared by many tied values, so the shares of the bins are far from the nominal ones.
     */
    private static double[] tiedValues(long seed, double shift) {
        Random random = new Random(seed);
        double[] data = new double[5_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.floor((random.nextDouble() + shift) * 40) / 40;
        }
        return data;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("identical values give a PSI of exactly 0, even with many tied values")
    void identical_values_have_no_drift(long seed) {
        double[] data = tiedValues(seed, 0);
        DistributionStats stats = QualityComputation.stats(data);
        assertThat(stats.binShares()).as("seed %d", seed).hasSize(8);
        double[] nominal = {0.01, 0.04, 0.20, 0.25, 0.25, 0.20, 0.04, 0.01};
        double furthest = 0;
        for (int k = 0; k < nominal.length; k++) {
            furthest = Math.max(furthest, Math.abs(stats.binShares().get(k) - nominal[k]));
        }
        assertThat(furthest).as("ties move some bin's share off its nominal one, seed %d", seed).isGreaterThan(0.005);
        assertThat(QualityComputation.drift(stats, stats, data).psi()).as("seed %d", seed).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    @DisplayName("a shifted distribution gives a PSI above the warning level")
    void shifted_values_drift(long seed) {
        double[] before = tiedValues(seed, 0);
        double[] after = tiedValues(seed + 100, 0.3);
        DistributionStats previous = QualityComputation.stats(before);
        assertThat(QualityComputation.drift(previous, QualityComputation.stats(after), after).psi())
                .as("seed %d", seed).isGreaterThan(0.25);
    }
}
