package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;

/**
 * The candles every benchmark runs on: the first {@code n} one-minute candles of
 * {@link SyntheticCandles} (Moscow session hours, clustered volatility, flat and missing minutes)
 * for one secid, and the same candles as a ta4j bar series.
 */
public final class BenchCandles {
    /** The instrument name the series carry. */
    public static final String SECID = "SBER";

    private BenchCandles() {
    }

    /**
     * A validated series of exactly {@code n} one-minute candles; the same seed gives the same
     * candles.
     */
    public static CandleSeries series(int n, long seed) {
        // At most 520 candles a session, about 1% of minutes missing: ask for a few sessions more.
        int days = (int) Math.ceil(n / (SyntheticCandles.MINUTES_PER_SESSION * 0.95)) + 1;
        CandleSeries all = SyntheticCandles.seed(seed).tradingDays(days).generate(SECID);
        if (all.size() < n) {
            throw new IllegalStateException("asked for " + n + " candles, the generator gave " + all.size());
        }
        return all.size() == n ? all : all.slice(0, n);
    }

    /** The same candles as a ta4j series of {@link DoubleNum} bars (each bar ends a minute after it opens). */
    public static BarSeries toBarSeries(CandleSeries candles) {
        BarSeries series = new BaseBarSeriesBuilder().withName(candles.secid()).withNumTypeOf(DoubleNum::valueOf).build();
        Duration period = Duration.ofMillis(candles.timeframe().orElseThrow().millis());
        long[] ts = Columns.ts(candles);
        double[] o = Columns.open(candles);
        double[] h = Columns.high(candles);
        double[] l = Columns.low(candles);
        double[] c = Columns.close(candles);
        double[] v = Columns.volume(candles);
        for (int i = 0; i < candles.size(); i++) {
            ZonedDateTime end = Instant.ofEpochMilli(ts[i]).plus(period).atZone(ZoneOffset.UTC);
            series.addBar(period, end, DoubleNum.valueOf(o[i]), DoubleNum.valueOf(h[i]), DoubleNum.valueOf(l[i]),
                    DoubleNum.valueOf(c[i]), DoubleNum.valueOf(v[i]));
        }
        return series;
    }
}
