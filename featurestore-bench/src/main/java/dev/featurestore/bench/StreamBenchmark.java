package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.stream.FeatureStream;
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
 * Streaming {@code tech_v2} one candle at a time, next to the batch computation of the same rows.
 *
 * <ul>
 *   <li>{@link #accept(Latency)}: one {@link FeatureStream#offer} of a one-minute candle to a
 *       stream of one-minute rows (every call emits a row, the most work a call can do), sampled
 *       call by call, so JMH reports the median and the tail. Run it with {@code -prof gc}: the
 *       allocation per call in steady state is what {@code gc.alloc.rate.norm} shows.</li>
 *   <li>{@link #acceptResampled(Latency)}: the same candles into a stream of 5m rows (four calls in
 *       five only merge into the forming bucket).</li>
 *   <li>{@link #replay(Replay)} and {@link #batch(Replay)}: ten million one-minute candles through
 *       a new stream, and the batch {@code computeAllRows} of the same series, in the same run,
 *       single shots.</li>
 * </ul>
 *
 * <p>The latency stream has taken 100,000 candles before measuring; the candles then cycle
 * through a million, shifted in time on each lap so that they keep increasing. The JVM runs with
 * the Vector API as {@link ComputeBenchmark}'s does (the batch kernels use it; the stream has no
 * SIMD path).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "--add-modules",
        "jdk.incubator.vector"})
public class StreamBenchmark {
    /** Candles the latency streams cycle through. */
    public static final int LATENCY_CANDLES = 1_000_000;
    /** Candles of the replay against batch. */
    public static final int REPLAY_CANDLES = 10_000_000;

    /** A warmed-up stream and the candles to feed it. */
    @State(Scope.Thread)
    public static class Latency {
        long[] ts;
        double[] o;
        double[] h;
        double[] l;
        double[] c;
        double[] v;
        long lap;
        int next;
        FeatureStream rows1m;
        FeatureStream rows5m;

        /** Makes the candles and streams that have taken the first 100,000 of them. */
        @Setup(Level.Trial)
        public void setUp() {
            CandleSeries s = BenchCandles.series(LATENCY_CANDLES, ComputeBenchmark.SEED);
            ts = Columns.ts(s);
            o = Columns.open(s);
            h = Columns.high(s);
            l = Columns.low(s);
            c = Columns.close(s);
            v = Columns.volume(s);
            // a lap later by whole days, so the 5m buckets stay aligned
            lap = (ts[ts.length - 1] - ts[0]) / 86_400_000L * 86_400_000L + 86_400_000L;
            rows1m = FeatureStore.forSet("tech_v2").timeframe("1m").stream(BenchCandles.SECID);
            rows5m = FeatureStore.forSet("tech_v2").timeframe("5m").stream(BenchCandles.SECID);
            for (next = 0; next < 100_000; next++) {
                rows1m.offer(ts[next], o[next], h[next], l[next], c[next], v[next]);
                rows5m.offer(ts[next], o[next], h[next], l[next], c[next], v[next]);
            }
        }

        long shift;
        long candleTs;

        /** The index of the next candle; its time, shifted by the laps done, in {@link #candleTs}. */
        int advance() {
            int i = next++;
            candleTs = ts[i] + shift;
            if (next == ts.length) {
                next = 0;
                shift += lap;
            }
            return i;
        }
    }

    /**
     * One candle into the stream of 1m rows.
     *
     * @param s the stream and candles
     * @return a value of the row emitted
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public double accept(Latency s) {
        int i = s.advance();
        s.rows1m.offer(s.candleTs, s.o[i], s.h[i], s.l[i], s.c[i], s.v[i]);
        return s.rows1m.lastValue(19);
    }

    /**
     * One candle into the stream of 5m rows.
     *
     * @param s the stream and candles
     * @return whether a row was emitted
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public boolean acceptResampled(Latency s) {
        int i = s.advance();
        return s.rows5m.offer(s.candleTs, s.o[i], s.h[i], s.l[i], s.c[i], s.v[i]);
    }

    /** Ten million candles, for the replay and the batch computation. */
    @State(Scope.Benchmark)
    public static class Replay {
        CandleSeries series;
        long[] ts;
        double[] o;
        double[] h;
        double[] l;
        double[] c;
        double[] v;
        FeatureQuery query;

        /** Makes the candles once. */
        @Setup(Level.Trial)
        public void setUp() {
            series = BenchCandles.series(REPLAY_CANDLES, ComputeBenchmark.SEED);
            ts = Columns.ts(series);
            o = Columns.open(series);
            h = Columns.high(series);
            l = Columns.low(series);
            c = Columns.close(series);
            v = Columns.volume(series);
            query = FeatureStore.forSet("tech_v2").timeframe("1m");
        }
    }

    /**
     * Ten million candles through a new stream of 1m rows, one at a time.
     *
     * @param r the candles
     * @return a value of the last row
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    public double replay(Replay r) {
        FeatureStream s = r.query.stream(BenchCandles.SECID);
        for (int i = 0; i < r.ts.length; i++) {
            s.offer(r.ts[i], r.o[i], r.h[i], r.l[i], r.c[i], r.v[i]);
        }
        return s.lastValue(19);
    }

    /**
     * The batch computation of the same rows.
     *
     * @param r the candles
     * @return every row
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 3)
    public FeatureFrame batch(Replay r) {
        return r.query.computeAllRows(r.series);
    }
}
