package dev.featurestore.testkit;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Seeded random candle series for tests: a geometric random walk with valid candles (prices
 * above zero, low and high around open and close, volume at least zero), equal seeds giving
 * equal series. Some candles are flat (open = high = low = close) and some volumes zero, so the
 * neutral cases of the features are reached too.
 */
public final class RandomCandles {
    /** 2024-01-02T00:00:00Z, where series start unless told otherwise. */
    public static final long START = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();

    private RandomCandles() {
    }

    /**
     * {@return {@code n} consecutive candles of {@code timeframe} from {@link #START}}
     *
     * @param secid the instrument of the series
     * @param timeframe the timeframe, also the spacing of the candles; not null
     * @param n the number of candles, 0 or more
     * @param seed the random seed; equal seeds give equal series
     */
    public static CandleSeries series(String secid, Timeframe timeframe, int n, long seed) {
        return series(secid, timeframe, START, n, seed);
    }

    /**
     * {@return {@code n} consecutive candles of {@code timeframe}, the first opening at
     * {@code startTs}}
     *
     * @param secid the instrument of the series
     * @param timeframe the timeframe, also the spacing of the candles; not null
     * @param startTs the open time of the first candle, epoch ms UTC
     * @param n the number of candles, 0 or more
     * @param seed the random seed; equal seeds give equal series
     */
    public static CandleSeries series(String secid, Timeframe timeframe, long startTs, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CandleSeries.Builder b = CandleSeries.builder(secid).timeframe(timeframe).expectedSize(n);
        double price = 50 + random.nextDouble() * 200;
        long step = timeframe.millis();
        for (int i = 0; i < n; i++) {
            double open = price;
            double close = open * Math.exp(random.nextGaussian() * 0.002);
            double high;
            double low;
            double volume;
            if (random.nextInt(50) == 0) {
                close = open;
                high = open;
                low = open;
                volume = 0;
            } else {
                high = Math.max(open, close) * (1 + Math.abs(random.nextGaussian()) * 0.001);
                low = Math.min(open, close) * (1 - Math.abs(random.nextGaussian()) * 0.001);
                volume = Math.floor(random.nextDouble() * 10_000);
            }
            b.add(startTs + i * step, open, high, low, close, volume);
            price = close;
        }
        return b.build();
    }

    /**
     * A copy of {@code series} where the candle at row {@code row} has a different close (and a
     * high raised or a low lowered to stay valid).
     *
     * @param series the series to copy
     * @param row the row whose close changes; no candle changes when it is outside the series
     * @param factor what the close is multiplied by, above zero
     * @return a new series of the same secid and timeframe
     * @throws dev.featurestore.api.InvalidCandleException when {@code factor} makes the close
     *     zero, negative or infinite
     */
    public static CandleSeries withChangedClose(CandleSeries series, int row, double factor) {
        CandleSeries.Builder b = CandleSeries.builder(series.secid()).timeframe(series.timeframe().orElse(null))
                .expectedSize(series.size());
        for (int i = 0; i < series.size(); i++) {
            double o = series.open(i);
            double h = series.high(i);
            double l = series.low(i);
            double c = series.close(i);
            if (i == row) {
                c = c * factor;
                h = Math.max(h, c);
                l = Math.min(l, c);
            }
            b.add(series.ts(i), o, h, l, c, series.volume(i));
        }
        return b.build();
    }
}
