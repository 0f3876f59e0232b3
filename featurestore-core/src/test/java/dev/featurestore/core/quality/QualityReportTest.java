package dev.featurestore.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.core.quality.QualityReport.FeatureQuality;
import dev.featurestore.core.quality.QualityReport.Gap;
import dev.featurestore.core.quality.QualityReport.SecidQuality;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("QualityReport")
class QualityReportTest {
    static final Timeframe M1 = Timeframe.ONE_MINUTE;
    static final Timeframe M5 = Timeframe.parse("5m");
    /** Monday 8 January 2024, 10:00 Moscow = 07:00 UTC. */
    static final long MON_OPEN = Instant.parse("2024-01-08T07:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-08T16:00:00Z"), ZoneOffset.UTC);

    /** Flat 1m candles at the given times. */
    static CandleSeries candles(String secid, Timeframe tf, List<Long> times) {
        CandleSeries.Builder b = CandleSeries.builder(secid).timeframe(tf);
        for (long t : times) {
            b.add(t, 10, 11, 9, 10.5, 100);
        }
        return b.build();
    }

    /** The Monday session's 520 one-minute open times, minus those listed. */
    static List<Long> mondaySession(int... skipMinutes) {
        List<Long> times = new ArrayList<>();
        outer:
        for (int m = 0; m < 520; m++) {
            for (int s : skipMinutes) {
                if (s == m) {
                    continue outer;
                }
            }
            times.add(MON_OPEN + m * MINUTE);
        }
        return times;
    }

    static FeatureFrame frame(String secid, String set, List<String> names, long[] ts, double[]... columns) {
        List<FeatureKind> kinds = names.stream().map(n -> n.endsWith("engulfing") ? FeatureKind.CATEGORICAL
                : FeatureKind.NUMERIC).toList();
        return FeatureFrame.of(secid, set, M5, names, kinds, ts, columns);
    }

    static long[] times(int n) {
        return IntStream.range(0, n).mapToLong(i -> MON_OPEN + i * 5 * MINUTE).toArray();
    }

    @Test
    @DisplayName("counts a gap inside a session against the schedule, with its place and length")
    void gapInSession() {
        CandleSeries sber = candles("SBER", M1, mondaySession(120, 121, 122, 123, 124, 125, 126, 300));
        QualityReport r = QualityReport.builder("tech_v2", M5, "r1").clock(CLOCK)
                .range(Instant.parse("2024-01-08T00:00:00Z"), Instant.parse("2024-01-09T00:00:00Z"))
                .candles(sber).build();
        SecidQuality s = r.secid("SBER").orElseThrow();
        assertThat(s.expectedCandles()).isEqualTo(520);
        assertThat(s.presentCandles()).isEqualTo(512);
        assertThat(s.missingCandles()).isEqualTo(8);
        assertThat(s.missingFraction()).isEqualTo(8 / 520.0);
        assertThat(s.unexpectedCandles()).isZero();
        assertThat(s.gapCount()).isEqualTo(2);
        assertThat(s.gaps()).containsExactly(
                new Gap(Instant.parse("2024-01-08T09:00:00Z"), Instant.parse("2024-01-08T09:07:00Z"), 7),
                new Gap(Instant.parse("2024-01-08T12:00:00Z"), Instant.parse("2024-01-08T12:01:00Z"), 1));
        // 8/520 = 1.5%: above the default warn (1%), below fail (10%)
        assertThat(r.check(QualityCheck.MISSING_CANDLES).orElseThrow().status()).isEqualTo(QualityStatus.WARN);
        assertThat(r.check(QualityCheck.MISSING_CANDLES).orElseThrow().message()).contains("SBER misses 8 of 520");
    }

    @Test
    @DisplayName("a whole missing session day, weekend candles and off-session candles are told apart")
    void missingDayAndOffSession() {
        List<Long> times = new ArrayList<>(mondaySession());
        times.add(MON_OPEN + 600 * MINUTE); // Monday 20:00 Moscow, after the close
        long wednesday = MON_OPEN + 2 * 86_400_000L;
        for (int m = 0; m < 520; m++) {
            times.add(wednesday + m * MINUTE); // Tuesday missing entirely
        }
        times.add(MON_OPEN + 5 * 86_400_000L); // Saturday
        QualityReport r = QualityReport.builder("tech_v2", M1, "r1").clock(CLOCK)
                .range(Instant.parse("2024-01-08T00:00:00Z"), Instant.parse("2024-01-15T00:00:00Z"))
                .candles(candles("SBER", M1, times)).build();
        SecidQuality s = r.secid("SBER").orElseThrow();
        assertThat(s.expectedCandles()).isEqualTo(5 * 520);
        assertThat(s.presentCandles()).isEqualTo(2 * 520);
        assertThat(s.unexpectedCandles()).isEqualTo(2);
        assertThat(s.gaps()).first().isEqualTo(new Gap(Instant.parse("2024-01-09T07:00:00Z"),
                Instant.parse("2024-01-09T15:40:00Z"), 520));
        assertThat(s.gapCount()).isEqualTo(2); // Tuesday; Thursday and Friday make one run
        assertThat(s.sessionDays()).extracting(QualityReport.SessionDay::date, QualityReport.SessionDay::expected,
                QualityReport.SessionDay::present, QualityReport.SessionDay::missing).containsExactly(
                org.assertj.core.groups.Tuple.tuple(java.time.LocalDate.of(2024, 1, 8), 520L, 520L, 0L),
                org.assertj.core.groups.Tuple.tuple(java.time.LocalDate.of(2024, 1, 9), 520L, 0L, 520L),
                org.assertj.core.groups.Tuple.tuple(java.time.LocalDate.of(2024, 1, 10), 520L, 520L, 0L),
                org.assertj.core.groups.Tuple.tuple(java.time.LocalDate.of(2024, 1, 11), 520L, 0L, 520L),
                org.assertj.core.groups.Tuple.tuple(java.time.LocalDate.of(2024, 1, 12), 520L, 0L, 520L));
        assertThat(r.check(QualityCheck.MISSING_CANDLES).orElseThrow().status()).isEqualTo(QualityStatus.FAIL);
    }

    @Test
    @DisplayName("a histogram has 20 equal bins from p1 to p99 (x on an edge falls below it), the tails beside them")
    void histogramBins() {
        double[] sorted = new double[101];
        for (int i = 0; i <= 100; i++) {
            sorted[i] = i; // p1 = 1, p99 = 99
        }
        QualityReport.DistributionStats stats = QualityComputation.stats(sorted);
        QualityReport.Histogram h = QualityComputation.histogram(sorted, stats);
        assertThat(h.edges()).hasSize(21).startsWith(1.0, 5.9).endsWith(99.0);
        assertThat(h.below()).isEqualTo(1 / 101.0); // 0
        assertThat(h.above()).isEqualTo(1 / 101.0); // 100
        assertThat(h.shares().get(0)).isEqualTo(5 / 101.0); // 1, 2, 3, 4, 5 (5.9 is the edge)
        assertThat(h.shares().stream().mapToDouble(Double::doubleValue).sum() + h.below() + h.above())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        double[] constant = {3, 3, 3};
        QualityReport.Histogram one = QualityComputation.histogram(constant, QualityComputation.stats(constant));
        assertThat(one.edges()).containsExactly(3.0, 3.0);
        assertThat(one.shares()).containsExactly(1.0);
        assertThat(QualityComputation.histogram(new double[0], QualityComputation.stats(new double[0]))).isNull();
    }

    @Test
    @DisplayName("coarser timeframes expect each bucket that overlaps the session: 104 of 5m, 9 of 1h, one a day of 1d")
    void coarserSchedules() {
        QualityConfig cfg = QualityConfig.defaults();
        long from = Instant.parse("2024-01-08T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2024-01-09T00:00:00Z").toEpochMilli();
        assertThat(QualityComputation.schedule(cfg, M5, from, to, new long[0]).expected).isEqualTo(104);
        assertThat(QualityComputation.schedule(cfg, Timeframe.parse("1h"), from, to, new long[0]).expected).isEqualTo(9);
        long weekEnd = Instant.parse("2024-01-14T21:00:00Z").toEpochMilli(); // Monday 15th, 00:00 Moscow
        // 1d buckets start at Moscow midnight (21:00 UTC the day before)
        long[] days = {Instant.parse("2024-01-07T21:00:00Z").toEpochMilli(), Instant.parse("2024-01-08T21:00:00Z").toEpochMilli(),
            Instant.parse("2024-01-10T21:00:00Z").toEpochMilli()};
        QualityComputation.Schedule d = QualityComputation.schedule(cfg, Timeframe.parse("1d"),
                Instant.parse("2024-01-07T21:00:00Z").toEpochMilli(), weekEnd, days);
        assertThat(d.expected).isEqualTo(5);
        assertThat(d.present).isEqualTo(3);
        assertThat(d.gaps).extracting(Gap::missing).containsExactly(1L, 1L);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    @DisplayName("missing candles and their gaps are exactly those removed from full sessions, over seeded random deletions")
    void missingEqualsRemoved(long seed) {
        Random rnd = new Random(seed);
        List<Long> times = new ArrayList<>();
        int days = 1 + rnd.nextInt(10);
        long removed = 0;
        // The runs of removed minutes, in order: {first missing open time, missing candles}. A
        // session's first and last minutes stay, so that no run spans two sessions.
        List<long[]> runs = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            long day = MON_OPEN + d * 86_400_000L;
            int dow = d % 7; // 0 = Monday
            if (dow >= 5) {
                continue;
            }
            boolean inRun = false;
            for (int m = 0; m < 520; m++) {
                if (m > 0 && m < 519 && rnd.nextInt(20) == 0) {
                    removed++;
                    if (inRun) {
                        runs.get(runs.size() - 1)[1]++;
                    } else {
                        runs.add(new long[] {day + m * MINUTE, 1});
                    }
                    inRun = true;
                } else {
                    times.add(day + m * MINUTE);
                    inRun = false;
                }
            }
        }
        int weekdays = 0;
        for (int d = 0; d < days; d++) {
            weekdays += d % 7 < 5 ? 1 : 0;
        }
        QualityReport r = QualityReport.builder("tech_v2", M1, "s" + seed).clock(CLOCK)
                .range(Instant.ofEpochMilli(MON_OPEN - 7 * 3_600_000L), Instant.ofEpochMilli(MON_OPEN + days * 86_400_000L - 7 * 3_600_000L))
                .candles(candles("X", M1, times)).build();
        SecidQuality s = r.secid("X").orElseThrow();
        assertThat(s.expectedCandles()).as("seed %d", seed).isEqualTo(weekdays * 520L);
        assertThat(s.missingCandles()).as("seed %d", seed).isEqualTo(removed);
        assertThat(s.gapCount()).as("seed %d", seed).isEqualTo(runs.size());
        List<long[]> listed = runs.subList(0, Math.min(runs.size(), QualityReport.Builder.MAX_GAPS));
        assertThat(s.gaps()).as("seed %d: the first %d runs", seed, QualityReport.Builder.MAX_GAPS)
                .extracting(g -> g.from().toEpochMilli(), Gap::missing, g -> g.to().toEpochMilli())
                .containsExactlyElementsOf(listed.stream()
                        .map(run -> tuple(run[0], run[1], run[0] + run[1] * MINUTE))
                        .toList());
    }

    @Test
    @DisplayName("duplicates and out-of-order rows come from the input counts; without them the checks are skipped")
    void duplicatesAndOrder() {
        CandleSeries sber = candles("SBER", M1, mondaySession());
        QualityReport r = QualityReport.builder("tech_v2", M1, "r1").clock(CLOCK).candles(sber)
                .inputStats(new InputStats("SBER", 523, 3, 2)).inputStats(InputStats.empty("GAZP")).build();
        assertThat(r.check(QualityCheck.DUPLICATES).orElseThrow().value()).isEqualTo(3.0);
        assertThat(r.check(QualityCheck.DUPLICATES).orElseThrow().status()).isEqualTo(QualityStatus.WARN);
        assertThat(r.check(QualityCheck.DUPLICATES).orElseThrow().message()).contains("3 of 523").contains("SBER: 3");
        assertThat(r.check(QualityCheck.OUT_OF_ORDER).orElseThrow().value()).isEqualTo(2.0);
        assertThat(r.secid("SBER").orElseThrow().duplicates()).isEqualTo(3L);
        assertThat(r.secid("GAZP").orElseThrow().candles()).isZero();
        QualityReport none = QualityReport.builder("tech_v2", M1, "r2").clock(CLOCK).candles(sber).build();
        assertThat(none.check(QualityCheck.DUPLICATES).orElseThrow().status()).isEqualTo(QualityStatus.SKIPPED);
        assertThat(none.secid("SBER").orElseThrow().duplicates()).isNull();
    }

    @Test
    @DisplayName("NaN, infinities and out-of-range values injected into a frame are counted; unknown features are not range-checked; a blocking failure is flagged")
    void nonFiniteAndOutOfRange() {
        List<String> names = List.of("rsi_14", "bullish_engulfing", "candle_body_pct", "price_position_20", "my_feature_10",
                "stoch_d_3");
        long[] ts = times(5);
        FeatureFrame f = frame("SBER", "tech_v2", names, ts,
                new double[] {50, 101, 0, 100, Double.NaN},
                new double[] {0, 1, 0.5, 1, 0},
                new double[] {-1, 1, -1.2, 0, 0.3},
                new double[] {0, 1, 0.5, 1.0000000000000002, Double.POSITIVE_INFINITY},
                new double[] {1e9, -1e9, 0, 0, Double.NEGATIVE_INFINITY},
                new double[] {100.00000000000001, 0, 0, 0, 0});
        QualityReport r = QualityReport.builder("tech_v2", M5, "r1").clock(CLOCK).frame(f).build();
        FeatureQuality rsi = r.feature("rsi_14").orElseThrow();
        assertThat(rsi.nan()).isEqualTo(1);
        assertThat(rsi.outOfRange()).isEqualTo(1);
        assertThat(rsi.outOfRangeExamples()).singleElement()
                .isEqualTo(new QualityReport.RangeViolation("SBER", Instant.ofEpochMilli(ts[1]), 101));
        assertThat(r.feature("bullish_engulfing").orElseThrow().outOfRange()).isEqualTo(1);
        assertThat(r.feature("candle_body_pct").orElseThrow().outOfRange()).isEqualTo(1);
        assertThat(r.feature("price_position_20").orElseThrow().outOfRange()).as("within the rounding tolerance").isZero();
        assertThat(r.feature("price_position_20").orElseThrow().positiveInfinity()).isEqualTo(1);
        assertThat(r.feature("stoch_d_3").orElseThrow().outOfRange()).isZero();
        FeatureQuality custom = r.feature("my_feature_10").orElseThrow();
        assertThat(custom.validRange()).isNull();
        assertThat(custom.outOfRange()).isZero();
        assertThat(custom.negativeInfinity()).isEqualTo(1);
        assertThat(r.check(QualityCheck.NON_FINITE).orElseThrow().value()).isEqualTo(3.0);
        assertThat(r.check(QualityCheck.OUT_OF_RANGE).orElseThrow().value()).isEqualTo(3.0);
        assertThat(r.check(QualityCheck.OUT_OF_RANGE).orElseThrow().message()).contains("rsi_14 (1)")
                .contains("no range to check for [my_feature_10]");
        assertThat(r.blockingFailure()).isTrue();
        assertThat(r.status()).isEqualTo(QualityStatus.FAIL);
        assertThat(r.blockingFailures()).extracting(QualityReport.CheckResult::check)
                .containsExactly(QualityCheck.NON_FINITE, QualityCheck.OUT_OF_RANGE);
        assertThat(custom.stats().count()).isEqualTo(4);
    }

    @Test
    @DisplayName("clean frames in range pass; a failing check that is not blocking does not flag the run")
    void cleanFramePasses() {
        FeatureFrame f = frame("SBER", "tech_v2", List.of("rsi_14", "atr_14"), times(3), new double[] {0, 50, 100},
                new double[] {0, 0.5, 1});
        QualityConfig strictRows = QualityConfig.builder().threshold(QualityCheck.ROW_COUNT, new Threshold(null, 1.0, false))
                .build();
        QualityReport r = QualityReport.builder("tech_v2", M5, "r1").config(strictRows).clock(CLOCK).frame(f)
                .frame(frame("GAZP", "tech_v2", List.of("rsi_14", "atr_14"), new long[0], new double[0], new double[0]))
                .build();
        assertThat(r.check(QualityCheck.OUT_OF_RANGE).orElseThrow().status()).isEqualTo(QualityStatus.OK);
        assertThat(r.check(QualityCheck.ROW_COUNT).orElseThrow().status()).isEqualTo(QualityStatus.FAIL);
        assertThat(r.check(QualityCheck.ROW_COUNT).orElseThrow().message()).contains("[GAZP]");
        assertThat(r.blockingFailure()).isFalse();
        assertThat(r.status()).isEqualTo(QualityStatus.FAIL);
        QualityConfig blockingRows = strictRows.toBuilder().threshold(QualityCheck.ROW_COUNT, new Threshold(null, 1.0, true))
                .build();
        QualityReport blocked = QualityReport.builder("tech_v2", M5, "r1").config(blockingRows).clock(CLOCK).frame(f)
                .frame(frame("GAZP", "tech_v2", List.of("rsi_14", "atr_14"), new long[0], new double[0], new double[0]))
                .build();
        assertThat(blocked.blockingFailure()).isTrue();
    }

    @Test
    @DisplayName("staleness is the time from the last candle's close to the clock, against the thresholds")
    void staleness() {
        CandleSeries s = candles("SBER", M1, List.of(MON_OPEN, MON_OPEN + MINUTE)); // last closes at 07:02
        QualityConfig cfg = QualityConfig.builder().threshold(QualityCheck.STALENESS, new Threshold(3600.0, 7200.0, true))
                .build();
        QualityReport fresh = QualityReport.builder("tech_v2", M1, "r1").config(cfg)
                .clock(Clock.fixed(Instant.parse("2024-01-08T07:32:00Z"), ZoneOffset.UTC)).candles(s).build();
        assertThat(fresh.secid("SBER").orElseThrow().stalenessSeconds()).isEqualTo(1800.0);
        assertThat(fresh.secid("SBER").orElseThrow().lastAvailableAt()).isEqualTo(Instant.parse("2024-01-08T07:02:00Z"));
        assertThat(fresh.check(QualityCheck.STALENESS).orElseThrow().status()).isEqualTo(QualityStatus.OK);
        QualityReport stale = QualityReport.builder("tech_v2", M1, "r1").config(cfg)
                .clock(Clock.fixed(Instant.parse("2024-01-08T10:00:00Z"), ZoneOffset.UTC)).candles(s).build();
        assertThat(stale.check(QualityCheck.STALENESS).orElseThrow().value()).isEqualTo(10_680.0);
        assertThat(stale.check(QualityCheck.STALENESS).orElseThrow().status()).isEqualTo(QualityStatus.FAIL);
        assertThat(stale.blockingFailure()).isTrue();
        assertThat(stale.generatedAt()).isEqualTo(Instant.parse("2024-01-08T10:00:00Z"));
    }

    @Test
    @DisplayName("distribution statistics match hand-computed values (sample std, R-7 percentiles) and commons-math3")
    void statistics() {
        double[] data = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        QualityReport.DistributionStats st = QualityComputation.stats(data);
        assertThat(st.count()).isEqualTo(100);
        assertThat(st.mean()).isEqualTo(50.5);
        assertThat(st.std()).isCloseTo(Math.sqrt(83325.0 / 99), within(1e-12)); // sum of squared deviations 83325
        assertThat(st.min()).isEqualTo(1.0);
        assertThat(st.max()).isEqualTo(100.0);
        assertThat(st.p1()).isCloseTo(1.99, within(1e-12));
        assertThat(st.p25()).isCloseTo(25.75, within(1e-12));
        assertThat(st.p50()).isCloseTo(50.5, within(1e-12));
        assertThat(st.p99()).isCloseTo(99.01, within(1e-12));

        Random rnd = new Random(7);
        double[] random = new double[1234];
        for (int i = 0; i < random.length; i++) {
            random[i] = rnd.nextGaussian() * 3 + 1;
        }
        QualityReport.DistributionStats rs = QualityComputation.stats(random);
        DescriptiveStatistics ds = new DescriptiveStatistics(random);
        assertThat(rs.mean()).isCloseTo(ds.getMean(), within(1e-12));
        assertThat(rs.std()).isCloseTo(ds.getStandardDeviation(), within(1e-12));
        Percentile r7 = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        assertThat(rs.p95()).isEqualTo(r7.evaluate(random, 95));
        assertThat(rs.p5()).isEqualTo(r7.evaluate(random, 5));

        QualityReport.DistributionStats one = QualityComputation.stats(new double[] {4});
        assertThat(one.std()).isNull();
        assertThat(one.p50()).isEqualTo(4.0);
        assertThat(QualityComputation.stats(new double[0]).mean()).isNull();
    }

    private static FeatureFrame normalFrame(String runSecid, long seed, double shift, int n) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        double[] flat = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian() + shift;
        }
        return frame(runSecid, "tech_v2", List.of("macd_line", "bearish_engulfing"), times(n), x, flat);
    }

    @Test
    @DisplayName("drift: the same distribution gives a small shift and PSI; a shift of one std is reported and fails PSI; flat features have no PSI")
    void drift() {
        QualityReport before = QualityReport.builder("tech_v2", M5, "r1").clock(CLOCK).frame(normalFrame("SBER", 1, 0, 5000))
                .build();
        QualityReport same = QualityReport.builder("tech_v2", M5, "r2").clock(CLOCK).frame(normalFrame("SBER", 2, 0, 5000))
                .previous(before).build();
        FeatureQuality macd = same.feature("macd_line").orElseThrow();
        assertThat(Math.abs(macd.drift().meanShift())).isLessThan(0.1);
        assertThat(macd.drift().psi()).isLessThan(0.02);
        assertThat(same.check(QualityCheck.DRIFT_PSI).orElseThrow().status()).isEqualTo(QualityStatus.OK);
        assertThat(same.previousRunId()).isEqualTo("r1");
        assertThat(same.feature("bearish_engulfing").orElseThrow().drift().psi()).isNull();
        assertThat(same.feature("bearish_engulfing").orElseThrow().drift().meanShift()).isNull();

        QualityReport shifted = QualityReport.builder("tech_v2", M5, "r3").clock(CLOCK).frame(normalFrame("SBER", 3, 1, 5000))
                .previous(before).build();
        FeatureQuality m = shifted.feature("macd_line").orElseThrow();
        double expectedShift = (m.stats().mean() - before.feature("macd_line").orElseThrow().stats().mean())
                / before.feature("macd_line").orElseThrow().stats().std();
        assertThat(m.drift().meanShift()).isEqualTo(expectedShift).isCloseTo(1.0, within(0.1));
        assertThat(m.drift().psi()).isGreaterThan(0.25);
        assertThat(shifted.check(QualityCheck.DRIFT_MEAN_SHIFT).orElseThrow().status()).isEqualTo(QualityStatus.WARN);
        assertThat(shifted.check(QualityCheck.DRIFT_PSI).orElseThrow().status()).isEqualTo(QualityStatus.FAIL);
        assertThat(before.check(QualityCheck.DRIFT_PSI).orElseThrow().status()).isEqualTo(QualityStatus.SKIPPED);
    }

    @Test
    @DisplayName("arguments are checked at once: file-safe names, one input per secid, matching set and previous report")
    void argumentChecks() {
        assertThatThrownBy(() -> QualityReport.builder("tech_v2", M5, "../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad run id '../x'");
        QualityReport.Builder b = QualityReport.builder("tech_v2", M5, "r1");
        b.candles(candles("SBER", M1, List.of(MON_OPEN)));
        assertThatThrownBy(() -> b.candles(candles("SBER", M1, List.of(MON_OPEN)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> b.frame(frame("SBER", "tech_v1", List.of("rsi_14"), times(1), new double[] {1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tech_v1");
        QualityReport other = QualityReport.builder("tech_v1", M5, "r0").clock(CLOCK).build();
        assertThatThrownBy(() -> b.previous(other)).isInstanceOf(IllegalArgumentException.class);
    }
}
