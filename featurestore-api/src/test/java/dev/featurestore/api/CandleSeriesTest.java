package dev.featurestore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("CandleSeries validation")
class CandleSeriesTest {
    private static final long T0 = Instant.parse("2024-01-02T10:00:00Z").toEpochMilli();

    /** Three good candles; row 1 gets the given values. */
    private static CandleSeries withRow1(long ts, double o, double h, double l, double c, double v) {
        return CandleSeries.of("SBER", Timeframe.ONE_MINUTE, new long[] {T0, ts, T0 + 120_000},
                new double[] {10, o, 10}, new double[] {11, h, 11}, new double[] {9, l, 9},
                new double[] {10.5, c, 10.5}, new double[] {100, v, 100});
    }

    private static InvalidCandleException invalid(Runnable r) {
        try {
            r.run();
        } catch (InvalidCandleException e) {
            return e;
        }
        throw new AssertionError("expected an InvalidCandleException");
    }

    private static void assertWhere(InvalidCandleException e, long ts, String field) {
        assertThat(e.secid()).isEqualTo("SBER");
        assertThat(e.row()).isEqualTo(1);
        assertThat(e.tsMillis()).isEqualTo(ts);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("'SBER'").contains("row 1").contains(Instant.ofEpochMilli(ts).toString())
                .contains("'" + field + "'");
        assertThat(e).isInstanceOf(FeatureStoreException.class);
    }

    @Test
    @DisplayName("a valid series keeps its columns, h = l candles and zero volume included")
    void valid() {
        CandleSeries s = withRow1(T0 + 60_000, 10, 10, 10, 10, 0);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.secid()).isEqualTo("SBER");
        assertThat(s.timeframe()).contains(Timeframe.ONE_MINUTE);
        assertThat(s.closes()).containsExactly(10.5, 10, 10.5);
        assertThat(s.slice(1, 3).timestamps()).containsExactly(T0 + 60_000, T0 + 120_000);
    }

    @Test
    @DisplayName("a duplicate timestamp names the row, ts and field ts")
    void duplicateTs() {
        InvalidCandleException e = invalid(() -> withRow1(T0, 10, 11, 9, 10.5, 1));
        assertWhere(e, T0, "ts");
        assertThat(e.getMessage()).contains("duplicate");
    }

    @Test
    @DisplayName("unsorted timestamps name the row, ts and field ts")
    void unsorted() {
        InvalidCandleException e = invalid(() -> withRow1(T0 - 60_000, 10, 11, 9, 10.5, 1));
        assertWhere(e, T0 - 60_000, "ts");
        assertThat(e.getMessage()).contains("strictly increasing");
    }

    @ParameterizedTest(name = "o={0} h={1} l={2} c={3} -> {4}")
    @CsvSource({
        "10, 9.5, 9, 9.2, high", // high < open
        "9.2, 9.5, 9, 10, high", // high < close
        "10, 11, 10.2, 10.5, low", // low > open
        "10.5, 11, 10.2, 10, low", // low > close
        "10, 8, 9, 10, high", // high < low (and so below open and close)
        "10, 11, 12, 10, low", // low > high (and so above open and close)
    })
    @DisplayName("high below open/close/low, or low above open/close, names the field")
    void ranges(double o, double h, double l, double c, String field) {
        InvalidCandleException e = invalid(() -> withRow1(T0 + 60_000, o, h, l, c, 1));
        assertWhere(e, T0 + 60_000, field);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"open, 0", "open, -1", "open, NaN", "open, Infinity", "high, NaN", "high, Infinity", "low, 0",
        "low, -0.5", "low, NaN", "close, 0", "close, NaN", "close, -Infinity", "close, Infinity"})
    @DisplayName("a non-positive, NaN or infinite price names its field and value")
    void badPrice(String field, double bad) {
        double o = field.equals("open") ? bad : 10;
        double h = field.equals("high") ? bad : 11;
        double l = field.equals("low") ? bad : 9;
        double c = field.equals("close") ? bad : 10.5;
        InvalidCandleException e = invalid(() -> withRow1(T0 + 60_000, o, h, l, c, 1));
        assertWhere(e, T0 + 60_000, field);
        if (Double.isNaN(bad)) {
            assertThat(e.value()).isNaN();
        } else {
            assertThat(e.value()).isEqualTo(bad);
        }
    }

    @ParameterizedTest(name = "volume {0}")
    @ValueSource(doubles = {-1, -1e-300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    @DisplayName("a negative, NaN or infinite volume names the field volume")
    void badVolume(double v) {
        InvalidCandleException e = invalid(() -> withRow1(T0 + 60_000, 10, 11, 9, 10.5, v));
        assertWhere(e, T0 + 60_000, "volume");
    }

    @Test
    @DisplayName("the builder validates the same way, and columns of different lengths are an IllegalArgumentException")
    void builder() {
        CandleSeries.Builder b = CandleSeries.builder("SBER").timeframe(Timeframe.ONE_MINUTE).expectedSize(2);
        b.add(T0, 10, 11, 9, 10.5, 1).add(T0 + 60_000, 10, 11, 10.5, 10.2, 1);
        InvalidCandleException e = invalid(b::build);
        assertWhere(e, T0 + 60_000, "low");
        assertThatThrownBy(() -> CandleSeries.of("X", null, new long[] {T0}, new double[] {1, 2}, new double[] {1},
                new double[] {1}, new double[] {1}, new double[] {1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in length");
        assertThatThrownBy(() -> CandleSeries.builder("X").expectedSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("of() copies its inputs: changing them later does not change the series")
    void copies() {
        double[] close = {10.5};
        CandleSeries s = CandleSeries.of("X", null, new long[] {T0}, new double[] {10}, new double[] {11},
                new double[] {9}, close, new double[] {1});
        close[0] = 99;
        assertThat(s.close(0)).isEqualTo(10.5);
    }

    @Test
    @DisplayName("the copies a user gets are the user's: writing into them does not change the series")
    void copiesHandedOut() {
        CandleSeries s = withRow1(T0 + 60_000, 10, 10, 10, 10, 0);
        s.closes()[0] = 99;
        s.opens()[0] = 99;
        s.highs()[0] = 99;
        s.lows()[0] = 99;
        s.volumes()[0] = 99;
        s.timestamps()[0] = 99;
        assertThat(s.close(0)).isEqualTo(10.5);
        assertThat(s.ts(0)).isEqualTo(T0);
        assertThat(s.closes()).containsExactly(10.5, 10, 10.5);
        assertThat(s.volume(0)).isNotEqualTo(99);
        assertThat(s.openTime(1)).isEqualTo(java.time.Instant.ofEpochMilli(T0 + 60_000));
        assertThatThrownBy(() -> s.close(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
