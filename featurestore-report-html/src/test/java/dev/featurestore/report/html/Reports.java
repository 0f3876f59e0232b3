package dev.featurestore.report.html;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.quality.QualityReport;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Reports to render: from the real pipeline over synthetic candles with gaps, and made by hand with bad values. */
final class Reports {
    static final SyntheticCandles GEN = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(5);
    static final Instant FROM = GEN.firstTradingDay().atStartOfDay(SyntheticCandles.MOSCOW).toInstant();
    static final Instant TO = GEN.end();
    static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH");

    private Reports() {
    }

    /**
     * Two pipeline runs of tech_v2 at 5m over SBER (a gap of 45 minutes on the second day), GAZP (the
     * fourth day missing) and LKOH (whole): the first over the first three days, the second over
     * all five, with drift against the first.
     */
    static QualityReport pipeline(Path dir) {
        try (Store store = FeatureStore.builder().build()) {
            for (String secid : SECIDS) {
                store.candles().upsert(withGaps(GEN.generate(secid)));
            }
            Instant mid = FROM.plusSeconds(3 * 86_400L);
            run(store, dir, "run-1", FROM, mid);
            return run(store, dir, "run-2", FROM, TO);
        }
    }

    private static QualityReport run(Store store, Path dir, String runId, Instant from, Instant to) {
        return Pipeline.forSet("tech_v2").timeframe("5m").secids(SECIDS).between(from, to)
                .snapshotFileFormat().stages(Stage.BUILD, Stage.QUALITY).qualityReportDir(dir).runId(runId)
                .clock(Clock.fixed(to.plusSeconds(3_600), ZoneOffset.UTC)).run(store).quality();
    }

    private static CandleSeries withGaps(CandleSeries s) {
        long day2 = FROM.plusSeconds(86_400L).toEpochMilli();
        long day4 = FROM.plusSeconds(3 * 86_400L).toEpochMilli();
        CandleSeries.Builder b = CandleSeries.builder(s.secid()).timeframe(s.timeframe().orElseThrow());
        for (int i = 0; i < s.size(); i++) {
            long t = s.ts(i);
            boolean drop = s.secid().equals("SBER") && t >= day2 + 11 * 3_600_000L && t < day2 + 11 * 3_600_000L + 45 * 60_000L
                    || s.secid().equals("GAZP") && t >= day4 && t < day4 + 86_400_000L;
            if (!drop) {
                b.add(t, s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i));
            }
        }
        return b.build();
    }

    /** A report made by hand: NaN and infinite values, values out of range, a blocking failure, input counts. */
    static QualityReport badValues() {
        Random rnd = new Random(7);
        Timeframe m5 = Timeframe.parse("5m");
        long open = Instant.parse("2024-01-08T07:00:00Z").toEpochMilli();
        CandleSeries.Builder cb = CandleSeries.builder("SBER").timeframe(m5);
        int n = 104;
        long[] ts = new long[n];
        double[] rsi = new double[n];
        double[] eng = new double[n];
        double[] custom = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = open + i * 300_000L;
            if (i < 40 || i > 45) {
                cb.add(ts[i], 10, 11, 9, 10.5, 100);
            }
            rsi[i] = rnd.nextDouble() * 100;
            eng[i] = rnd.nextInt(2);
            custom[i] = rnd.nextGaussian() * 1e-3;
        }
        rsi[3] = 100.5;
        rsi[9] = -2;
        custom[5] = Double.NaN;
        custom[6] = Double.POSITIVE_INFINITY;
        FeatureFrame f = FeatureFrame.of("SBER", "tech_v2", m5, List.of("rsi_14", "bullish_engulfing", "my_x"),
                List.of(FeatureKind.NUMERIC, FeatureKind.CATEGORICAL, FeatureKind.NUMERIC), ts,
                new double[][] {rsi, eng, custom});
        return QualityReport.builder("tech_v2", m5, "hand-1")
                .clock(Clock.fixed(Instant.parse("2024-01-09T12:00:00Z"), ZoneOffset.UTC))
                .range(Instant.parse("2024-01-08T00:00:00Z"), Instant.parse("2024-01-09T00:00:00Z"))
                .candles(cb.build()).inputStats(new InputStats("SBER", n + 2, 2, 1)).frame(f)
                .frame(FeatureFrame.of("GAZP", "tech_v2", m5, List.of("rsi_14"), List.of(FeatureKind.NUMERIC),
                        new long[0], new double[][] {new double[0]}))
                .fingerprint("0123abcd").build();
    }

    /**
     * A large run: {@code secids} secids x {@code features} features over five session days of 5m
     * candles, each secid missing a run of candles of its own length.
     */
    static QualityReport large(int secids, int features, long seed) {
        Random rnd = new Random(seed);
        Timeframe m5 = Timeframe.parse("5m");
        List<String> names = new ArrayList<>();
        List<FeatureKind> kinds = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            names.add("f_" + j);
            kinds.add(FeatureKind.NUMERIC);
        }
        QualityReport.Builder b = QualityReport.builder("big", m5, "large-1")
                .clock(Clock.fixed(Instant.parse("2024-01-15T12:00:00Z"), ZoneOffset.UTC))
                .range(Instant.parse("2024-01-08T00:00:00Z"), Instant.parse("2024-01-13T00:00:00Z"));
        for (int s = 0; s < secids; s++) {
            String secid = String.format("S%04d", s);
            int skipFrom = rnd.nextInt(500);
            int skipLength = rnd.nextInt(30);
            List<Long> times = new ArrayList<>();
            for (int d = 0; d < 5; d++) {
                long open = Instant.parse("2024-01-08T07:00:00Z").toEpochMilli() + d * 86_400_000L;
                for (int k = 0; k < 104; k++) {
                    int index = d * 104 + k;
                    if (index < skipFrom || index >= skipFrom + skipLength) {
                        times.add(open + k * 300_000L);
                    }
                }
            }
            CandleSeries.Builder cb = CandleSeries.builder(secid).timeframe(m5);
            long[] ts = new long[times.size()];
            double[][] cols = new double[features][times.size()];
            for (int i = 0; i < times.size(); i++) {
                ts[i] = times.get(i);
                cb.add(ts[i], 10, 11, 9, 10.5, 100);
                for (int j = 0; j < features; j++) {
                    cols[j][i] = rnd.nextGaussian() * (j + 1) + j;
                }
            }
            b.candles(cb.build()).frame(FeatureFrame.of(secid, "big", m5, names, kinds, ts, cols));
        }
        return b.build();
    }
}
