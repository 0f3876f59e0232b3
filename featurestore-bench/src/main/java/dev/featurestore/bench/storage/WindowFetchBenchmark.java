package dev.featurestore.bench.storage;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.bench.BenchCandles;
import dev.featurestore.core.StoredQuery;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of one window fetch through the public API,
 * {@code store.forSet("tech_v2").timeframe("1m").window(120).secid(X).asOf(t).fetch()}: a 120 x 20
 * window as of a random time, from a database holding 1,000,000 one-minute candles and their
 * tech_v2 features (built in setup through {@code build()}). Sample mode: read the p0.50 line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class WindowFetchBenchmark {
    /** Candles (and so feature rows, less the warm-up) in the database. */
    public static final int CANDLES = 1_000_000;
    /** Rows of a window. */
    public static final int WINDOW = 120;
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;

    /** {@code sqlite} or {@code postgres}. */
    @Param({"sqlite", "postgres"})
    public String backend;

    private BenchDatabases db;
    private StoredQuery query;
    private long firstAsOf;
    private long span;
    private final SplittableRandom random = new SplittableRandom(2024);

    /** Opens the database, stores the candles and builds their features. */
    @Setup(Level.Trial)
    public void setUp() {
        db = BenchDatabases.open(backend, "copy");
        try {
            CandleSeries candles = BenchCandles.series(CANDLES, 11);
            db.store().candles().upsert(candles);
            List<BuildRecord> builds = db.store().forSet("tech_v2").timeframe(M1).secid(BenchCandles.SECID).build();
            BuildRecord build = builds.get(0);
            if (build.rows() < CANDLES - 1_000) {
                throw new IllegalStateException("the build stored only " + build.rows() + " rows");
            }
            query = db.store().forSet("tech_v2").timeframe(M1).window(WINDOW).secid(BenchCandles.SECID);
            // The first as-of time with a full window: when the WINDOW-th stored row becomes available.
            FeatureFrame head = db.store().forSet("tech_v2").timeframe(M1).secid(BenchCandles.SECID)
                    .between(Instant.ofEpochMilli(build.fromTs()), Instant.ofEpochMilli(build.fromTs()).plus(Duration.ofDays(10)))
                    .frame();
            firstAsOf = head.ts(WINDOW - 1) + M1.millis();
            span = build.toTs() - firstAsOf; // toTs: the end of the last built candle, when the newest row is available
        } catch (RuntimeException e) {
            // JMH skips the tear-down when set-up fails: stop the server and delete the files here.
            try {
                db.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** One fetch as of a random time. */
    @Benchmark
    public FeatureWindow fetchWindow() {
        long asOf = firstAsOf + random.nextLong(span + 1);
        return query.asOf(Instant.ofEpochMilli(asOf)).fetch();
    }

    /** Stops the server and deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
    }
}
