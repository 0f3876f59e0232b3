package dev.featurestore.examples.readme;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.LocalDate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

// The README's JMH sample (the region between the markers); MyPipelineBenchmarkTest runs it.
// sample:begin readme-jmh
@State(Scope.Benchmark)
public class MyPipelineBenchmark {
    CandleSeries candles = SyntheticCandles.seed(1).start(LocalDate.of(2024, 1, 8)).tradingDays(250).generate("SBER");
    FeatureQuery query = FeatureStore.forSet("tech_v2").timeframe("5m");

    @Benchmark
    public FeatureFrame features() {
        return query.compute(candles);
    }
}
// sample:end readme-jmh
