package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.window.Windows;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cutting training windows of {@code tech_v2} (120 rows x 20 features, one every 60 rows, about
 * 16,700 windows) out of the million-candle series of {@link ComputeBenchmark}: through the query
 * ({@code windows}, which computes the frame first) and from a frame computed in setup (the cut
 * alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch"})
public class WindowsBenchmark {
    /** Rows between consecutive windows. */
    public static final int STRIDE = 60;

    private CandleSeries series;
    private FeatureQuery query;
    private FeatureFrame frame;

    /** Makes the candles, the query and the frame the cut-only benchmark reads. */
    @Setup(Level.Trial)
    public void setUp() {
        series = BenchCandles.series(ComputeBenchmark.CANDLES, ComputeBenchmark.SEED);
        query = FeatureStore.forSet("tech_v2").stride(STRIDE);
        frame = query.compute(series);
    }

    /** {@code FeatureQuery.windows}: compute the frame, then cut the (N, 120, 20) block. */
    @Benchmark
    public FeatureWindows queryWindows() {
        return query.windows(series);
    }

    /** The cut alone, from the frame computed in setup. */
    @Benchmark
    public FeatureWindows slidingOnly() {
        return Windows.sliding(frame, query.windowSize(), STRIDE);
    }
}
