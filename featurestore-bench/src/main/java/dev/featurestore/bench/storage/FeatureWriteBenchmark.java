package dev.featurestore.bench.storage;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.bench.BenchCandles;
import dev.featurestore.core.FeatureStore;
import java.io.IOException;
import java.time.Instant;
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
 * Feature values written per second: one operation is one build write (one transaction) of
 * 50,000 rows of {@code tech_v2} (20 features, so 1,000,000 values) for a secid new to the
 * database, through {@code FeatureStorage.writeBuild}. The values are the real tech_v2 features of
 * synthetic one-minute candles, computed once in setup. Values per second = 1,000,000 / the time
 * of one operation.
 *
 * <p>Backends: {@code sqlite} (prepared-statement batches in one transaction, WAL,
 * synchronous=NORMAL), {@code postgres} with {@code copy} (binary COPY into a staging table, then
 * one merge) or {@code batch} (JDBC batches into the staging table, then the same merge), on a
 * server with fsync and synchronous_commit on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FeatureWriteBenchmark {
    /** Rows per write; with tech_v2's 20 features, 1,000,000 values. */
    public static final int ROWS = 50_000;
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;

    /** {@code sqlite}, {@code postgres-copy} or {@code postgres-batch}. */
    @Param({"sqlite", "postgres-copy", "postgres-batch"})
    public String backend;

    private BenchDatabases db;
    private FeatureFrame frame;
    private long[] ts;
    private double[][] columns;
    private int written;

    /** Opens the database and computes the frame written by every operation. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = backend.split("-");
        db = BenchDatabases.open(parts[0], parts.length > 1 ? parts[1] : "copy");
        try {
            CandleSeries candles = BenchCandles.series(ROWS + 200, 7);
            FeatureFrame all = FeatureStore.builder().build().forSet("tech_v2").timeframe(M1).compute(candles);
            frame = all.rows(all.size() - ROWS, all.size());
            ts = frame.timestamps();
            columns = new double[frame.featureNames().size()][];
            for (int j = 0; j < columns.length; j++) {
                columns[j] = frame.column(j);
            }
            if ((long) ROWS * columns.length != 1_000_000L) {
                throw new IllegalStateException("expected 20 features, tech_v2 has " + columns.length);
            }
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

    /** One build write of 1,000,000 values for a new secid, committed. */
    @Benchmark
    public int writeMillionValues() {
        String secid = "W" + written++;
        FeatureFrame f = Columns.frame(secid, "tech_v2", M1, frame.featureNames(), frame.kinds(), ts, columns, 0,
                ts.length);
        Instant now = Instant.now();
        BuildRecord record = new BuildRecord("tech_v2", M1, secid, ts[0], ts[ts.length - 1] + 1, ts[0], ts.length, 120,
                now, now, BuildRecord.Status.COMPLETED, db.store().registry().fingerprint("tech_v2"));
        db.store().storage().writeBuild(record, f);
        return written;
    }

    /** Stops the server and deletes the files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
    }
}
