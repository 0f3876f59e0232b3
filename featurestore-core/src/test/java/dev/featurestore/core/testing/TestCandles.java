package dev.featurestore.core.testing;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/** Candle series for tests: the real series under {@code data/}, seeded random walks, naive resampling. */
public final class TestCandles {
    /** 2024-01-02T00:00:00Z, a Tuesday, where random series start (plus a random offset). */
    public static final long START = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();

    private TestCandles() {
    }

    /** The AAPL 2013 daily bars, without a timeframe (weekend gaps). */
    public static CandleSeries aaplDaily() {
        return csv("data/aapl_2013_1d.csv", null);
    }

    /** The Bitstamp BTC/USD 1-minute candles aggregated from real trades. */
    public static CandleSeries btcOneMinute() {
        return csv("data/btcusd_bitstamp_1m.csv.gz", Timeframe.ONE_MINUTE);
    }

    /** Reads a {@code secid,ts,open,high,low,close,volume} resource (gzip when the name ends in .gz). */
    public static CandleSeries csv(String resource, Timeframe timeframe) {
        InputStream raw = TestCandles.class.getClassLoader().getResourceAsStream(resource);
        if (raw == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        try (InputStream in = resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String header = reader.readLine();
            if (!"secid,ts,open,high,low,close,volume".equals(header)) {
                throw new IllegalStateException(resource + ": unexpected header " + header);
            }
            CandleSeries.Builder b = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split(",", -1);
                if (b == null) {
                    b = CandleSeries.builder(f[0]).timeframe(timeframe);
                }
                b.add(Instant.parse(f[1]).toEpochMilli(), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
            }
            if (b == null) {
                throw new IllegalStateException(resource + " holds no candle");
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A realistic random walk of {@code n} candles: prices on a tick grid (so equal prices are
     * the same double), flat stretches of identical candles (h = l, constant volume), candles
     * with h = l, zero volumes, opening gaps, trends and volatile bursts. Timestamps are spaced
     * by {@code timeframe} (1m when null), with occasional missing candles when {@code gaps}.
     */
    public static CandleSeries randomWalk(long seed, int n, Timeframe timeframe, boolean gaps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] ticks = {0.01, 0.05, 0.25, 0.0001, 1.0, 0.5};
        double tick = ticks[rnd.nextInt(ticks.length)];
        long price = Math.max(20, (long) (rnd.nextDouble(20, 5000) / tick)); // in ticks
        long step = (timeframe == null ? Timeframe.ONE_MINUTE : timeframe).millis();
        long ts = START + rnd.nextInt(0, 1440) * 60_000L;
        CandleSeries.Builder b = CandleSeries.builder("RND" + seed).timeframe(timeframe).expectedSize(n);
        double sigma = Math.max(1, price * 0.002); // ticks per candle
        int regimeLeft = 0;
        int regime = 0; // 0 normal, 1 flat, 2 trend up, 3 trend down, 4 burst
        double flatVolume = 0;
        for (int i = 0; i < n; i++) {
            if (regimeLeft == 0) {
                int r = rnd.nextInt(100);
                regime = r < 60 ? 0 : r < 75 ? 1 : r < 85 ? 2 : r < 95 ? 3 : 4;
                regimeLeft = regime == 1 ? rnd.nextInt(3, 30) : rnd.nextInt(5, 80);
                flatVolume = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1, 1000);
            }
            regimeLeft--;
            long open = price;
            if (regime != 1 && rnd.nextInt(20) == 0) {
                open = Math.max(1, price + Math.round(rnd.nextGaussian() * sigma * 3));
            }
            long close;
            long high;
            long low;
            double volume;
            if (regime == 1) {
                close = open;
                high = open;
                low = open;
                volume = flatVolume;
            } else {
                double drift = regime == 2 ? sigma * 0.5 : regime == 3 ? -sigma * 0.5 : 0;
                double scale = regime == 4 ? sigma * 5 : sigma;
                close = Math.max(1, open + Math.round(drift + rnd.nextGaussian() * scale));
                if (rnd.nextInt(10) == 0) {
                    close = open;
                }
                int shape = rnd.nextInt(10);
                high = Math.max(open, close) + (shape == 0 ? 0 : Math.round(Math.abs(rnd.nextGaussian()) * scale));
                low = Math.min(open, close) - (shape == 1 ? 0 : Math.round(Math.abs(rnd.nextGaussian()) * scale));
                low = Math.max(1, low);
                if (shape == 2) {
                    close = open;
                    high = open;
                    low = open;
                }
                int vk = rnd.nextInt(10);
                volume = vk == 0 ? 0 : vk == 1 ? rnd.nextInt(1, 5) : Math.floor(rnd.nextDouble() * 10000) / 4;
            }
            b.add(ts, open * tick, high * tick, low * tick, close * tick, volume);
            price = close;
            ts += step;
            if (gaps && rnd.nextInt(12) == 0) {
                ts += step * rnd.nextInt(1, 30);
            }
        }
        return b.build();
    }

    /**
     * Naive resampling for checking the library: buckets {@code floor(ts / period)}, first open,
     * max high, min low, last close, summed volume; every bucket kept, including the last.
     */
    public static CandleSeries aggregate(CandleSeries src, Timeframe target) {
        long period = target.millis();
        long[] ts = src.timestamps();
        CandleSeries.Builder b = CandleSeries.builder(src.secid()).timeframe(target);
        int i = 0;
        while (i < ts.length) {
            long bucket = Math.floorDiv(ts[i], period) * period;
            double o = src.open(i);
            double h = src.high(i);
            double l = src.low(i);
            double c = src.close(i);
            double v = src.volume(i);
            int j = i + 1;
            for (; j < ts.length && Math.floorDiv(ts[j], period) * period == bucket; j++) {
                h = Math.max(h, src.high(j));
                l = Math.min(l, src.low(j));
                c = src.close(j);
                v += src.volume(j);
            }
            b.add(bucket, o, h, l, c, v);
            i = j;
        }
        return b.build();
    }
}
