package dev.featurestore.core.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Resampling 1m candles to coarser timeframes")
class ResamplerPropertiesTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Timeframe[] TARGETS = {Timeframe.parse("5m"), Timeframe.parse("15m"), Timeframe.parse("1h"),
        Timeframe.parse("2h")};

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    private static CandleSeries source(long seed) {
        int n = new SplittableRandom(seed * 31 + 1).nextInt(1, 600);
        return TestCandles.randomWalk(seed, n, Timeframe.ONE_MINUTE, true);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("each final bucket has the first open, max high, min low, last close, summed volume of its members")
    void bucketLaws(long seed) {
        CandleSeries src = source(seed);
        for (Timeframe target : TARGETS) {
            CandleSeries out = Resampler.resample(src, target, null, UTC);
            long period = target.millis();
            assertThat(out.timeframe()).contains(target);
            List<Long> members = new ArrayList<>();
            int i = 0;
            for (int b = 0; b < out.size(); b++) {
                long bucket = out.ts(b);
                assertThat(Math.floorMod(bucket, period)).as("bucket start aligned to %s", target).isZero();
                // skip source candles of buckets that produce no row: there are none before the last bucket
                assertThat(Math.floorDiv(src.ts(i), period) * period).as("seed %d %s: no bucket skipped", seed, target)
                        .isEqualTo(bucket);
                double high = Double.NEGATIVE_INFINITY;
                double low = Double.POSITIVE_INFINITY;
                double volume = 0;
                int first = i;
                members.clear();
                while (i < src.size() && src.ts(i) < bucket + period) {
                    assertThat(out.high(b)).isGreaterThanOrEqualTo(src.high(i));
                    assertThat(out.low(b)).isLessThanOrEqualTo(src.low(i));
                    high = Math.max(high, src.high(i));
                    low = Math.min(low, src.low(i));
                    volume += src.volume(i);
                    members.add(src.ts(i));
                    i++;
                }
                assertThat(members).as("a bucket row has at least one member").isNotEmpty();
                assertThat(out.open(b)).isEqualTo(src.open(first));
                assertThat(out.close(b)).isEqualTo(src.close(i - 1));
                assertThat(out.high(b)).isEqualTo(high);
                assertThat(out.low(b)).isEqualTo(low);
                assertThat(out.volume(b)).isEqualTo(volume);
            }
            // what is left is exactly the last, still-forming bucket
            assertThat(i).as("seed %d %s: only the last bucket is left out", seed, target).isLessThan(src.size());
            long lastBucket = Math.floorDiv(src.ts(src.size() - 1), period) * period;
            for (int j = i; j < src.size(); j++) {
                assertThat(Math.floorDiv(src.ts(j), period) * period).isEqualTo(lastBucket);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("volume is conserved over the final buckets, and no bucket is invented for a gap")
    void conservationAndGaps(long seed) {
        CandleSeries src = source(seed);
        for (Timeframe target : TARGETS) {
            long period = target.millis();
            CandleSeries out = Resampler.resample(src, target, null, UTC);
            long lastBucket = Math.floorDiv(src.ts(src.size() - 1), period) * period;
            double finalVolume = 0;
            java.util.Set<Long> occupied = new java.util.HashSet<>();
            for (int j = 0; j < src.size(); j++) {
                long b = Math.floorDiv(src.ts(j), period) * period;
                occupied.add(b);
                if (b != lastBucket) {
                    finalVolume += src.volume(j);
                }
            }
            double sum = 0;
            for (int b = 0; b < out.size(); b++) {
                sum += out.volume(b);
                assertThat(occupied).as("bucket %s has a source candle", Instant.ofEpochMilli(out.ts(b)))
                        .contains(out.ts(b));
            }
            assertThat(sum).isCloseTo(finalVolume, org.assertj.core.api.Assertions.within(1e-9 * (1 + finalVolume)));
            assertThat(out.size()).isEqualTo(occupied.size() - 1);
            for (int b = 1; b < out.size(); b++) {
                assertThat(out.ts(b)).isGreaterThan(out.ts(b - 1));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("completeThrough keeps the last bucket exactly when it covers the bucket's end")
    void completeThrough(long seed) {
        CandleSeries src = source(seed);
        for (Timeframe target : TARGETS) {
            long period = target.millis();
            long lastBucket = Math.floorDiv(src.ts(src.size() - 1), period) * period;
            long end = lastBucket + period;
            CandleSeries without = Resampler.resample(src, target, null, UTC);
            CandleSeries justBefore = Resampler.resample(src, target, Instant.ofEpochMilli(end - 1), UTC);
            CandleSeries atEnd = Resampler.resample(src, target, Instant.ofEpochMilli(end), UTC);
            assertThat(justBefore.timestamps()).containsExactly(without.timestamps());
            assertThat(atEnd.size()).isEqualTo(without.size() + 1);
            assertThat(atEnd.ts(atEnd.size() - 1)).isEqualTo(lastBucket);
            assertThat(atEnd.slice(0, without.size()).closes()).containsExactly(without.closes());
            CandleSeries naive = TestCandles.aggregate(src, target);
            assertThat(atEnd.timestamps()).containsExactly(naive.timestamps());
            assertThat(atEnd.opens()).containsExactly(naive.opens());
            assertThat(atEnd.highs()).containsExactly(naive.highs());
            assertThat(atEnd.lows()).containsExactly(naive.lows());
            assertThat(atEnd.closes()).containsExactly(naive.closes());
            assertThat(atEnd.volumes()).containsExactly(naive.volumes());
        }
    }

    @Test
    @DisplayName("a 1m candle that closes a bucket's last minute makes it final only with a later candle or completeThrough")
    void lastMinute() {
        long t0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
        CandleSeries.Builder b = CandleSeries.builder("X").timeframe(Timeframe.ONE_MINUTE);
        for (int m = 0; m < 5; m++) {
            b.add(t0 + m * 60_000L, 10 + m, 11 + m, 9 + m, 10.5 + m, 100);
        }
        CandleSeries src = b.build();
        Timeframe five = Timeframe.parse("5m");
        assertThat(Resampler.resample(src, five, null, UTC).size()).isZero();
        CandleSeries done = Resampler.resample(src, five, Instant.parse("2024-03-01T10:05:00Z"), UTC);
        assertThat(done.size()).isEqualTo(1);
        assertThat(done.open(0)).isEqualTo(10);
        assertThat(done.high(0)).isEqualTo(15);
        assertThat(done.low(0)).isEqualTo(9);
        assertThat(done.close(0)).isEqualTo(14.5);
        assertThat(done.volume(0)).isEqualTo(500);
    }

    @Test
    @DisplayName("a series without timeframe, or a target that is not a whole multiple, is an InvalidQueryException")
    void badTargets() {
        CandleSeries noTf = TestCandles.randomWalk(1, 10, null, false);
        assertThatThrownBy(() -> Resampler.resample(noTf, Timeframe.parse("5m"), null, UTC))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("has no timeframe");
        CandleSeries fiveMin = TestCandles.randomWalk(1, 10, Timeframe.parse("5m"), false);
        assertThatThrownBy(() -> Resampler.resample(fiveMin, Timeframe.parse("7m"), null, UTC))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("whole multiple");
        assertThatThrownBy(() -> Resampler.resample(fiveMin, Timeframe.ONE_MINUTE, null, UTC))
                .isInstanceOf(InvalidQueryException.class);
    }

    @Test
    @DisplayName("a 1d bucket follows the exchange's calendar day, not UTC")
    void daily() {
        ZoneId moscow = ZoneId.of("Europe/Moscow"); // UTC+3
        CandleSeries.Builder b = CandleSeries.builder("X").timeframe(Timeframe.parse("1h"));
        // 2024-03-01 20:00Z and 21:00Z are 23:00 and 00:00 in Moscow: two different days
        long t = Instant.parse("2024-03-01T20:00:00Z").toEpochMilli();
        b.add(t, 10, 12, 9, 11, 1);
        b.add(t + 3_600_000L, 11, 13, 10, 12, 2);
        b.add(t + 2 * 3_600_000L, 12, 14, 11, 13, 4);
        CandleSeries out = Resampler.resample(b.build(), Timeframe.parse("1d"), null, moscow);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.ts(0)).isEqualTo(Instant.parse("2024-02-29T21:00:00Z").toEpochMilli());
        assertThat(out.volume(0)).isEqualTo(1);
    }
}
