package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.num.DoubleNum;

/**
 * Seeded random 1-minute candles that look like a liquid stock's: a mean-reverting random walk of
 * the log price with volatility that comes and goes, prices on a 0.01 tick, open at the previous
 * close, wicks on both sides, log-normal volumes, and now and then a flat candle without trades
 * (open = high = low = close, volume 0), so every neutral-value branch of the kernels is taken.
 */
public final class RandomCandles {
    /** The instrument name the series carry. */
    public static final String SECID = "BENCH";

    private static final double TICK = 0.01;
    private static final double START_PRICE = 250.0;
    private static final long START_MILLIS = Instant.parse("2020-01-06T07:00:00Z").toEpochMilli();

    private RandomCandles() {
    }

    /** A validated series of {@code n} one-minute candles; the same seed gives the same candles. */
    public static CandleSeries series(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CandleSeries.Builder b = CandleSeries.builder(SECID).timeframe(Timeframe.ONE_MINUTE).expectedSize(n);
        double anchor = Math.log(START_PRICE);
        double logPrice = anchor;
        double prevClose = START_PRICE;
        double vol = 0.0008;
        long minute = Timeframe.ONE_MINUTE.millis();
        for (int i = 0; i < n; i++) {
            long ts = START_MILLIS + i * minute;
            // Volatility regime: a slow mean-reverting walk of log-volatility.
            vol = Math.exp(0.995 * Math.log(vol) + 0.005 * Math.log(0.0008) + 0.05 * random.nextGaussian());
            if (random.nextDouble() < 0.01) {
                b.add(ts, prevClose, prevClose, prevClose, prevClose, 0.0);
                continue;
            }
            logPrice += -2e-5 * (logPrice - anchor) + vol * random.nextGaussian();
            double open = prevClose;
            double close = tick(Math.exp(logPrice));
            double body = Math.max(open, close);
            double floor = Math.min(open, close);
            double high = tick(body * (1 + Math.abs(random.nextGaussian()) * vol * 0.6));
            double low = tick(floor * (1 - Math.abs(random.nextGaussian()) * vol * 0.6));
            high = Math.max(high, body);
            low = Math.max(TICK, Math.min(low, floor));
            double volume = Math.floor(Math.exp(7 + 1.2 * random.nextGaussian() + 300 * Math.abs(close / open - 1)));
            b.add(ts, open, high, low, close, volume);
            prevClose = close;
        }
        return b.build();
    }

    private static double tick(double price) {
        return Math.max(TICK, Math.round(price / TICK) * TICK);
    }

    /** The same candles as a ta4j series of {@link DoubleNum} bars (each bar ends a minute after it opens). */
    public static BarSeries toBarSeries(CandleSeries candles) {
        BarSeries series = new BaseBarSeriesBuilder().withName(candles.secid()).withNumTypeOf(DoubleNum::valueOf).build();
        Duration period = Duration.ofMillis(candles.timeframe().orElseThrow().millis());
        long[] ts = candles.ts();
        double[] o = candles.open();
        double[] h = candles.high();
        double[] l = candles.low();
        double[] c = candles.close();
        double[] v = candles.volume();
        for (int i = 0; i < candles.size(); i++) {
            ZonedDateTime end = Instant.ofEpochMilli(ts[i]).plus(period).atZone(ZoneOffset.UTC);
            series.addBar(period, end, DoubleNum.valueOf(o[i]), DoubleNum.valueOf(h[i]), DoubleNum.valueOf(l[i]),
                    DoubleNum.valueOf(c[i]), DoubleNum.valueOf(v[i]));
        }
        return series;
    }
}
