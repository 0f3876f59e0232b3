package dev.featurestore.jdbc;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.RandomCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A rough measurement of the SQLite write and window-read paths, for orientation (the JMH
 * benchmarks in featurestore-bench are the reference): writes {@code secids x rows} tech_v2 rows
 * (20 values each) through {@code writeBuild}, then times as-of window fetches of 120 x 20.
 *
 * <p>Arguments: {@code [directory] [secids] [rowsPerSecid] [fetches]}.
 */
public final class SqliteThroughput {
    private SqliteThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("featurestore-throughput");
        int secids = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int fetches = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        Timeframe tf = Timeframe.ONE_MINUTE;
        Path db = dir.resolve("throughput.db");
        Files.deleteIfExists(db);
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + db).build()) {
            FeatureFrame[] frames = new FeatureFrame[secids];
            for (int s = 0; s < secids; s++) {
                CandleSeries candles = RandomCandles.series("S" + s, tf, rows + 33, 1000 + s);
                frames[s] = store.forSet("tech_v2").timeframe(tf).compute(candles);
            }
            long values = 0;
            long t0 = System.nanoTime();
            for (FeatureFrame f : frames) {
                BuildRecord record = new BuildRecord("tech_v2", tf, f.secid(), f.ts(0), f.ts(f.size() - 1) + 1, f.ts(0),
                        f.size(), 120, Instant.now(), Instant.now(), BuildRecord.Status.COMPLETED,
                        store.registry().fingerprint("tech_v2"));
                store.storage().writeBuild(record, f);
                values += (long) f.size() * f.featureNames().size();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("write: %d rows x 20 = %d values in %.2f s = %.2f M values/s (%.0f rows/s)%n",
                    (long) secids * rows, values, seconds, values / seconds / 1e6, values / 20.0 / seconds);

            SplittableRandom random = new SplittableRandom(7);
            long[] nanos = new long[fetches];
            for (int i = 0; i < fetches; i++) {
                FeatureFrame f = frames[random.nextInt(secids)];
                long asOf = f.ts(120 + random.nextInt(f.size() - 120)) + tf.millis();
                long a = System.nanoTime();
                store.forSet("tech_v2").timeframe(tf).window(120).secid(f.secid()).asOf(Instant.ofEpochMilli(asOf))
                        .fetch();
                nanos[i] = System.nanoTime() - a;
            }
            Arrays.sort(nanos);
            System.out.printf("fetch 120 x 20 as of a random time (%d fetches): median %.3f ms, p99 %.3f ms%n",
                    fetches, nanos[fetches / 2] / 1e6, nanos[fetches * 99 / 100] / 1e6);

            CandleSeries oneMinute = RandomCandles.series("E2E", tf, rows, 99);
            long a = System.nanoTime();
            store.candles().upsert(oneMinute);
            double ingest = (System.nanoTime() - a) / 1e9;
            a = System.nanoTime();
            BuildRecord built = store.forSet("tech_v2").timeframe("5m").secid("E2E").build().get(0);
            double build = (System.nanoTime() - a) / 1e9;
            System.out.printf("end to end: upsert %d 1m candles %.2f s (%.0f candles/s); build tech_v2 5m from them "
                    + "(read, resample, compute, write %d rows) %.2f s%n", rows, ingest, rows / ingest, built.rows(),
                    build);
        }
    }
}
