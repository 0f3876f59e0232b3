package dev.featurestore.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.source.SyntheticCandles;
import dev.featurestore.core.stream.Candle;
import dev.featurestore.core.stream.FeatureRow;
import dev.featurestore.core.stream.FeatureStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The custom indicator (my_indicator_10, with its declared stream tail) streamed one candle at a
 * time beside built-in features: bit for bit the batch values, over 200 seeded random series
 * with flat runs, h = l candles, zero volumes and gaps.
 */
@DisplayName("my_set streamed one candle at a time equals batch, over 200 seeded random series")
class MyIndicatorStreamTest {
    private static Store store;

    @BeforeAll
    static void openStore() throws Exception {
        Path registry = Path.of(MyIndicatorStreamTest.class.getResource("/my_feature_store.yaml").toURI());
        store = FeatureStore.builder().registry(registry).build();
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /** A random walk of 1m candles on a tick grid: flat runs (h = l), zero volumes, gaps. */
    static CandleSeries randomSeries(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = rnd.nextInt(1, 250);
        double tick = rnd.nextBoolean() ? 0.01 : 0.5;
        long price = rnd.nextLong(2_000, 20_000);
        long ts = Instant.parse("2024-01-08T07:00:00Z").toEpochMilli() + rnd.nextInt(60) * 60_000L;
        CandleSeries.Builder b = CandleSeries.builder("RND" + seed).timeframe(Timeframe.ONE_MINUTE);
        int flat = 0;
        for (int i = 0; i < n; i++) {
            if (flat == 0 && rnd.nextInt(15) == 0) {
                flat = rnd.nextInt(2, 25);
            }
            long open = price;
            long close = price;
            long high = price;
            long low = price;
            double volume = rnd.nextInt(6) == 0 ? 0 : rnd.nextInt(1, 5000);
            if (flat > 0) {
                flat--;
            } else {
                close = Math.max(1, open + Math.round(rnd.nextGaussian() * 8));
                high = Math.max(open, close) + (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(0, 6));
                low = Math.max(1, Math.min(open, close) - (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(0, 6)));
            }
            b.add(ts, open * tick, high * tick, low * tick, close * tick, volume);
            price = close;
            ts += 60_000L * (rnd.nextInt(10) == 0 ? rnd.nextInt(2, 40) : 1);
        }
        return b.build();
    }

    private static void assertSameRow(String what, FeatureRow row, FeatureFrame batch, int r) {
        assertThat(row.ts()).as(what).isEqualTo(batch.ts(r));
        for (int j = 0; j < row.size(); j++) {
            assertThat(Double.doubleToRawLongBits(row.value(j)))
                    .as("%s: %s row %d: %s vs %s", what, batch.featureNames().get(j), r, row.value(j), batch.value(r, j))
                    .isEqualTo(Double.doubleToRawLongBits(batch.value(r, j)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("every prefix at 1m and 5m, peeks, and a restore at a random point give the batch values bit for bit")
    void streamEqualsBatch(long seed) {
        CandleSeries series = randomSeries(seed);
        for (String tf : new String[] {"1m", "5m"}) {
            FeatureQuery q = store.forSet("my_set").timeframe(tf);
            long period = Timeframe.parse(tf).millis();
            int cut = new SplittableRandom(seed + 1).nextInt(0, series.size() + 1);
            FeatureStream stream = q.stream(series.secid());
            List<FeatureRow> rows = new ArrayList<>();
            for (int k = 1; k <= series.size(); k++) {
                int i = k - 1;
                Candle c = new Candle(series.ts(i), series.open(i), series.high(i), series.low(i), series.close(i),
                        series.volume(i));
                if (k == cut) {
                    stream = q.stream(series.secid()).restore(stream.state());
                }
                CandleSeries prefix = series.slice(0, k);
                FeatureRow peeked = stream.peek(c);
                FeatureFrame withIt = q.completeThrough(Instant.ofEpochMilli(Math.floorDiv(c.ts(), period) * period
                        + period)).computeAllRows(prefix);
                assertSameRow("seed " + seed + " " + tf + " peek " + k, peeked, withIt, withIt.size() - 1);
                Optional<FeatureRow> row = stream.accept(c);
                row.ifPresent(rows::add);
                FeatureFrame batch = q.computeAllRows(prefix);
                assertThat(rows).hasSize(batch.size());
                if (row.isPresent()) {
                    assertSameRow("seed " + seed + " " + tf + " prefix " + k, row.get(), batch, batch.size() - 1);
                }
            }
        }
    }

    @Test
    @DisplayName("README sample: a stream started from history, fed one candle, peeked, saved and restored")
    void readmeSample() {
        CandleSeries all = SyntheticCandles.seed(3).tradingDays(2).generate("SBER");
        CandleSeries history = all.slice(0, all.size() - 2);
        int i = all.size() - 2;
        Candle next = new Candle(all.ts(i), all.open(i), all.high(i), all.low(i), all.close(i), all.volume(i));
        Candle forming = new Candle(all.ts(i + 1), all.open(i + 1), all.high(i + 1), all.low(i + 1), all.close(i + 1),
                all.volume(i + 1));
        // sample:begin readme-stream
        FeatureStream s = store.forSet("my_set").timeframe("5m").stream("SBER").from(history);
        Optional<FeatureRow> row = s.accept(next);      // a 5m row when this 1m candle closes a bucket
        FeatureRow now = s.peek(forming);               // the row if this candle closed now; s is unchanged
        double k = now.value("stoch_k_14");
        byte[] saved = s.state();                       // versioned bytes; after a restart:
        FeatureStream again = store.forSet("my_set").timeframe("5m").stream("SBER").restore(saved);
        // sample:end readme-stream
        assertThat(again.state()).isEqualTo(saved);
        assertThat(k).isBetween(0.0, 100.0);
        FeatureFrame batch = store.forSet("my_set").timeframe("5m").computeAllRows(all.slice(0, i + 1));
        assertThat(s.rows()).isEqualTo(batch.size());
        row.ifPresent(r -> assertSameRow("sample", r, batch, batch.size() - 1));
    }

    @Test
    @DisplayName("README sample: a stored stream resumes from the saved state; each candle is ingested, then streamed")
    void readmeStoredStreamSample() {
        CandleSeries all = SyntheticCandles.seed(4).tradingDays(2).generate("SBER");
        int i = all.size() - 1;
        store.candles().upsert(all.slice(0, i));
        store.forSet("my_set").timeframe("5m").secid("SBER").build();
        CandleSeries candle = all.slice(i, i + 1);
        // sample:begin readme-stored-stream
        StoredQuery q = store.forSet("my_set").timeframe("5m").secid("SBER");
        FeatureStream s = q.stream();                   // from the state saved by the last build or row
        store.candles().upsert(candle);                 // the 1m candle, as a one-candle series
        s.offer(candle.ts(0), candle.open(0), candle.high(0), candle.low(0), candle.close(0), candle.volume(0));
        // sample:end readme-stored-stream
        assertThat(s.state()).isEqualTo(store.forSet("my_set").timeframe("5m").stream(all).state());
        assertThat(store.storage().streamCheckpoint("my_set", Timeframe.parse("5m"), "SBER")).isPresent();
    }
}
