package dev.featurestore.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.source.SyntheticCandles;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FeatureStream and StreamGroup")
class FeatureStreamTest {
    private static Store store;
    private static final long T0 = Instant.parse("2024-01-08T10:00:00Z").toEpochMilli();

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static FeatureStream fiveMinutes() {
        return store.forSet("tech_v2").timeframe("5m").stream("SBER");
    }

    private static Candle at(long minute, double close) {
        return new Candle(T0 + minute * 60_000L, close, close + 1, close - 1, close, 10);
    }

    @Test
    @DisplayName("a 5m row is emitted when a later 1m candle arrives, not for the still-forming bucket")
    void emitsWhenBucketCloses() {
        FeatureStream s = fiveMinutes();
        for (int m = 0; m < 5; m++) {
            assertThat(s.accept(at(m, 100 + m))).as("minute %d", m).isEmpty();
        }
        Optional<FeatureRow> row = s.accept(at(5, 105));
        assertThat(row).isPresent();
        assertThat(row.get().ts()).isEqualTo(T0);
        assertThat(row.get().availableAt()).isEqualTo(Instant.ofEpochMilli(T0 + 300_000));
        assertThat(row.get().value("intraday_range_pct")).isEqualTo((105.0 - 99.0) / 104.0);
        assertThat(s.rows()).isEqualTo(1);
        assertThat(s.candles()).isEqualTo(6);
        // a gap: minute 12 closes the 10:05 bucket; the 10:10 bucket forms
        assertThat(s.accept(at(12, 107)).map(FeatureRow::ts)).contains(T0 + 300_000);
        assertThat(s.closeThrough(Instant.ofEpochMilli(T0 + 899_999))).isEmpty();
        assertThat(s.closeThrough(Instant.ofEpochMilli(T0 + 900_000)).map(FeatureRow::ts)).contains(T0 + 600_000);
        assertThatThrownBy(() -> s.accept(at(14, 100))).isInstanceOf(InvalidCandleException.class)
                .hasMessageContaining("stated complete");
    }

    @Test
    @DisplayName("out-of-order, duplicate and invalid candles are refused with a typed error naming secid, row and field; the state is unchanged")
    void refusesBadCandles() {
        FeatureStream s = fiveMinutes();
        for (int m = 0; m < 40; m++) {
            s.accept(at(m, 100 + (m % 7)));
        }
        byte[] before = s.state();
        assertThatThrownBy(() -> s.accept(at(39, 100))).isInstanceOfSatisfying(InvalidCandleException.class, e -> {
            assertThat(e.secid()).isEqualTo("SBER");
            assertThat(e.row()).isEqualTo(40);
            assertThat(e.field()).isEqualTo("ts");
            assertThat(e.reason()).contains("duplicate");
        });
        assertThatThrownBy(() -> s.accept(at(20, 100))).isInstanceOf(InvalidCandleException.class)
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> s.accept(new Candle(T0 + 41 * 60_000L, 100, 99, 98, 100, 1)))
                .isInstanceOfSatisfying(InvalidCandleException.class, e -> assertThat(e.field()).isEqualTo("high"));
        assertThatThrownBy(() -> s.accept(new Candle(T0 + 41 * 60_000L, 100, 101, 100.5, 100, 1)))
                .isInstanceOfSatisfying(InvalidCandleException.class, e -> assertThat(e.field()).isEqualTo("low"));
        assertThatThrownBy(() -> s.accept(new Candle(T0 + 41 * 60_000L, Double.NaN, 101, 99, 100, 1)))
                .isInstanceOfSatisfying(InvalidCandleException.class, e -> assertThat(e.field()).isEqualTo("open"));
        assertThatThrownBy(() -> s.accept(new Candle(T0 + 41 * 60_000L, 100, 101, 99, 100, -1)))
                .isInstanceOfSatisfying(InvalidCandleException.class, e -> assertThat(e.field()).isEqualTo("volume"));
        assertThatThrownBy(() -> s.peek(at(30, 100))).isInstanceOf(InvalidCandleException.class);
        assertThat(s.state()).as("state after refusals").isEqualTo(before);
        s.peek(at(41, 120));
        s.peek(at(47, 90));
        assertThat(s.state()).as("state after peeks").isEqualTo(before);
    }

    @Test
    @DisplayName("window() is the newest W clean rows, as latest(series) gives them; fewer is an error saying how many")
    void window() {
        CandleSeries s = TestCandles.randomWalk(7, 400, Timeframe.ONE_MINUTE, true);
        FeatureQuery q = store.forSet("tech_v2").timeframe("5m").window(20);
        FeatureStream stream = q.stream(s.secid());
        for (int i = 0; i < 150; i++) {
            stream.offer(s.ts(i), s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i));
        }
        assertThatThrownBy(stream::window).isInstanceOfSatisfying(InsufficientHistoryException.class,
                e -> assertThat(e.required()).isEqualTo(20));
        FeatureStream all = q.stream(s);
        assertThat(all.window().toFlatArray()).isEqualTo(q.latest(s).toFlatArray());
        assertThat(all.window().timestamps()).isEqualTo(q.latest(s).timestamps());
    }

    @Test
    @DisplayName("a state is checked on restore: header, version, set, timeframe, secid, length")
    void stateIsChecked() {
        FeatureStream s = fiveMinutes();
        for (int m = 0; m < 50; m++) {
            s.accept(at(m, 100 + (m % 5)));
        }
        byte[] state = s.state();
        assertThatThrownBy(() -> fiveMinutes().restore(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(StreamStateException.class).hasMessageContaining("FSST");
        byte[] version = state.clone();
        version[7] = 9;
        assertThatThrownBy(() -> fiveMinutes().restore(version)).isInstanceOf(StreamStateException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe("5m").stream("SBER").restore(state))
                .isInstanceOf(StreamStateException.class).hasMessageContaining("tech_v2");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("15m").stream("SBER").restore(state))
                .isInstanceOf(StreamStateException.class).hasMessageContaining("timeframe '5m'");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").stream("GAZP").restore(state))
                .isInstanceOf(StreamStateException.class).hasMessageContaining("secid 'SBER'");
        assertThatThrownBy(() -> fiveMinutes().restore(Arrays.copyOf(state, state.length - 3)))
                .isInstanceOf(StreamStateException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> fiveMinutes().restore(Arrays.copyOf(state, state.length + 1)))
                .isInstanceOf(StreamStateException.class).hasMessageContaining("after its end");
        assertThat(fiveMinutes().restore(state).state()).isEqualTo(state);
    }

    @Test
    @DisplayName("the query checks its parts: a timeframe the set allows, a source that divides it, no asOf or stride")
    void queryParts() {
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe("1m").stream("SBER"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("allowed");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").stream("SBER", Timeframe.parse("2m")))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("whole multiple");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").asOf(Instant.EPOCH).stream("SBER"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("asOf");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").stream(" "))
                .isInstanceOf(IllegalArgumentException.class);
        CandleSeries fiveMinute = TestCandles.randomWalk(3, 50, Timeframe.parse("5m"), false);
        assertThatThrownBy(() -> fiveMinutes().from(fiveMinute)).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    @DisplayName("a 5m series streamed as 5m rows: each candle is a row at once")
    void sameTimeframe() {
        CandleSeries s = TestCandles.randomWalk(11, 120, Timeframe.parse("5m"), true);
        FeatureQuery q = store.forSet("tech_v2").timeframe("5m");
        FeatureStream stream = q.stream(s.secid(), Timeframe.parse("5m"));
        FeatureFrame batch = q.computeAllRows(s);
        for (int i = 0; i < s.size(); i++) {
            assertThat(stream.offer(s.ts(i), s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i))).isTrue();
            StreamPropertiesTest.assertSameRow("row " + i, stream.lastRow(), batch, i);
        }
    }

    @Test
    @DisplayName("a long real series (BTC 1m) streamed at 1m and 15m equals batch bit for bit")
    void realSeries() {
        CandleSeries btc = TestCandles.btcOneMinute();
        for (String tf : new String[] {"1m", "15m"}) {
            FeatureQuery q = store.forSet("tech_v2").timeframe(tf);
            FeatureFrame batch = q.computeAllRows(btc);
            FeatureStream stream = q.stream(btc.secid());
            int r = 0;
            for (int i = 0; i < btc.size(); i++) {
                if (stream.offer(btc.ts(i), btc.open(i), btc.high(i), btc.low(i), btc.close(i), btc.volume(i))) {
                    StreamPropertiesTest.assertSameRow(tf, stream.lastRow(), batch, r++);
                }
            }
            assertThat(r).isEqualTo(batch.size()).isGreaterThan(100);
        }
    }

    @Test
    @DisplayName("1m candles streamed into 1d rows (trading days of the exchange zone) equal batch, each day closed by the next")
    void daily() {
        String yaml = """
                version: 1
                exchange:
                  timezone: America/New_York
                feature_sets:
                  daily:
                    default_window_size: 3
                    timeframes: [1d]
                    features: [return_1, rsi_14, atr_14, sma_ratio_5_20, volume_zscore_20, stoch_d_3]
                """;
        try (Store ny = FeatureStore.builder().registry(FeatureRegistry.parse("daily.yaml", yaml)).build()) {
            CandleSeries s = SyntheticCandles.seed(4).tradingDays(45).generate("SPY");
            FeatureQuery q = ny.forSet("daily").timeframe("1d");
            FeatureFrame batch = q.computeAllRows(s);
            FeatureStream stream = q.stream(s.secid());
            int r = 0;
            for (int i = 0; i < s.size(); i++) {
                if (stream.offer(s.ts(i), s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i))) {
                    StreamPropertiesTest.assertSameRow("1d", stream.lastRow(), batch, r++);
                }
            }
            assertThat(r).isEqualTo(batch.size()).isGreaterThan(40);
            assertThat(stream.lastRow().availableAt())
                    .isEqualTo(Instant.ofEpochMilli(ny.registry().calendar().availableAt(Timeframe.parse("1d"),
                            batch.ts(r - 1))));
        }
    }

    @Test
    @DisplayName("a group routes candles by secid; 1,000 secids of tech_v2 keep a few KB of state each")
    void group() {
        StreamGroup g = store.forSet("tech_v2").timeframe("1m").window(1).streamGroup();
        CandleSeries a = TestCandles.randomWalk(1, 200, Timeframe.ONE_MINUTE, false);
        CandleSeries b = TestCandles.randomWalk(2, 200, Timeframe.ONE_MINUTE, false);
        for (int i = 0; i < 200; i++) {
            g.offer("A", a.ts(i), a.open(i), a.high(i), a.low(i), a.close(i), a.volume(i));
            g.accept("B", new Candle(b.ts(i), b.open(i), b.high(i), b.low(i), b.close(i), b.volume(i)));
        }
        FeatureQuery q = store.forSet("tech_v2").timeframe("1m");
        StreamPropertiesTest.assertSameRow("A", g.stream("A").lastRow(), q.computeAllRows(a), 199);
        StreamPropertiesTest.assertSameRow("B", g.stream("B").lastRow(), q.computeAllRows(b), 199);
        assertThat(g.secids()).containsExactly("A", "B");
        StreamGroup again = store.forSet("tech_v2").timeframe("1m").window(1).streamGroup();
        again.restore(g.state());
        assertThat(again.stream("A").state()).isEqualTo(g.stream("A").state());

        StreamGroup many = store.forSet("tech_v2").timeframe("1m").window(1).streamGroup();
        for (int id = 0; id < 1000; id++) {
            for (int i = 0; i < 60; i++) {
                many.offer("S" + id, a.ts(i), a.open(i), a.high(i), a.low(i), a.close(i), a.volume(i));
            }
        }
        int bytes = many.state().length;
        System.out.println("tech_v2 stream state, window 1: " + bytes / 1000 + " bytes per secid, " + bytes
                + " bytes for 1,000 secids");
        assertThat(bytes).isLessThan(4_000_000);
    }
}
