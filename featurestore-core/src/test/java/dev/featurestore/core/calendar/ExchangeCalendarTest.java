package dev.featurestore.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("ExchangeCalendar: trading days, available_at and as-of bounds")
class ExchangeCalendarTest {
    private static final Timeframe D1 = Timeframe.parse("1d");
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final ExchangeCalendar MOSCOW = ExchangeCalendar.defaultCalendar();
    private static final ExchangeCalendar NEW_YORK = ExchangeCalendar.of(ZoneId.of("America/New_York"));

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    @DisplayName("the default calendar is Europe/Moscow")
    void defaultZone() {
        assertThat(MOSCOW.zone()).isEqualTo(ZoneId.of("Europe/Moscow"));
        assertThat(ExchangeCalendar.of(ZoneId.of("Europe/Moscow"))).isEqualTo(MOSCOW);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // ISS keys a day by Moscow midnight: it stays where it is (UTC+4 in 2004 summer, UTC+3 since 2014)
        "2004-08-22T20:00:00Z, 2004-08-22T20:00:00Z",
        "2024-01-07T21:00:00Z, 2024-01-07T21:00:00Z",
        // a CSV keyed at 00:00Z of a date is 03:00 (04:00) in Moscow: the same date
        "2004-08-23T00:00:00Z, 2004-08-22T20:00:00Z",
        "2024-01-08T00:00:00Z, 2024-01-07T21:00:00Z",
        // any instant inside the day maps to its start; the last millisecond too
        "2024-01-08T15:40:00Z, 2024-01-07T21:00:00Z",
        "2024-01-08T20:59:59.999Z, 2024-01-07T21:00:00Z",
        "2024-01-08T21:00:00Z, 2024-01-08T21:00:00Z"})
    @DisplayName("a Moscow instant maps to the start of the exchange-zone day it lies in")
    void moscowDays(String source, String dayStart) {
        assertThat(MOSCOW.tradingDayStart(ms(source))).isEqualTo(ms(dayStart));
        assertThat(MOSCOW.tradingDayStart(ms(dayStart))).isEqualTo(ms(dayStart));
    }

    @Test
    @DisplayName("in New York a 00:00Z instant lies in the day before (19:00 or 20:00 local), the literal rule")
    void newYorkMidnightUtcIsTheDayBefore() {
        assertThat(NEW_YORK.tradingDate(ms("2024-01-08T00:00:00Z"))).isEqualTo(LocalDate.of(2024, 1, 7));
        assertThat(NEW_YORK.tradingDayStart(ms("2024-01-08T00:00:00Z"))).isEqualTo(ms("2024-01-07T05:00:00Z"));
        assertThat(NEW_YORK.tradingDayStart(ms("2024-07-08T00:00:00Z"))).isEqualTo(ms("2024-07-07T04:00:00Z"));
        assertThat(NEW_YORK.tradingDayStart(ms("2024-01-08T14:30:00Z"))).isEqualTo(ms("2024-01-08T05:00:00Z"));
    }

    @ParameterizedTest(name = "{0}: starts {1}, next day {2}, {3} h")
    @CsvSource({
        "2024-03-09, 2024-03-09T05:00:00Z, 2024-03-10T05:00:00Z, 24",
        "2024-03-10, 2024-03-10T05:00:00Z, 2024-03-11T04:00:00Z, 23",
        "2024-03-11, 2024-03-11T04:00:00Z, 2024-03-12T04:00:00Z, 24",
        "2024-11-02, 2024-11-02T04:00:00Z, 2024-11-03T04:00:00Z, 24",
        "2024-11-03, 2024-11-03T04:00:00Z, 2024-11-04T05:00:00Z, 25",
        "2024-11-04, 2024-11-04T05:00:00Z, 2024-11-05T05:00:00Z, 24"})
    @DisplayName("around New York's DST changes a day lasts 23 or 25 hours and a 1d candle is known at the next day's start")
    void newYorkDst(LocalDate date, String start, String next, long hours) {
        long ts = NEW_YORK.dayStart(date);
        assertThat(ts).isEqualTo(ms(start));
        assertThat(NEW_YORK.availableAt(D1, ts)).isEqualTo(ms(next));
        assertThat(NEW_YORK.nextDayStart(ts + 1)).isEqualTo(ms(next));
        assertThat(Duration.ofMillis(NEW_YORK.availableAt(D1, ts) - ts)).isEqualTo(Duration.ofHours(hours));
        // as of one millisecond before the next day's start the candle is still forming; at it, it is known
        assertThat(NEW_YORK.lastOpenAvailableBy(D1, ms(next) - 1)).isLessThan(ts);
        assertThat(NEW_YORK.lastOpenAvailableBy(D1, ms(next))).isGreaterThanOrEqualTo(ts)
                .isLessThan(NEW_YORK.availableAt(D1, ts));
    }

    @Test
    @DisplayName("below a day available_at is ts + timeframe, and the as-of bound is asOf - timeframe")
    void intraday() {
        long ts = ms("2024-03-10T06:55:00Z");
        assertThat(NEW_YORK.availableAt(M5, ts)).isEqualTo(ms("2024-03-10T07:00:00Z"));
        assertThat(NEW_YORK.lastOpenAvailableBy(M5, ms("2024-03-10T07:00:00Z"))).isEqualTo(ts);
        assertThat(NEW_YORK.candleStart(M5, ms("2024-03-10T06:59:59Z"))).isEqualTo(ts);
        assertThat(NEW_YORK.lastOpenAvailableBy(M5, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(NEW_YORK.lastOpenAvailableBy(M5, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(NEW_YORK.availableAt(M5, Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(NEW_YORK.lastOpenAvailableBy(D1, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    @DisplayName("a range of N dates holds N trading days for 1d (exchange zone) and N UTC days below a day")
    void ranges() {
        LocalDate first = LocalDate.of(2008, 10, 1);
        LocalDate last = LocalDate.of(2008, 10, 3);
        assertThat(MOSCOW.rangeStart(D1, first)).isEqualTo(Instant.parse("2008-09-30T20:00:00Z"));
        assertThat(MOSCOW.rangeEnd(D1, last)).isEqualTo(Instant.parse("2008-10-03T20:00:00Z"));
        assertThat(MOSCOW.rangeStart(M5, first)).isEqualTo(Instant.parse("2008-10-01T00:00:00Z"));
        assertThat(MOSCOW.rangeEnd(M5, last)).isEqualTo(Instant.parse("2008-10-04T00:00:00Z"));
        long from = MOSCOW.rangeStart(D1, first).toEpochMilli();
        long to = MOSCOW.rangeEnd(D1, last).toEpochMilli();
        int days = 0;
        for (long t = from; t < to; t = MOSCOW.availableAt(D1, t)) {
            days++;
        }
        assertThat(days).isEqualTo(3);
    }

    @Test
    @DisplayName("file dates: the trading date for 1d, the UTC date below a day")
    void fileDates() {
        long moscowMidnight = ms("2024-01-08T21:00:00Z");
        assertThat(MOSCOW.fileDate(D1, moscowMidnight)).isEqualTo(LocalDate.of(2024, 1, 9));
        assertThat(MOSCOW.fileDate(M5, moscowMidnight)).isEqualTo(LocalDate.of(2024, 1, 8));
    }

    private static CandleSeries daily(long... ts) {
        CandleSeries.Builder b = CandleSeries.builder("SBER").timeframe(D1);
        for (int i = 0; i < ts.length; i++) {
            b.add(ts[i], 100 + i, 101 + i, 99 + i, 100.5 + i, 1000 + i);
        }
        return b.build();
    }

    @Test
    @DisplayName("a 1d series moves onto the trading-day grid, values untouched; one already on it is returned as is")
    void onTradingDays() {
        CandleSeries utc = daily(ms("2024-01-08T00:00:00Z"), ms("2024-01-09T00:00:00Z"), ms("2024-01-10T12:00:00Z"));
        CandleSeries grid = MOSCOW.onTradingDays(utc);
        assertThat(grid.timestamps()).containsExactly(ms("2024-01-07T21:00:00Z"), ms("2024-01-08T21:00:00Z"),
                ms("2024-01-09T21:00:00Z"));
        assertThat(grid.closes()).containsExactly(utc.closes());
        assertThat(grid.volumes()).containsExactly(utc.volumes());
        assertThat(MOSCOW.onTradingDays(grid)).isSameAs(grid);
        CandleSeries minutes = CandleSeries.builder("SBER").timeframe(M5).add(ms("2024-01-08T00:00:00Z"), 1, 1, 1, 1, 0)
                .build();
        assertThat(MOSCOW.onTradingDays(minutes)).isSameAs(minutes);
    }

    @Test
    @DisplayName("two candles on one trading day are refused with secid, row, ts and field")
    void twoCandlesOneDay() {
        CandleSeries twice = daily(ms("2024-01-07T21:00:00Z"), ms("2024-01-08T00:00:00Z"));
        assertThatThrownBy(() -> MOSCOW.onTradingDays(twice)).isInstanceOfSatisfying(InvalidCandleException.class, e -> {
            assertThat(e.secid()).isEqualTo("SBER");
            assertThat(e.row()).isEqualTo(1);
            assertThat(e.tsMillis()).isEqualTo(ms("2024-01-08T00:00:00Z"));
            assertThat(e.field()).isEqualTo("ts");
            assertThat(e.getMessage()).contains("2024-01-08T00:00:00Z").contains("trading day 2024-01-08")
                    .contains("Europe/Moscow").contains("row 0").contains("2024-01-07T21:00:00Z");
        });
    }

    @Test
    @DisplayName("a ts whose day has no start in epoch milliseconds is refused with secid, row, ts and field")
    void unmappable() {
        CandleSeries edge = daily(Long.MIN_VALUE + 1);
        assertThatThrownBy(() -> MOSCOW.onTradingDays(edge)).isInstanceOfSatisfying(InvalidCandleException.class, e -> {
            assertThat(e.row()).isZero();
            assertThat(e.field()).isEqualTo("ts");
            assertThat(e.tsMillis()).isEqualTo(Long.MIN_VALUE + 1);
            assertThat(e.getMessage()).contains("no trading day in Europe/Moscow");
        });
    }
}
