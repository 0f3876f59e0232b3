package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.RandomCandles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The files of a Parquet storage are plain Parquet that another reader (DuckDB) sees exactly. */
@DisplayName("Parquet storage files read by DuckDB")
class ParquetStorageFilesTest {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 99, 20260101})
    @DisplayName("Candle and feature files hold every stored value bit for bit, as DuckDB reads them")
    void duckDbReadsStorageFiles(long seed) throws Exception {
        Path root = dir.resolve("store");
        CandleSeries candles = RandomCandles.series("SBER", M1, 3000, seed);
        FeatureFrame stored;
        try (Store store = FeatureStore.builder().storage("parquet:" + root).build()) {
            store.candles().upsert(candles.slice(0, 1700));
            store.candles().upsert(candles.slice(1500, 3000));
            store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
            stored = store.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
        }
        Path candleFile = root.resolve("candles/1m/SBER.parquet");
        try (Connection c = DuckDb.open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT epoch_ms(ts), open, high, low, close, volume FROM read_parquet("
                        + DuckDb.lit(candleFile) + ") ORDER BY ts")) {
            int r = 0;
            while (rs.next()) {
                assertThat(rs.getLong(1)).isEqualTo(candles.ts(r));
                double[][] cols = {candles.opens(), candles.highs(), candles.lows(), candles.closes(), candles.volumes()};
                for (int j = 0; j < 5; j++) {
                    assertThat(Double.doubleToRawLongBits(rs.getDouble(j + 2)))
                            .as("seed %d row %d column %d", seed, r, j).isEqualTo(Double.doubleToRawLongBits(cols[j][r]));
                }
                r++;
            }
            assertThat(r).isEqualTo(candles.size());
        }
        Path featureFile = root.resolve("features/tech_v2/5m/SBER.parquet");
        List<String[]> columns = DuckDb.describe(featureFile);
        assertThat(columns).hasSize(1 + stored.featureNames().size());
        assertThat(columns.get(0)[0]).isEqualTo("ts");
        for (int j = 0; j < stored.featureNames().size(); j++) {
            assertThat(columns.get(j + 1)[0]).isEqualTo(stored.featureNames().get(j));
            assertThat(columns.get(j + 1)[1]).isEqualTo("DOUBLE");
        }
        assertThat(DuckDb.count(featureFile)).isEqualTo(stored.size());
        String last = stored.featureNames().get(stored.featureNames().size() - 1);
        try (Connection c = DuckDb.open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT epoch_ms(ts), \"" + last + "\" FROM read_parquet("
                        + DuckDb.lit(featureFile) + ") ORDER BY ts")) {
            int r = 0;
            while (rs.next()) {
                assertThat(rs.getLong(1)).isEqualTo(stored.ts(r));
                assertThat(Double.doubleToRawLongBits(rs.getDouble(2)))
                        .isEqualTo(Double.doubleToRawLongBits(stored.value(r, last)));
                r++;
            }
            assertThat(r).isEqualTo(stored.size());
        }
        assertThat(DuckDb.kvMetadata(featureFile).get("featurestore")).contains("\"feature_set\":\"tech_v2\"")
                .contains("\"build_seq\":1");
    }
}
