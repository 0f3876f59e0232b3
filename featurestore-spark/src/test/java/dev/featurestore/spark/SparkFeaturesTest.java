package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.UnknownFeatureSetException;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("SparkFeatures in local[2]")
class SparkFeaturesTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local(2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @ParameterizedTest(name = "{0} {1} from 1m candles, seed {2}")
    @CsvSource({"tech_v2, 5m, 11", "tech_v2, 1m, 12", "tech_v1, 1h, 13"})
    @DisplayName("every secid's rows equal the single-machine compute bit for bit")
    void equalsSingleMachine(String set, String tf, long seed) {
        System.out.println("seed " + seed);
        List<CandleSeries> series = TestCandles.generate(seed, 4, tf.equals("1h") ? 40 : 12);
        List<Row> rows = SparkFeatures.compute(TestCandles.dataset(spark, series, seed), set, tf).collectAsList();
        Map<String, List<Row>> bySecid = TestCandles.group(rows);
        assertThat(bySecid).hasSize(series.size());
        FeatureQuery q = FeatureStore.forSet(set).timeframe(tf);
        for (CandleSeries s : series) {
            FeatureFrame expected = q.compute(s);
            assertThat(expected.size()).isGreaterThan(50);
            TestCandles.assertSameBits(bySecid.get(s.secid()), expected);
        }
    }

    @Test
    @DisplayName("a range keeps the history before it as warm-up, as a single-machine build does")
    void rangeAsSingleMachineBuild() {
        List<CandleSeries> series = TestCandles.generate(21, 3, 12);
        Instant from = Instant.parse("2024-01-15T00:00:00Z");
        Instant to = Instant.parse("2024-01-19T00:00:00Z");
        List<Row> rows = SparkFeatures.forSet("tech_v2").timeframe("5m").between(from, to).completeThrough(to)
                .compute(TestCandles.dataset(spark, series, 21)).collectAsList();
        Map<String, List<Row>> bySecid = TestCandles.group(rows);
        try (Store store = FeatureStore.builder().build()) {
            List<String> secids = new ArrayList<>();
            for (CandleSeries s : series) {
                store.candles().upsert(s);
                secids.add(s.secid());
            }
            List<StoredQuery.Built> built = store.forSet("tech_v2").timeframe("5m").secids(secids).between(from, to)
                    .completeThrough(to).buildKeepingRows();
            for (StoredQuery.Built b : built) {
                assertThat(b.rows().ts(0)).isGreaterThanOrEqualTo(from.toEpochMilli());
                assertThat(b.record().historyStartTs()).isLessThan(from.toEpochMilli());
                TestCandles.assertSameBits(bySecid.get(b.record().secid()), b.rows());
            }
        }
    }

    @Test
    @DisplayName("a wrong candle schema is refused before any Spark job, naming the column and the type expected")
    void wrongSchema(@TempDir Path dir) {
        Dataset<Row> good = TestCandles.dataset(spark, TestCandles.generate(31, 1, 2), 31);
        SparkFeatures job = SparkFeatures.forSet("tech_v2").timeframe("5m");
        spark.sparkContext().setJobGroup("wrong-schema", "schema checks", false);
        try {
            assertThatThrownBy(() -> job.compute(good.drop("volume")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column 'volume' (double)");
            assertThatThrownBy(() -> job.compute(good.withColumn("open", functions.col("open").cast("float"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("column 'open' is float; expected double");
            assertThatThrownBy(() -> job.compute(good.withColumn("ts", functions.col("ts").cast("string"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("column 'ts' is string; expected timestamp");
            assertThatThrownBy(() -> job.compute(good.withColumn("secid", functions.lit(1))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("column 'secid' is int; expected string");
            try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("fs.db")).build()) {
                assertThatThrownBy(() -> job.exportSnapshot(good.drop("high"), dir.resolve("out"), store))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'high'");
                assertThat(store.storage().snapshots(SnapshotQuery.all())).isEmpty();
            }
            assertThatThrownBy(() -> SparkFeatures.compute(good, "tech_v9", "5m"))
                    .isInstanceOf(UnknownFeatureSetException.class);
            assertThatThrownBy(() -> SparkFeatures.compute(good, "tech_v1", "1m"))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("does not allow timeframe 1m");
            assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup("wrong-schema")).isEmpty();
            assertThat(dir.resolve("out")).doesNotExist();
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    @Test
    @DisplayName("an invalid candle fails the job with the secid, row, ts and field of the single-machine path; nothing is recorded")
    void invalidCandle(@TempDir Path dir) throws Exception {
        List<CandleSeries> series = TestCandles.generate(41, 3, 3);
        CandleSeries bad = series.get(1);
        int row = 700;
        List<Row> rows = new ArrayList<>(TestCandles.dataset(spark, series, 41).collectAsList());
        rows.replaceAll(r -> r.getString(0).equals(bad.secid()) && ((Timestamp) r.get(1)).getTime() == bad.ts(row)
                ? RowFactory.create(r.get(0), r.get(1), r.get(2), r.getDouble(5) * 0.5, r.get(4), r.get(5), r.get(6))
                : r);
        Dataset<Row> candles = spark.createDataFrame(rows, TestCandles.SCHEMA);
        long[] ts = bad.timestamps();
        double[] high = bad.highs();
        high[row] = bad.close(row) * 0.5;
        InvalidCandleException single = catchThrowableOfType(InvalidCandleException.class,
                () -> CandleSeries.of(bad.secid(), Timeframe.ONE_MINUTE, ts, bad.opens(), high, bad.lows(),
                        bad.closes(), bad.volumes()));
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("fs.db")).build()) {
            InvalidCandleException e = catchThrowableOfType(InvalidCandleException.class,
                    () -> SparkFeatures.forSet("tech_v2").timeframe("5m").exportSnapshot(candles, dir, store));
            assertThat(e.secid()).isEqualTo(bad.secid());
            assertThat(e.row()).isEqualTo(single.row()).isEqualTo(row);
            assertThat(e.tsMillis()).isEqualTo(single.tsMillis()).isEqualTo(bad.ts(row));
            assertThat(e.field()).isEqualTo(single.field());
            assertThat(e.getMessage()).isEqualTo(single.getMessage());
            assertThat(store.storage().snapshots(SnapshotQuery.all())).isEmpty();
        }
        try (var left = Files.walk(dir)) {
            assertThat(left.filter(p -> p.toString().contains(".parquet") || p.toString().contains(".spark-")))
                    .isEmpty();
        }
    }

    @Test
    @DisplayName("ts given as bigint epoch milliseconds gives the same rows as a timestamp column")
    void epochMillis() {
        List<CandleSeries> series = TestCandles.generate(51, 2, 4);
        Dataset<Row> candles = TestCandles.dataset(spark, series, 51);
        Dataset<Row> millis = candles.withColumn("ts", functions.unix_millis(functions.col("ts")));
        assertThat(millis.schema().apply("ts").dataType()).isEqualTo(DataTypes.LongType);
        Map<String, List<Row>> bySecid = TestCandles.group(SparkFeatures.compute(millis, "tech_v2", "5m")
                .collectAsList());
        for (CandleSeries s : series) {
            TestCandles.assertSameBits(bySecid.get(s.secid()), FeatureStore.forSet("tech_v2").timeframe("5m").compute(s));
        }
    }
}
