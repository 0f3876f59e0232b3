package dev.featurestore.core.dataset;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.testing.TestCandles;

/** Seeded candle series for the dataset tests, starting at one common time. */
final class Series {
    static final Timeframe M5 = Timeframe.parse("5m");
    static final long START = TestCandles.START;

    private Series() {
    }

    /** A random walk of n 5m candles of {@code secid} from {@link #START}, with gaps when asked. */
    static CandleSeries walk(String secid, long seed, int n, boolean gaps) {
        CandleSeries s = TestCandles.randomWalk(seed, n, M5, gaps);
        long[] ts = s.timestamps();
        long shift = START - ts[0];
        for (int i = 0; i < ts.length; i++) {
            ts[i] += shift;
        }
        return CandleSeries.of(secid, M5, ts, s.opens(), s.highs(), s.lows(), s.closes(), s.volumes());
    }

    /**
     * The series with every candle not closed by {@code t} (its {@code available_at > t}) replaced by
     * another valid candle of a walk of {@code seed}; earlier candles are kept as they are.
     */
    static CandleSeries changedAfter(CandleSeries s, long t, long seed) {
        CandleSeries other = TestCandles.randomWalk(seed, s.size(), M5, false);
        long[] ts = s.timestamps();
        double[] o = s.opens();
        double[] h = s.highs();
        double[] l = s.lows();
        double[] c = s.closes();
        double[] v = s.volumes();
        ExchangeCalendar cal = ExchangeCalendar.defaultCalendar();
        for (int i = 0; i < ts.length; i++) {
            if (cal.availableAt(M5, ts[i]) > t) {
                o[i] = other.opens()[i];
                h[i] = other.highs()[i];
                l[i] = other.lows()[i];
                c[i] = other.closes()[i];
                v[i] = other.volumes()[i];
            }
        }
        return CandleSeries.of(s.secid(), M5, ts, o, h, l, c, v);
    }
}
