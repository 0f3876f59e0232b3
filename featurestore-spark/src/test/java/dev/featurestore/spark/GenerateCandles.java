package dev.featurestore.spark;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.core.source.SyntheticCandles;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes seeded synthetic 1m candles as a Parquet candle table (secid, ts, open, high, low, close,
 * volume) with Spark, the same candles {@code featurestore run --synthetic} generates for the same
 * seed, start, days and secids {@code S000, S001, ...}: the input of the scaling measurement in the
 * module's README.
 *
 * <pre>
 * java ... dev.featurestore.spark.GenerateCandles OUT_DIR SECIDS DAYS [SEED] [MASTER]
 * java ... dev.featurestore.spark.GenerateCandles --names SECIDS    (prints the secids, comma-separated)
 * java ... dev.featurestore.spark.GenerateCandles --end DAYS        (prints the end of the candles)
 * </pre>
 */
public final class GenerateCandles {
    private GenerateCandles() {
    }

    /**
     * Generates and writes the candles.
     *
     * @param args the output directory, the number of secids, the trading days, the seed (default
     *     42) and the Spark master (default {@code local[2]}); or {@code --names} and the number of
     *     secids, to print their names; or {@code --end} and the trading days, to print the end of the
     *     candles
     */
    public static void main(String[] args) {
        if (args[0].equals("--names")) {
            System.out.println(String.join(",", names(Integer.parseInt(args[1]))));
            return;
        }
        if (args[0].equals("--end")) {
            System.out.println(SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8))
                    .tradingDays(Integer.parseInt(args[1])).end());
            return;
        }
        String out = args[0];
        int secids = Integer.parseInt(args[1]);
        int days = Integer.parseInt(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        String master = args.length > 4 ? args[4] : "local[2]";
        SparkSession spark = SparkSessions.configured(SparkSession.builder().master(master)).getOrCreate();
        try {
            long t0 = System.nanoTime();
            spark.createDataset(names(secids), Encoders.STRING()).repartition(Math.min(secids, 8))
                    .flatMap(new Generate(seed, days), Encoders.row(TestCandles.SCHEMA))
                    .write().mode(SaveMode.ErrorIfExists).parquet(out);
            long rows = spark.read().parquet(out).count();
            System.out.printf(Locale.ROOT, "%d candles of %d secids x %d trading days in %s (%.1f s)%n", rows, secids,
                    days, out, (System.nanoTime() - t0) / 1e9);
        } finally {
            spark.stop();
        }
    }

    /** The secids {@code S000, S001, ...}. */
    static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format(Locale.ROOT, "S%03d", i));
        }
        return out;
    }

    /** One secid's candles as rows. */
    private static final class Generate implements FlatMapFunction<String, Row> {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final int days;

        Generate(long seed, int days) {
            this.seed = seed;
            this.days = days;
        }

        @Override
        public Iterator<Row> call(String secid) {
            CandleSeries s = SyntheticCandles.seed(seed).start(LocalDate.of(2024, 1, 8)).tradingDays(days)
                    .generate(secid);
            List<Row> rows = new ArrayList<>(s.size());
            for (int i = 0; i < s.size(); i++) {
                rows.add(RowFactory.create(secid, new Timestamp(s.ts(i)), s.open(i), s.high(i), s.low(i), s.close(i),
                        s.volume(i)));
            }
            return rows.iterator();
        }
    }
}
