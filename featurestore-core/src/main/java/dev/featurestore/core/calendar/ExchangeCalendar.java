package dev.featurestore.core.calendar;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The one place that knows when a candle opens, when it is known, and which day a date names: the
 * exchange's trading days in its time zone ({@code exchange.timezone} of the registry, default
 * {@code Europe/Moscow}).
 *
 * <p>The rules:
 * <ul>
 *   <li>A trading day is a calendar day in the exchange zone (no holiday calendar: a weekend or a
 *       holiday is a day on which no candle happens to exist). It starts at the zone's first
 *       instant of that date ({@link #dayStart(LocalDate)}), which is midnight unless a DST change
 *       skips it, and ends where the next date starts, so a day lasts 23, 24 or 25 hours.</li>
 *   <li>A {@code 1d} candle's {@code ts} is the start of its trading day. A source instant maps to
 *       the trading day it lies in, that is to the exchange-zone date of the instant
 *       ({@link #tradingDayStart(long)}): a Moscow Exchange ISS candle keyed at Moscow midnight
 *       stays where it is, and a CSV row keyed at {@code 00:00Z} of a date lands on that date in
 *       Moscow (03:00 there) but on the day before in New York (19:00 or 20:00 there).</li>
 *   <li>A row's {@code available_at} is its candle's end ({@link #availableAt(Timeframe, long)}):
 *       {@code ts + timeframe} below a day, the next trading day's start for {@code 1d}.</li>
 *   <li>"As of T" means {@code available_at <= T}; {@link #lastOpenAvailableBy(Timeframe, long)}
 *       turns T into the equivalent bound on {@code ts} ({@code ts <= bound}) so that storages
 *       compare open times only and never need to know the zone.</li>
 *   <li>A date given for a range or a file name is a trading date for {@code 1d} and a UTC date
 *       for every shorter timeframe ({@link #rangeStart}, {@link #rangeEnd}, {@link #fileDate}).</li>
 * </ul>
 *
 * <pre>{@code
 * ExchangeCalendar cal = store.registry().calendar();
 * long ts = cal.tradingDayStart(sourceTs);                  // the 1d candle's ts
 * long known = cal.availableAt(Timeframe.parse("1d"), ts);  // the next trading day's start
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ExchangeCalendar {
    /** The exchange zone when the registry names none: the Moscow Exchange's. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Moscow");

    private static final ExchangeCalendar DEFAULT = new ExchangeCalendar(DEFAULT_ZONE);

    private final ZoneId zone;

    private ExchangeCalendar(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * The calendar of trading days in {@code zone}.
     *
     * @param zone the exchange's time zone, e.g. {@code Europe/Moscow}
     * @return the calendar; the shared {@link #defaultCalendar()} for {@link #DEFAULT_ZONE}
     */
    public static ExchangeCalendar of(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(DEFAULT_ZONE) ? DEFAULT : new ExchangeCalendar(zone);
    }

    /** {@return the calendar of {@link #DEFAULT_ZONE}, one shared instance} */
    public static ExchangeCalendar defaultCalendar() {
        return DEFAULT;
    }

    /** {@return the exchange's time zone, in which trading days are calendar days} */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The trading date an instant lies in: its calendar date in the exchange zone.
     *
     * @param instantMillis the instant, epoch milliseconds UTC
     * @return the exchange-zone date of the instant
     * @throws DateTimeException when the instant has no date in the zone (beyond the supported range)
     */
    public LocalDate tradingDate(long instantMillis) {
        return Instant.ofEpochMilli(instantMillis).atZone(zone).toLocalDate();
    }

    /**
     * The start of a trading date, epoch milliseconds UTC.
     *
     * @param date a trading date
     * @return the zone's first instant of the date, epoch milliseconds UTC (midnight unless a DST
     *     change skips it)
     * @throws ArithmeticException when the start is beyond the range of epoch milliseconds
     */
    public long dayStart(LocalDate date) {
        return date.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /**
     * The start of the trading day an instant lies in (the {@code ts} of the {@code 1d} candle it
     * belongs to); an instant that is a day's start maps to itself.
     *
     * @param instantMillis the instant, epoch milliseconds UTC
     * @return the start of its trading day, epoch milliseconds UTC, at or before the instant
     * @throws DateTimeException or {@link ArithmeticException} when the day has no start in the
     *     range of epoch milliseconds
     */
    public long tradingDayStart(long instantMillis) {
        return dayStart(tradingDate(instantMillis));
    }

    /**
     * The start of the trading day after the one an instant lies in.
     *
     * @param instantMillis the instant, epoch milliseconds UTC
     * @return the next trading day's start, epoch milliseconds UTC, after the instant
     * @throws DateTimeException or {@link ArithmeticException} when the day has no start in the
     *     range of epoch milliseconds
     */
    public long nextDayStart(long instantMillis) {
        return dayStart(tradingDate(instantMillis).plusDays(1));
    }

    /**
     * The open time of the candle of {@code timeframe} that an instant lies in: the trading day's
     * start for {@code 1d}, {@code floor(ts / period) * period} (in UTC) below a day.
     *
     * @param timeframe the candles' timeframe
     * @param instantMillis the instant, epoch milliseconds UTC
     * @return the candle's open time, epoch milliseconds UTC, at or before the instant
     */
    public long candleStart(Timeframe timeframe, long instantMillis) {
        if (timeframe.isDaily()) {
            return tradingDayStart(instantMillis);
        }
        long period = timeframe.millis();
        return Math.floorDiv(instantMillis, period) * period;
    }

    /**
     * When the features of the candle opened at {@code ts} are known, its {@code available_at}:
     * the candle's end, {@code ts + timeframe} below a day and the next trading day's start for
     * {@code 1d} (23 or 25 hours after {@code ts} across a DST change). Saturates at
     * {@link Long#MAX_VALUE}.
     *
     * @param timeframe the candle's timeframe
     * @param ts the candle's open time, epoch milliseconds UTC
     * @return the candle's end, epoch milliseconds UTC, after {@code ts}
     */
    public long availableAt(Timeframe timeframe, long ts) {
        if (timeframe.isDaily()) {
            try {
                return nextDayStart(ts);
            } catch (DateTimeException | ArithmeticException e) {
                return ts < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
        }
        long end = ts + timeframe.millis();
        return end < ts ? Long.MAX_VALUE : end;
    }

    /**
     * The as-of cut-off as a bound on open times: the rows with {@code available_at <= asOf} are
     * exactly those with {@code ts <= lastOpenAvailableBy(timeframe, asOf)}. Below a day that is
     * {@code asOf - timeframe}; for {@code 1d} it is one millisecond before the start of the
     * trading day {@code asOf} lies in (that day's candle is still forming). {@link Long#MAX_VALUE}
     * (no cut-off) stays itself; an underflow saturates at {@link Long#MIN_VALUE}.
     *
     * @param timeframe the candles' timeframe
     * @param asOfMillis the as-of time T, epoch milliseconds UTC, or {@link Long#MAX_VALUE} for none
     * @return the largest open time, epoch milliseconds UTC, of a candle known by T (inclusive bound)
     */
    public long lastOpenAvailableBy(Timeframe timeframe, long asOfMillis) {
        if (asOfMillis == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        if (timeframe.isDaily()) {
            try {
                return tradingDayStart(asOfMillis) - 1;
            } catch (DateTimeException | ArithmeticException e) {
                return asOfMillis < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
        }
        long bound = asOfMillis - timeframe.millis();
        return bound > asOfMillis ? Long.MIN_VALUE : bound;
    }

    /**
     * The first instant of a range given by its first date: the trading day's start for
     * {@code 1d}, {@code 00:00Z} of the date below a day.
     *
     * @param timeframe the timeframe of the candles in the range
     * @param first the range's first date
     * @return the range's start, included
     */
    public Instant rangeStart(Timeframe timeframe, LocalDate first) {
        return Instant.ofEpochMilli(timeframe.isDaily() ? dayStart(first)
                : first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    }

    /**
     * The end (exclusive) of a range given by its last date: the start of the next date, so that a
     * {@code 1d} range of N trading dates holds N candles.
     *
     * @param timeframe the timeframe of the candles in the range
     * @param last the range's last date, included
     * @return the range's end, excluded: the start of the date after {@code last}
     */
    public Instant rangeEnd(Timeframe timeframe, LocalDate last) {
        return rangeStart(timeframe, last.plusDays(1));
    }

    /**
     * The date an instant names for {@code timeframe} (snapshot file names {@code YYYYMMDD}): its
     * trading date for {@code 1d}, its UTC date below a day.
     *
     * @param timeframe the snapshot's timeframe
     * @param instantMillis the instant, epoch milliseconds UTC
     * @return the date for the file name
     */
    public LocalDate fileDate(Timeframe timeframe, long instantMillis) {
        return timeframe.isDaily() ? tradingDate(instantMillis)
                : LocalDate.ofInstant(Instant.ofEpochMilli(instantMillis), ZoneOffset.UTC);
    }

    /**
     * The series on the trading-day grid: for a {@code 1d} series, every {@code ts} replaced by
     * {@link #tradingDayStart(long)} (the same series when each already is one); any other series
     * as it is.
     *
     * @param series any series of candles
     * @return the series keyed by trading-day starts; {@code series} itself when nothing changes
     * @throws InvalidCandleException naming the secid, row, ts and field {@code ts} when a
     *     timestamp has no trading day, or two candles fall on the same trading day
     */
    public CandleSeries onTradingDays(CandleSeries series) {
        Objects.requireNonNull(series, "series");
        if (series.timeframe().isEmpty() || !series.timeframe().get().isDaily()) {
            return series;
        }
        long[] ts = Columns.ts(series);
        long[] mapped = null;
        for (int i = 0; i < ts.length; i++) {
            long day = tradingDayStart(series.secid(), i, ts[i]);
            if (i > 0 && day <= (mapped != null ? mapped[i - 1] : ts[i - 1])) {
                throw new InvalidCandleException(series.secid(), i, ts[i], "ts", ts[i], "falls on trading day "
                        + tradingDate(day) + " (" + zone + "), as does row " + (i - 1) + " (ts "
                        + Instant.ofEpochMilli(ts[i - 1]) + "); a 1d series holds one candle per trading day, "
                        + "keyed by the day's start " + Instant.ofEpochMilli(day));
            }
            if (day != ts[i] && mapped == null) {
                mapped = ts.clone();
            }
            if (mapped != null) {
                mapped[i] = day;
            }
        }
        if (mapped == null) {
            return series;
        }
        return Columns.candles(series.secid(), series.timeframe().get(), mapped, Columns.open(series),
                Columns.high(series), Columns.low(series), Columns.close(series), Columns.volume(series));
    }

    /**
     * {@link #tradingDayStart(long)} of one candle, refusing a timestamp that has none with an
     * {@link InvalidCandleException} naming the secid, row, ts and field {@code ts}.
     *
     * @param secid the candle's instrument, for the message
     * @param row the candle's 0-based row in its series, for the message
     * @param ts the candle's timestamp, epoch milliseconds UTC
     * @return the start of its trading day, epoch milliseconds UTC
     * @throws InvalidCandleException when the timestamp has no trading day within the range of
     *     epoch milliseconds
     */
    public long tradingDayStart(String secid, int row, long ts) {
        try {
            return tradingDayStart(ts);
        } catch (DateTimeException | ArithmeticException e) {
            throw new InvalidCandleException(secid, row, ts, "ts", ts, "has no trading day in " + zone
                    + " within the range of epoch milliseconds (" + e.getMessage() + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExchangeCalendar && ((ExchangeCalendar) o).zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return zone.hashCode();
    }

    @Override
    public String toString() {
        return "ExchangeCalendar[" + zone + "]";
    }
}
