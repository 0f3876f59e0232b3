package dev.featurestore.core.indicator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.FeatureComparison;
import dev.featurestore.core.testing.ReferenceFeatures;
import dev.featurestore.core.testing.TestCandles;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Every feature on real market data agrees with the reference implementation on every row")
class RealMarketDataTest {
    private static Store store;
    private static final FeatureComparison DAILY = new FeatureComparison();
    private static final FeatureComparison MINUTES = new FeatureComparison();

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
        System.out.println(DAILY.report("Largest errors against the reference, AAPL 2013 daily bars:"));
        System.out.println(MINUTES.report("Largest errors against the reference, Bitstamp BTC/USD 1m, 5m, 15m, 1h:"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tech_v1", "tech_v2"})
    @DisplayName("AAPL 2013 daily bars, computed as they are (no timeframe)")
    void aaplDaily(String set) {
        CandleSeries aapl = TestCandles.aaplDaily();
        assertThat(aapl.size()).isEqualTo(252);
        FeatureFrame all = store.forSet(set).computeAllRows(aapl);
        DAILY.check("AAPL " + set, aapl, all);
        FeatureFrame clean = store.forSet(set).compute(aapl);
        assertThat(clean.size()).isEqualTo(252 - 33);
        assertThat(clean.ts(0)).isEqualTo(aapl.ts(33));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tech_v1", "tech_v2"})
    @DisplayName("Bitstamp BTC/USD one-minute candles from real trades, as they are")
    void btcOneMinute(String set) {
        CandleSeries btc = TestCandles.btcOneMinute();
        assertThat(btc.size()).isEqualTo(9399);
        // tech_v2 allows 1m; tech_v1 does not, so it is computed on the series as it is (no timeframe step)
        FeatureFrame all = set.equals("tech_v2") ? store.forSet(set).timeframe("1m").computeAllRows(btc)
                : store.forSet(set).computeAllRows(btc);
        MINUTES.check("BTC 1m " + set, btc, all);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5m", "15m", "1h"})
    @DisplayName("Bitstamp BTC/USD resampled by the query to 5m, 15m and 1h")
    void btcResampled(String tf) {
        Timeframe timeframe = Timeframe.parse(tf);
        CandleSeries btc = TestCandles.btcOneMinute();
        CandleSeries expectedCandles = dropLast(TestCandles.aggregate(btc, timeframe));
        for (String set : new String[] {"tech_v1", "tech_v2"}) {
            FeatureFrame all;
            if (store.forSet(set).spec().allows(timeframe)) {
                all = store.forSet(set).timeframe(timeframe).computeAllRows(btc);
            } else {
                all = store.forSet(set).computeAllRows(expectedCandles);
            }
            MINUTES.check("BTC " + tf + " " + set, expectedCandles, all);
            assertThat(all.size()).isGreaterThan(100);
        }
    }

    @Test
    @DisplayName("Quotes with a small deviation next to their level (AAPL moves on a 5000 level) keep the std exact")
    void smallDeviationNextToLevel() {
        CandleSeries aapl = TestCandles.aaplDaily();
        int n = aapl.size();
        double[] o = new double[n];
        double[] h = new double[n];
        double[] l = new double[n];
        double[] c = new double[n];
        for (int t = 0; t < n; t++) {
            // 5000 + price/1000 on a 0.0001 tick: the 20-row std is about 1e-6 of the level
            o[t] = onLevel(aapl.open(t));
            h[t] = onLevel(aapl.high(t));
            l[t] = onLevel(aapl.low(t));
            c[t] = onLevel(aapl.close(t));
        }
        double[] v = aapl.volumes().clone();
        for (int t = 40; t < 80; t++) {
            v[t] = 1e9 + (t % 3); // volume with a tiny deviation next to its level
        }
        CandleSeries level = CandleSeries.of("AAPL_ON_LEVEL", null, aapl.timestamps(), o, h, l, c, v);
        DAILY.check("AAPL on a 5000 level, tech_v2", level, store.forSet("tech_v2").computeAllRows(level));
        double[] ref = ReferenceFeatures.compute(o, h, l, c, v).get("bollinger_band_pct");
        assertThat(Arrays.stream(ref).filter(x -> !Double.isNaN(x)).count()).isEqualTo(n - 19);
    }

    private static double onLevel(double price) {
        return Math.round((5000 + price / 1000) * 10_000) / 10_000.0;
    }

    static CandleSeries dropLast(CandleSeries s) {
        return s.slice(0, s.size() - 1);
    }
}
