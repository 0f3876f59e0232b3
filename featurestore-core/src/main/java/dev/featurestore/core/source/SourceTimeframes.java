package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.resample.Resampler;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.function.Consumer;

/** How a source serves a timeframe it does not hold: from the coarsest native one that divides it. */
final class SourceTimeframes {
    private SourceTimeframes() {
    }

    /** The native timeframe to read for {@code target}, or null when none can give it. */
    static Timeframe baseFor(Set<Timeframe> natives, Timeframe target) {
        if (natives.contains(target)) {
            return target;
        }
        Timeframe best = null;
        for (Timeframe base : natives) {
            if (base.isDaily() || base.millis() >= target.millis()) {
                continue;
            }
            boolean divides = target.isDaily() ? 86_400_000L % base.millis() == 0 : target.millis() % base.millis() == 0;
            if (divides && (best == null || base.millis() > best.millis())) {
                best = base;
            }
        }
        return best;
    }

    static Timeframe requireBase(String source, Set<Timeframe> natives, Timeframe target) {
        Timeframe base = baseFor(natives, target);
        if (base == null) {
            throw new IllegalArgumentException(source + " cannot deliver timeframe " + target + ": it holds "
                    + natives + " and can resample only to whole multiples of those");
        }
        return base;
    }

    static void checkRange(Instant from, Instant to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }

    /**
     * The range of base candles to read so that every target bucket opening in {@code [from, to)}
     * is whole: {@code from} rounded down and {@code to} rounded up to the target period (a day in
     * {@code zone} for 1d).
     */
    static long[] baseRange(Timeframe target, long from, long to, ZoneId zone) {
        if (target.isDaily()) {
            ExchangeCalendar calendar = ExchangeCalendar.of(zone);
            long start = calendar.tradingDayStart(from);
            long end = calendar.nextDayStart(to - 1);
            return new long[] {start, Math.max(start, end)};
        }
        long p = target.millis();
        long start = Math.floorDiv(from, p) * p;
        long end = -Math.floorDiv(-to, p) * p;
        return new long[] {start, end};
    }

    /**
     * Resamples base candles (covering the aligned range) to {@code target}, keeps the buckets
     * opening in {@code [from, to)} and hands them on when any; buckets that may still be forming
     * after {@code completeThrough} are left out.
     */
    static void resampleInto(CandleSeries base, Timeframe target, long from, long to, Instant completeThrough,
            ZoneId zone, Consumer<CandleSeries> pages) {
        if (base.size() == 0) {
            return;
        }
        CandleSeries resampled = Resampler.resample(base, target, completeThrough, zone);
        long[] ts = Columns.ts(resampled);
        int a = 0;
        while (a < ts.length && ts[a] < from) {
            a++;
        }
        int b = a;
        while (b < ts.length && ts[b] < to) {
            b++;
        }
        if (b > a) {
            pages.accept(a == 0 && b == ts.length ? resampled : resampled.slice(a, b));
        }
    }
}
