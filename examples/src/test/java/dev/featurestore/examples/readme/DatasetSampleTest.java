package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.dataset.Dataset;
import dev.featurestore.core.dataset.DatasetSplit;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.dataset.Normalization;
import dev.featurestore.core.dataset.Split;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's training-dataset sample, run as it is written there (the region between the markers). */
@DisplayName("README sample: a training dataset without leakage")
class DatasetSampleTest {

    // sample:begin readme-dataset
    @Test
    void trains_without_leakage() {
        SyntheticCandles market = SyntheticCandles.seed(7).start(LocalDate.of(2024, 1, 8)).tradingDays(15);
        List<CandleSeries> candles = market.generate(List.of("SBER", "GAZP"));
        Instant a = Instant.parse("2024-01-08T00:00:00Z");
        Instant b = Instant.parse("2024-01-19T00:00:00Z");
        Instant c = Instant.parse("2024-01-24T00:00:00Z");
        Dataset ds = FeatureStore.forSet("tech_v2").timeframe("5m").window(60).completeThrough(market.end())
                .labels("fwd_ret_12")                                          // registry label: h = 12 bars
                .split(Split.train(a, b), Split.valid(b, c), Split.test(c, market.end())) // half-open ranges
                .normalize(Normalization.robustZScore().clip(5))               // fitted on train only
                .dataset(candles);                                             // purge: 60 + 12 bars
        DatasetSplit test = ds.split("test");
        float[] x = test.toFlatFloatArray();                                   // (N, 60, 20), row-major
        double[] y = test.labels("fwd_ret_12");                                // N labels
        assertThat(x).hasSize(test.count() * 60 * 20);
        assertThat(y).hasSize(test.count());

        // at inference, the same statistics give the values the model saw, bit for bit
        FittedNormalization norm = FittedNormalization.fromJson(ds.normalization().orElseThrow().toJson());
        FeatureWindow w = FeatureStore.forSet("tech_v2").timeframe("5m").window(60).completeThrough(market.end())
                .normalized(norm).asOf(Instant.ofEpochMilli(test.endTs(0) + 300_000))
                .latest(candles.get(test.secid(0).equals("SBER") ? 0 : 1));
        assertThat(w.toFlatFloatArray()).containsExactly(Arrays.copyOfRange(x, 0, 60 * 20));
    }
    // sample:end readme-dataset
}
