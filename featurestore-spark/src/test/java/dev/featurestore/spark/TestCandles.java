package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.source.SyntheticCandles;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Generated candles for the Spark tests, and the bit-for-bit comparison of Spark rows with frames. */
final class TestCandles {
    static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("secid", DataTypes.StringType, false),
            DataTypes.createStructField("ts", DataTypes.TimestampType, false),
            DataTypes.createStructField("open", DataTypes.DoubleType, false),
            DataTypes.createStructField("high", DataTypes.DoubleType, false),
            DataTypes.createStructField("low", DataTypes.DoubleType, false),
            DataTypes.createStructField("close", DataTypes.DoubleType, false),
            DataTypes.createStructField("volume", DataTypes.DoubleType, false)));

    private TestCandles() {
    }

    /**
     * Several secids of 1m candles from the seeded generator (nights, weekends and missing minutes
     * are gaps; some minutes are flat), with more gaps and a long flat run put in at seeded places:
     * a whole trading day taken out of one secid, and 200 candles of one price and no volume in
     * another.
     */
    static List<CandleSeries> generate(long seed, int secids, int days) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < secids; i++) {
            names.add("S" + seed + "_" + i);
        }
        List<CandleSeries> out = new ArrayList<>();
        Random rnd = new Random(seed);
        for (CandleSeries s : SyntheticCandles.seed(seed).start(LocalDate.of(2024, 1, 8)).tradingDays(days)
                .generate(names)) {
            int n = s.size();
            long[] ts = s.timestamps();
            double[] o = s.opens();
            double[] h = s.highs();
            double[] l = s.lows();
            double[] c = s.closes();
            double[] v = s.volumes();
            boolean[] keep = new boolean[n];
            java.util.Arrays.fill(keep, true);
            int kind = out.size() % 3;
            if (kind == 1 && n > 2000) {
                int at = 520 + rnd.nextInt(n - 1500);
                for (int i = at; i < Math.min(n, at + 520); i++) {
                    keep[i] = false; // a day's gap
                }
            } else if (kind == 2 && n > 2000) {
                int at = 300 + rnd.nextInt(n - 1000);
                double p = c[at - 1];
                for (int i = at; i < at + 200; i++) {
                    o[i] = p;
                    h[i] = p;
                    l[i] = p;
                    c[i] = p;
                    v[i] = 0;
                }
            }
            CandleSeries.Builder b = CandleSeries.builder(s.secid()).timeframe(Timeframe.ONE_MINUTE);
            for (int i = 0; i < n; i++) {
                if (keep[i]) {
                    b.add(ts[i], o[i], h[i], l[i], c[i], v[i]);
                }
            }
            out.add(b.build());
        }
        return out;
    }

    /** The candles as a Spark table, rows shuffled so that order cannot carry the result. */
    static Dataset<Row> dataset(SparkSession spark, List<CandleSeries> series, long seed) {
        List<Row> rows = new ArrayList<>();
        for (CandleSeries s : series) {
            for (int i = 0; i < s.size(); i++) {
                rows.add(RowFactory.create(s.secid(), new Timestamp(s.ts(i)), s.open(i), s.high(i), s.low(i),
                        s.close(i), s.volume(i)));
            }
        }
        java.util.Collections.shuffle(rows, new Random(seed));
        return spark.createDataFrame(rows, SCHEMA).repartition(3);
    }

    /** Asserts that the rows of one secid are the frame's, every value bit for bit. */
    static void assertSameBits(List<Row> rows, FeatureFrame expected) {
        assertThat(rows).as("rows of %s", expected.secid()).hasSize(expected.size());
        List<FeatureKind> kinds = expected.kinds();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            assertThat(row.getString(0)).isEqualTo(expected.secid());
            assertThat(((Timestamp) row.get(1)).getTime()).as("ts of row %d of %s", r, expected.secid())
                    .isEqualTo(expected.ts(r));
            for (int f = 0; f < kinds.size(); f++) {
                double want = expected.value(r, f);
                if (kinds.get(f) == FeatureKind.CATEGORICAL) {
                    assertThat((double) row.getByte(2 + f)).isEqualTo(want);
                } else {
                    assertThat(Double.doubleToRawLongBits(row.getDouble(2 + f)))
                            .as("%s of %s at row %d", expected.featureNames().get(f), expected.secid(), r)
                            .isEqualTo(Double.doubleToRawLongBits(want));
                }
            }
        }
    }

    /** Spark's rows by secid, in the order they came. */
    static Map<String, List<Row>> group(List<Row> rows) {
        Map<String, List<Row>> out = new HashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
