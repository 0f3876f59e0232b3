package dev.featurestore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.UnknownFeatureSetException;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("FeatureQuery: argument checks at once, combination checks at the terminal call")
class FeatureQueryTest {
    private static Store store;

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    @DisplayName("a timeframe the set does not allow is an InvalidQueryException listing the allowed ones")
    void timeframeNotAllowed() {
        CandleSeries s = TestCandles.randomWalk(1, 100, Timeframe.ONE_MINUTE, false);
        FeatureQuery q = store.forSet("tech_v1").timeframe("1m");
        assertThatThrownBy(() -> q.compute(s)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("tech_v1").hasMessageContaining("1m").hasMessageContaining("[5m, 1h]");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("1d").latest(s))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("[1m, 5m, 15m, 1h]");
    }

    @Test
    @DisplayName("a series coarser than the timeframe is an InvalidQueryException")
    void coarser() {
        CandleSeries hourly = TestCandles.randomWalk(2, 100, Timeframe.parse("1h"), false);
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").compute(hourly))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("coarser").hasMessageContaining("1h")
                .hasMessageContaining("5m");
    }

    @Test
    @DisplayName("a series without timeframe cannot be computed at a timeframe, nor read as of a time")
    void noTimeframe() {
        CandleSeries s = TestCandles.randomWalk(3, 100, null, false);
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").compute(s))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("has no timeframe");
        assertThatThrownBy(() -> store.forSet("tech_v2").asOf(Instant.now()).compute(s))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("asOf needs a timeframe");
    }

    @Test
    @DisplayName("fewer clean rows than the window is an InsufficientHistoryException saying how many there are")
    void insufficientHistory() {
        CandleSeries s = TestCandles.randomWalk(4, 100, Timeframe.parse("5m"), false); // 67 clean rows
        FeatureQuery q = store.forSet("tech_v1").timeframe("5m"); // default window 60
        assertThat(q.windowSize()).isEqualTo(60);
        assertThat(q.latest(s).rows()).isEqualTo(60);
        assertThatThrownBy(() -> q.window(68).latest(s)).isInstanceOf(InsufficientHistoryException.class)
                .hasMessageContaining("68 clean rows").hasMessageContaining("only 67")
                .satisfies(e -> assertThat(((InsufficientHistoryException) e).available()).isEqualTo(67));
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5m").latest(s)) // default window 120
                .isInstanceOf(InsufficientHistoryException.class).hasMessageContaining("120")
                .hasMessageContaining("67");
        assertThatThrownBy(() -> q.window(68).windows(s)).isInstanceOf(InsufficientHistoryException.class)
                .hasMessageContaining("67");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    @DisplayName("a window or stride below 1 is an IllegalArgumentException at once")
    void badWindow(int size) {
        FeatureQuery q = store.forSet("tech_v2");
        assertThatThrownBy(() -> q.window(size)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window size must be >= 1").hasMessageContaining(String.valueOf(size));
        assertThatThrownBy(() -> q.stride(size)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stride");
    }

    @Test
    @DisplayName("a bad timeframe text is an IllegalArgumentException quoting it")
    void badTimeframeText() {
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe("5x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'5x'");
    }

    @Test
    @DisplayName("an unknown feature set is an UnknownFeatureSetException listing the known sets")
    void unknownSet() {
        assertThatThrownBy(() -> store.forSet("tech_v9")).isInstanceOf(UnknownFeatureSetException.class)
                .hasMessageContaining("tech_v9").hasMessageContaining("tech_v1").hasMessageContaining("tech_v2")
                .satisfies(e -> {
                    UnknownFeatureSetException u = (UnknownFeatureSetException) e;
                    assertThat(u.name()).isEqualTo("tech_v9");
                    assertThat(u.known()).contains("tech_v1", "tech_v2");
                });
    }

    @Test
    @DisplayName("queries are immutable: a step returns a new query and leaves the old one as it was")
    void immutable() {
        FeatureQuery base = store.forSet("tech_v2");
        FeatureQuery five = base.timeframe("5m").window(30);
        assertThat(base.windowSize()).isEqualTo(120);
        assertThat(five.windowSize()).isEqualTo(30);
        assertThat(base.featureNames()).hasSize(20);
        CandleSeries s = TestCandles.randomWalk(5, 400, Timeframe.ONE_MINUTE, false);
        FeatureFrame oneMinute = base.timeframe("1m").compute(s);
        FeatureFrame fiveMinutes = base.timeframe("5m").compute(s);
        assertThat(five.latest(s).rows()).isEqualTo(30);
        assertThat(oneMinute.timeframe()).contains(Timeframe.ONE_MINUTE);
        assertThat(fiveMinutes.timeframe()).contains(Timeframe.parse("5m"));
        assertThat(fiveMinutes.size()).isLessThan(oneMinute.size());
    }

    @Test
    @DisplayName("the static entry point computes tech_v2 over the candles given: the newest candles' rows, "
            + "return_1 and intraday_range_pct equal to their formulas bit for bit")
    void sharedStore() {
        CandleSeries s = TestCandles.randomWalk(6, 200, Timeframe.ONE_MINUTE, false);
        long[] ts = s.timestamps();
        double[] high = s.highs();
        double[] low = s.lows();
        double[] close = s.closes();
        FeatureFrame a = FeatureStore.forSet("tech_v2").timeframe("1m").compute(s);

        // Expectations from the candles and the formulas of the feature definitions, not from
        // another store (which would run the same code): the clean rows are the newest candles,
        // one row each, in order; return_1 = c[t]/c[t-1] - 1, intraday_range_pct = (h - l)/c.
        assertThat(a.featureNames()).hasSize(20).contains("return_1", "intraday_range_pct");
        assertThat(a.size()).isPositive().isLessThan(ts.length);
        int first = ts.length - a.size();
        for (int r = 0; r < a.size(); r++) {
            int t = first + r;
            assertThat(a.ts(r)).as("row %d", r).isEqualTo(ts[t]);
            assertThat(Double.doubleToRawLongBits(a.value(r, "return_1"))).as("return_1 at row %d", r)
                    .isEqualTo(Double.doubleToRawLongBits(close[t] / close[t - 1] - 1));
            assertThat(Double.doubleToRawLongBits(a.value(r, "intraday_range_pct"))).as("intraday_range_pct at row %d", r)
                    .isEqualTo(Double.doubleToRawLongBits((high[t] - low[t]) / close[t]));
        }
    }
}
