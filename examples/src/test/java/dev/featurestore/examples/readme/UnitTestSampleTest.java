package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's unit-test sample, run as it is written there (the region between the markers). */
@DisplayName("README sample: a unit test of training code")
class UnitTestSampleTest {

    // sample:begin readme-unit-test
    @Test
    void model_sees_only_closed_candles() {
        SyntheticCandles market = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(5);
        CandleSeries candles = market.generate("SBER");                  // seeded 1m candles, Moscow session hours
        FeatureWindows batch = FeatureStore.forSet("tech_v2").timeframe("5m").window(120).stride(10)
                .completeThrough(market.end())                            // the last 5m bucket is final
                .windows(candles);                                        // one (N, 120, 20) block
        int rows = FeatureStore.forSet("tech_v2").timeframe("5m").completeThrough(market.end())
                .compute(candles).size();                                 // the clean 5m rows
        assertThat(batch.shape()).containsExactly((rows - 120) / 10 + 1, 120, 20);
    }
    // sample:end readme-unit-test
}
