package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.FeatureStore;
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
import org.ta4j.core.BarSeries;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.bollinger.PercentBIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.num.Num;

/**
 * The cost of computing {@code tech_v2} over a million one-minute candles, next to two yardsticks
 * over the same candles: the memory floor of producing twenty columns of that length (copies of
 * the inputs into freshly allocated arrays) and ta4j 0.17 ({@code DoubleNum}) computing seven of
 * the indicators (RSI 14, EMA 12, EMA 26, MACD 12/26, ATR 14, Bollinger %B 20/2, stochastic %K 14)
 * at every bar.
 *
 * <p>Candles are made and validated once per trial, outside the measured code; so is the ta4j
 * bar series. ta4j takes seconds per invocation, so it runs as single shots (one full pass over
 * the million bars per iteration); the others as averages over two-second iterations. The heap
 * is fixed at 8 GB and touched when the JVM starts ({@code -Xms8g -Xmx8g -XX:+AlwaysPreTouch}),
 * so that neither growing the heap nor the first touch of its pages is measured: on a virtual
 * machine the first touch of a page costs far more than writing it. Each ta4j invocation builds
 * fresh indicator objects, so no cached value carries over from one invocation to the next.
 *
 * <p>The JVM runs with the incubating Vector API ({@code --add-modules jdk.incubator.vector}), so
 * {@link #techV2()} uses the SIMD kernels where there are some; {@link #techV2Scalar()} measures
 * the same computation in a JVM without that module (the default for an application that does not
 * add it). The flag applies to every benchmark of the class alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "--add-modules",
        "jdk.incubator.vector"})
public class ComputeBenchmark {
    /** Candles per series. */
    public static final int CANDLES = 1_000_000;
    /** The seed of the candles. */
    public static final long SEED = 20_260_101L;

    private CandleSeries series;
    private BarSeries bars;

    /** Makes the candles (validated) and the ta4j bar series from them. */
    @Setup(Level.Trial)
    public void setUp() {
        series = BenchCandles.series(CANDLES, SEED);
        bars = BenchCandles.toBarSeries(series);
    }

    /** All twenty features of {@code tech_v2} on the series as it is (no resampling), clean rows. */
    @Benchmark
    public FeatureFrame techV2() {
        return FeatureStore.forSet("tech_v2").compute(series);
    }

    /** {@link #techV2()} in a JVM without the Vector API: the scalar kernels only. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch"})
    public FeatureFrame techV2Scalar() {
        return FeatureStore.forSet("tech_v2").compute(series);
    }

    /** Twenty freshly allocated columns, column i a copy of input column i mod 5. */
    @Benchmark
    public double[][] memoryFloor() {
        double[][] inputs = {Columns.open(series), Columns.high(series), Columns.low(series), Columns.close(series),
            Columns.volume(series)};
        int n = series.size();
        double[][] out = new double[20][];
        for (int i = 0; i < out.length; i++) {
            double[] column = new double[n];
            System.arraycopy(inputs[i % inputs.length], 0, column, 0, n);
            out[i] = column;
        }
        return out;
    }

    /**
     * Like {@link #memoryFloor()}, but each column is written by a plain loop into an array the
     * JVM has zeroed first, as a kernel writes its output column: the floor without the
     * allocation-and-copy shortcut the JIT may take for {@code System.arraycopy} into a fresh
     * array.
     */
    @Benchmark
    public double[][] memoryFloorLoop() {
        double[][] inputs = {Columns.open(series), Columns.high(series), Columns.low(series), Columns.close(series),
            Columns.volume(series)};
        int n = series.size();
        double[][] out = new double[20][];
        for (int i = 0; i < out.length; i++) {
            double[] in = inputs[i % inputs.length];
            double[] column = new double[n];
            for (int t = 0; t < n; t++) {
                column[t] = in[t];
            }
            out[i] = column;
        }
        return out;
    }

    /**
     * ta4j's RSI(14), EMA(12), EMA(26), MACD(12, 26), ATR(14), Bollinger %B(20, 2) and %K(14),
     * each evaluated at every index in order. %K is built from ta4j's highest-high and lowest-low
     * indicators (its own stochastic indicator rescans the window from the start and is
     * quadratic), 50 when the range is empty, as in our definition. Returns the sum of all values so that none can be skipped.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 4)
    @Measurement(iterations = 8)
    public double ta4j() {
        int n = bars.getBarCount();
        ClosePriceIndicator close = new ClosePriceIndicator(bars);
        double sum = 0;
        sum += sweep(new RSIIndicator(close, 14), n);
        sum += sweep(new EMAIndicator(close, 12), n);
        sum += sweep(new EMAIndicator(close, 26), n);
        sum += sweep(new MACDIndicator(close, 12, 26), n);
        sum += sweep(new ATRIndicator(bars, 14), n);
        sum += sweep(new PercentBIndicator(close, 20, 2.0), n);
        HighestValueIndicator highest = new HighestValueIndicator(new HighPriceIndicator(bars), 14);
        LowestValueIndicator lowest = new LowestValueIndicator(new LowPriceIndicator(bars), 14);
        Num hundred = close.hundred();
        Num fifty = close.numOf(50);
        for (int i = 0; i < n; i++) {
            Num ll = lowest.getValue(i);
            Num range = highest.getValue(i).minus(ll);
            Num k = range.isZero() ? fifty : close.getValue(i).minus(ll).dividedBy(range).multipliedBy(hundred);
            sum += k.doubleValue();
        }
        return sum;
    }

    private static double sweep(Indicator<Num> indicator, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += indicator.getValue(i).doubleValue();
        }
        return sum;
    }
}
