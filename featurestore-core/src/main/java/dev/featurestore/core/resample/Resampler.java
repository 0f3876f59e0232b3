package dev.featurestore.core.resample;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.api.internal.Columns;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Builds coarser candles from finer ones (usually 1m): each candle of the target timeframe is the
 * bucket {@code floor(ts / period)} in UTC (for {@code 1d}, the trading day of
 * {@link ExchangeCalendar}: the calendar day in the exchange's zone, keyed by its start), with the first open, the highest high, the lowest low, the last close and the summed
 * volume. A bucket without any source candle gives no row: gaps are never filled with invented
 * prices.
 *
 * <p>A bucket is final only once the source is known past its end: a later source candle exists,
 * or the caller states that the data is complete through a time. A still-forming last bucket is
 * left out, never returned as if final.
 */
public final class Resampler {
    private Resampler() {
    }

    /**
     * Resamples a series to a coarser timeframe.
     *
     * @param source the finer candles of one instrument, oldest first, with a timeframe
     * @param target the coarser timeframe, a whole multiple of the source's (for {@code 1d}: a
     *     divisor of a day); the same timeframe returns {@code source} itself
     * @param completeThrough the time through which the caller knows the source to be complete, or
     *     null when only the data itself says so (then the last bucket is dropped)
     * @param exchangeZone the zone of a {@code 1d} day
     * @return the final buckets only, oldest first, at {@code target}; no row for a bucket without
     *     source candles
     * @throws InvalidQueryException when the series has no timeframe, or the target is not a
     *     whole multiple of it
     */
    public static CandleSeries resample(CandleSeries source, Timeframe target, Instant completeThrough,
            ZoneId exchangeZone) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Timeframe from = source.timeframe().orElseThrow(() -> new InvalidQueryException("series '" + source.secid()
                + "' has no timeframe, so it cannot be resampled to " + target
                + "; give its timeframe when building the series"));
        if (target.millis() < from.millis() || (!target.isDaily() && target.millis() % from.millis() != 0)
                || (target.isDaily() && 86_400_000L % from.millis() != 0)) {
            throw new InvalidQueryException("cannot resample series '" + source.secid() + "' from " + from + " to "
                    + target + ": the target must be a whole multiple of the source timeframe");
        }
        if (target.equals(from)) {
            return source;
        }
        long[] ts = Columns.ts(source);
        double[] o = Columns.open(source);
        double[] h = Columns.high(source);
        double[] l = Columns.low(source);
        double[] c = Columns.close(source);
        double[] v = Columns.volume(source);
        int n = ts.length;
        long period = target.millis();
        ExchangeCalendar calendar = ExchangeCalendar.of(exchangeZone);
        long complete = completeThrough == null ? Long.MIN_VALUE : completeThrough.toEpochMilli();
        CandleSeries.Builder out = CandleSeries.builder(source.secid()).timeframe(target)
                .expectedSize((int) Math.min(n, (n * from.millis()) / period + 2));
        int i = 0;
        while (i < n) {
            long bucket = target.isDaily() ? calendar.tradingDayStart(source.secid(), i, ts[i])
                    : Math.floorDiv(ts[i], period) * period;
            long end = calendar.availableAt(target, bucket);
            double open = o[i];
            double high = h[i];
            double low = l[i];
            double close = c[i];
            double volume = v[i];
            int j = i + 1;
            while (j < n && ts[j] < end) {
                high = Math.max(high, h[j]);
                low = Math.min(low, l[j]);
                close = c[j];
                volume += v[j];
                j++;
            }
            boolean isFinal = j < n || complete >= end;
            if (isFinal) {
                out.add(bucket, open, high, low, close, volume);
            }
            i = j;
        }
        return out.build();
    }
}
