package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.DatasetQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.dataset.Dataset;
import dev.featurestore.core.dataset.Normalization;
import dev.featurestore.core.dataset.Split;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.source.SyntheticCandles;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A training dataset from stored features to the (N, W, F) block: 100 secids x one year (252
 * Moscow sessions) of 5-minute candles, about 2.6 million stored tech_v2 rows (built in setup, in
 * memory), window 120, label {@code fwd_ret_12}, train/valid/test by month (8/2/2), a pooled
 * robust z-score fitted on train, one window every {@value #STRIDE} rows of each secid (the train
 * block of every window, 1.7 million x 120 x 20, would exceed one Java array). Measured: {@code
 * dataset()} (read the stored rows and candles, label, split, purge, fit and apply the
 * normalization) plus the train split's float block. After each iteration the peak heap of the
 * iteration (the sum of the heap pools' peaks, so an upper bound) and the live heap of the stored
 * data are printed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms12g", "-Xmx12g"})
public class DatasetBenchmark {
    /** Instruments. */
    public static final int SECIDS = 100;
    /** Trading days of each. */
    public static final int DAYS = 252;
    /** Rows per window. */
    public static final int WINDOW = 120;
    /** Rows between the candidate windows of one secid. */
    public static final int STRIDE = 12;

    private static final Timeframe M5 = Timeframe.parse("5m");

    private Store store;
    private DatasetQuery query;
    private long storedRows;
    private long liveAfterSetup;

    /** Generates the candles, resamples them to 5m, stores them and builds tech_v2 over them. */
    @Setup(Level.Trial)
    public void setUp() {
        store = FeatureStore.builder().build();
        List<String> secids = new ArrayList<>();
        for (int i = 0; i < SECIDS; i++) {
            secids.add(String.format(Locale.ROOT, "S%03d", i));
        }
        SyntheticCandles gen = SyntheticCandles.seed(2026).tradingDays(DAYS);
        for (String secid : secids) {
            CandleSeries m5 = Resampler.resample(gen.generate(secid), M5, gen.end(), store.registry().exchangeZone());
            store.candles().upsert(m5);
        }
        store.forSet("tech_v2").timeframe(M5).secids(secids).build();
        LocalDate first = gen.firstTradingDay();
        Instant a = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant b = first.plusMonths(8).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant c = first.plusMonths(10).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant d = gen.end();
        query = store.forSet("tech_v2").timeframe(M5).window(WINDOW).stride(STRIDE).secids(secids)
                .labels("fwd_ret_12").split(Split.train(a, b), Split.valid(b, c), Split.test(c, d))
                .normalize(Normalization.robustZScore());
        Dataset probe = query.dataset();
        storedRows = 0;
        for (String s : secids) {
            storedRows += store.forSet("tech_v2").timeframe(M5).secid(s).frame().size();
        }
        System.out.println();
        System.out.println("stored rows: " + storedRows + "; train block shape "
                + java.util.Arrays.toString(probe.split("train").shape()));
        System.out.print(probe.summary().lines().limit(4).reduce("", (x, y) -> x + y + "\n"));
        System.gc();
        liveAfterSetup = heapUsed();
    }

    /** Resets the heap pools' peaks, so that each iteration reports its own. */
    @Setup(Level.Iteration)
    public void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Prints the iteration's peak heap. */
    @TearDown(Level.Iteration)
    public void printPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "%n  peak heap %.2f GB (live stored data after setup %.2f GB)%n",
                peak / 1e9, liveAfterSetup / 1e9);
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Closes the store. */
    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** The dataset over the stored features and its train block. */
    @Benchmark
    public float[] datasetToTrainBlock() {
        return query.dataset().split("train").toFlatFloatArray();
    }
}
