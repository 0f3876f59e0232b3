package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.registry.FeatureRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of each {@code tech_v2} feature alone, over the same million candles as
 * {@link ComputeBenchmark}: a one-feature set per {@link #feature}, read with
 * {@link FeatureRegistry#parse(String, String)}, computed through the public query. A feature
 * that reads others ({@code macd_signal} reads {@code macd_line}, {@code stoch_d_3} reads
 * {@code stoch_k_14}) pays for them here, so the costs overlap and do not add up to the whole
 * set. {@code return_1}, the cheapest kernel, shows about the fixed cost of one column through
 * this path (allocating it, the query, the frame).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch"})
public class FeatureCostBenchmark {
    /** The feature computed alone. */
    @Param({"return_1", "sma_ratio_5_20", "ema_ratio_12_26", "macd_line", "macd_signal", "macd_hist", "rsi_14",
            "volatility_20", "atr_14", "volume_zscore_20", "price_position_20", "intraday_range_pct",
            "candle_body_pct", "upper_shadow_pct", "lower_shadow_pct", "bullish_engulfing", "bearish_engulfing",
            "bollinger_band_pct", "stoch_k_14", "stoch_d_3"})
    public String feature;

    private CandleSeries series;
    private FeatureQuery query;

    /** Makes the candles and a store whose only set holds {@link #feature}. */
    @Setup(Level.Trial)
    public void setUp() {
        series = BenchCandles.series(ComputeBenchmark.CANDLES, ComputeBenchmark.SEED);
        String yaml = "version: 1\n"
                + "feature_sets:\n"
                + "  single:\n"
                + "    default_window_size: 120\n"
                + "    timeframes: [1m]\n"
                + "    features: [" + feature + "]\n";
        FeatureRegistry registry = FeatureRegistry.parse("single-feature registry", yaml);
        query = FeatureStore.builder().registry(registry).build().forSet("single");
    }

    /** The one feature over the whole series, clean rows. */
    @Benchmark
    public FeatureFrame compute() {
        return query.compute(series);
    }
}
