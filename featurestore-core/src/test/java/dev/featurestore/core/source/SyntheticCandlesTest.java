package dev.featurestore.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("SyntheticCandles")
class SyntheticCandlesTest {
    private static final LocalDate MONDAY = LocalDate.of(2024, 1, 8);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0, 1, 42, 7_777, -3, Long.MAX_VALUE})
    @DisplayName("the same seed and secid give the identical series, bit for bit")
    void sameSeedSameSeries(long seed) {
        CandleSeries a = SyntheticCandles.seed(seed).start(MONDAY).tradingDays(3).generate("SBER");
        CandleSeries b = SyntheticCandles.seed(seed).start(MONDAY).tradingDays(3).generate("SBER");
        assertThat(a.size()).isGreaterThan(0);
        assertThat(b.timestamps()).isEqualTo(a.timestamps());
        assertThat(b.opens()).isEqualTo(a.opens());
        assertThat(b.highs()).isEqualTo(a.highs());
        assertThat(b.lows()).isEqualTo(a.lows());
        assertThat(b.closes()).isEqualTo(a.closes());
        assertThat(b.volumes()).isEqualTo(a.volumes());
    }

    @Test
    @DisplayName("different seeds, and different secids under one seed, give different series")
    void differentSeedsDiffer() {
        SyntheticCandles gen = SyntheticCandles.seed(42).start(MONDAY).tradingDays(2);
        CandleSeries a = gen.generate("SBER");
        CandleSeries b = SyntheticCandles.seed(43).start(MONDAY).tradingDays(2).generate("SBER");
        CandleSeries c = gen.generate("GAZP");
        assertThat(b.closes()).isNotEqualTo(a.closes());
        assertThat(c.closes()).isNotEqualTo(a.closes());
    }

    @Test
    @DisplayName("several secids come back in the order given, each as generated alone")
    void severalSecids() {
        SyntheticCandles gen = SyntheticCandles.seed(5).start(MONDAY).tradingDays(2);
        List<CandleSeries> all = gen.generate(List.of("SBER", "GAZP", "LKOH"));
        assertThat(all).extracting(CandleSeries::secid).containsExactly("SBER", "GAZP", "LKOH");
        assertThat(all.get(1).closes()).isEqualTo(gen.generate("GAZP").closes());
        assertThatThrownBy(() -> gen.generate(List.of("SBER", "SBER"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    @DisplayName("every candle opens within the Moscow main session (07:00-15:40 UTC) on a weekday, on the minute")
    void withinSessionHours(long seed) {
        // Start on a Saturday: the series must begin on the Monday after.
        CandleSeries s = SyntheticCandles.seed(seed).start(LocalDate.of(2024, 1, 6)).tradingDays(10).generate("GAZP");
        assertThat(s.timeframe()).contains(Timeframe.ONE_MINUTE);
        LocalTime open = LocalTime.of(7, 0);
        LocalTime lastOpen = LocalTime.of(15, 39);
        long days = 0;
        LocalDate previous = null;
        for (long t : s.timestamps()) {
            ZonedDateTime utc = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
            assertThat(t % 60_000).as("seed %d: %s on the minute", seed, utc).isZero();
            assertThat(utc.getDayOfWeek()).as("seed %d: %s", seed, utc).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            assertThat(utc.toLocalTime()).as("seed %d: %s", seed, utc).isBetween(open, lastOpen);
            if (!utc.toLocalDate().equals(previous)) {
                days++;
                previous = utc.toLocalDate();
            }
        }
        assertThat(days).as("seed %d: trading days", seed).isEqualTo(10);
        assertThat(Instant.ofEpochMilli(s.ts(0)).atZone(ZoneOffset.UTC).toLocalDate())
                .isEqualTo(LocalDate.of(2024, 1, 8));
        assertThat(s.size()).isLessThanOrEqualTo(10 * SyntheticCandles.MINUTES_PER_SESSION);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    @DisplayName("series are valid, prices on the tick, with some flat and some missing minutes")
    void validOnTickWithFlatAndMissingMinutes(long seed) {
        SyntheticCandles gen = SyntheticCandles.seed(seed).start(MONDAY).tradingDays(20).tickSize(0.05);
        CandleSeries s = gen.generate("LKOH");
        // Rebuilding through the validating factory must not throw.
        CandleSeries copy = CandleSeries.of(s.secid(), Timeframe.ONE_MINUTE, s.timestamps(), s.opens(), s.highs(), s.lows(),
                s.closes(), s.volumes());
        assertThat(copy.size()).isEqualTo(s.size());
        int flat = 0;
        for (int i = 0; i < s.size(); i++) {
            for (double p : new double[] {s.open(i), s.high(i), s.low(i), s.close(i)}) {
                double ticks = p / 0.05;
                assertThat(Math.abs(ticks - Math.rint(ticks))).as("seed %d row %d price %s on the tick", seed, i, p)
                        .isLessThan(1e-6);
            }
            assertThat(s.volume(i)).as("seed %d row %d whole lots", seed, i).isEqualTo(Math.rint(s.volume(i)));
            if (s.open(i) == s.high(i) && s.high(i) == s.low(i) && s.low(i) == s.close(i)) {
                flat++;
            }
        }
        int max = gen.maxCandles();
        assertThat(flat).as("seed %d: flat minutes", seed).isGreaterThan(0);
        assertThat(s.size()).as("seed %d: some minutes missing", seed).isLessThan(max).isGreaterThan(max * 9 / 10);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32, 33})
    @DisplayName("prices on a 0.01 tick are the doubles nearest their two-decimal values")
    void twoDecimalPrices(long seed) {
        CandleSeries s = SyntheticCandles.seed(seed).start(MONDAY).tradingDays(5).generate("SBER");
        for (int i = 0; i < s.size(); i++) {
            for (double p : new double[] {s.open(i), s.high(i), s.low(i), s.close(i)}) {
                assertThat(new java.math.BigDecimal(Double.toString(p)).scale()).as("seed %d row %d price %s", seed, i, p)
                        .isLessThanOrEqualTo(2);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25})
    @DisplayName("volume follows a U shape: the first and last half hour trade more than midday, on average")
    void uShapedVolume(long seed) {
        CandleSeries s = SyntheticCandles.seed(seed).start(MONDAY).tradingDays(40).generate("SBER");
        double[] sum = new double[3];
        int[] count = new int[3];
        for (int i = 0; i < s.size(); i++) {
            int minute = Instant.ofEpochMilli(s.ts(i)).atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() / 60
                    - 7 * 60;
            int bucket = minute < 30 ? 0 : minute >= 490 ? 2 : minute >= 230 && minute < 290 ? 1 : -1;
            if (bucket >= 0) {
                sum[bucket] += s.volume(i);
                count[bucket]++;
            }
        }
        double open = sum[0] / count[0];
        double midday = sum[1] / count[1];
        double close = sum[2] / count[2];
        assertThat(open).as("seed %d: open vs midday", seed).isGreaterThan(1.5 * midday);
        assertThat(close).as("seed %d: close vs midday", seed).isGreaterThan(1.5 * midday);
    }

    @Test
    @DisplayName("streaming gives the same candles as generate, and sessions are separated by gaps")
    void streamingMatchesAndSessionsGap() {
        SyntheticCandles gen = SyntheticCandles.seed(9).start(MONDAY).tradingDays(3);
        CandleSeries s = gen.generate("SBER");
        CandleSeries.Builder b = CandleSeries.builder("SBER").timeframe(Timeframe.ONE_MINUTE);
        gen.forEach("SBER", b::add);
        assertThat(b.build().closes()).isEqualTo(s.closes());
        long longGaps = 0;
        for (int i = 1; i < s.size(); i++) {
            if (s.ts(i) - s.ts(i - 1) > 60 * 60_000L) {
                longGaps++;
            }
        }
        assertThat(longGaps).isEqualTo(2);
        assertThat(gen.lastTradingDay()).isEqualTo(LocalDate.of(2024, 1, 10));
        assertThat(gen.end()).isEqualTo(Instant.parse("2024-01-10T15:40:00Z"));
        assertThat(s.ts(s.size() - 1)).isLessThan(gen.end().toEpochMilli());
    }

    @Test
    @DisplayName("configuration is immutable and checks its arguments at once")
    void immutableAndChecked() {
        SyntheticCandles base = SyntheticCandles.seed(1);
        SyntheticCandles longer = base.tradingDays(9);
        assertThat(base.tradingDays()).isEqualTo(5);
        assertThat(longer.tradingDays()).isEqualTo(9);
        assertThatThrownBy(() -> base.tradingDays(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tradingDays");
        assertThatThrownBy(() -> base.tickSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.generate(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 4, 5})
    @DisplayName("The session minutes of a range count the candles there when no minute is missing, and bound them otherwise")
    void sessionMinutesCountTheCandles(long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        SyntheticCandles full = SyntheticCandles.seed(seed).start(LocalDate.of(2024, 3, 1)).tradingDays(6).missingMinutes(0);
        SyntheticCandles gappy = full.missingMinutes(0.05);
        CandleSeries all = full.generate("SBER");
        CandleSeries some = gappy.generate("SBER");
        long first = all.ts(0) - 3_600_000L;
        long span = all.ts(all.size() - 1) + 7_200_000L - first;
        for (int round = 0; round < 200; round++) {
            long a = first + (long) (rnd.nextDouble() * span);
            long b = round % 10 == 0 ? a : a + (long) (rnd.nextDouble() * (first + span - a));
            assertThat(full.sessionMinutes(a, b)).as("seed %d [%d, %d)", seed, a, b).isEqualTo(count(all, a, b));
            assertThat(gappy.sessionMinutes(a, b)).as("seed %d [%d, %d)", seed, a, b)
                    .isEqualTo(full.sessionMinutes(a, b)).isGreaterThanOrEqualTo(count(some, a, b));
            assertThat(SyntheticCandleSource.of(gappy).expectedCandles("GAZP", Timeframe.ONE_MINUTE,
                    Instant.ofEpochMilli(a), Instant.ofEpochMilli(b))).hasValue(full.sessionMinutes(a, b));
        }
        assertThat(full.sessionMinutes(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)).isEqualTo(full.maxCandles())
                .isEqualTo(all.size());
    }

    private static long count(CandleSeries s, long from, long to) {
        long n = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.ts(i) >= from && s.ts(i) < to) {
                n++;
            }
        }
        return n;
    }
}
