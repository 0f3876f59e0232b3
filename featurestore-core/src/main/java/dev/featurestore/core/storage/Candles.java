package dev.featurestore.core.storage;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The candles of a store: {@code store.candles().upsert(series)} to ingest, {@code read(...)} to
 * read back. Candles are kept at their own timeframe (1m, say) and keyed by (secid, timeframe,
 * ts); coarser timeframes are resampled from them when features are built.
 *
 * <pre>{@code
 * UpsertResult r = store.candles().upsert(series);   // idempotent
 * CandleSeries back = store.candles().read("SBER", Timeframe.parse("1m"), from, to);
 * }</pre>
 */
public final class Candles {
    private static final long WEEK = 7L * 24 * 3600 * 1000;

    private final FeatureStorage storage;
    private final ExchangeCalendar calendar;

    /**
     * The candles kept in {@code storage}, with {@code 1d} candles on the trading days of
     * {@code calendar} (the registry's {@link dev.featurestore.core.registry.FeatureRegistry#calendar()}).
     *
     * @param storage the storage the candles are kept in
     * @param calendar the exchange's trading days, which key {@code 1d} candles
     */
    public Candles(FeatureStorage storage, ExchangeCalendar calendar) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /**
     * Stores the candles idempotently: a candle already stored with the same values is left alone,
     * a different one with the same (secid, timeframe, ts) replaces it and is counted as replaced.
     * All or nothing. A {@code 1d} series is stored on the trading-day grid: each candle's
     * {@code ts} becomes the start of the exchange-zone day it lies in
     * ({@link ExchangeCalendar#onTradingDays(CandleSeries)}).
     *
     * @param series the candles of one instrument, with a timeframe; an empty one stores nothing
     * @return how many candles were inserted, replaced and found unchanged
     * @throws IllegalArgumentException when the series has no timeframe
     * @throws dev.featurestore.api.InvalidCandleException when two candles of a {@code 1d} series
     *     fall on one trading day, or a ts has none; nothing is stored then
     * @throws dev.featurestore.api.StorageException when the storage fails
     */
    public UpsertResult upsert(CandleSeries series) {
        Objects.requireNonNull(series, "series");
        if (series.timeframe().isEmpty()) {
            throw new IllegalArgumentException("series '" + series.secid() + "' has no timeframe; candles are stored "
                    + "keyed by (secid, timeframe, ts), so give it one (CandleSeries.builder(...).timeframe(...))");
        }
        if (series.size() == 0) {
            return new UpsertResult(0, 0, 0);
        }
        return storage.upsertCandles(calendar.onTradingDays(series));
    }

    /**
     * The stored candles with {@code from <= ts < to}, in time order (an empty series when none).
     *
     * @param secid the instrument's code
     * @param timeframe the timeframe the candles are stored at (not resampled)
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return the candles, oldest first, with this secid and timeframe
     */
    public CandleSeries read(String secid, Timeframe timeframe, Instant from, Instant to) {
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(timeframe, "timeframe");
        return storage.readCandles(secid, timeframe, Objects.requireNonNull(from, "from").toEpochMilli(),
                Objects.requireNonNull(to, "to").toEpochMilli());
    }

    /**
     * Like {@link #read(String, Timeframe, Instant, Instant)} with a timeframe such as {@code "1m"}.
     *
     * @param secid the instrument's code
     * @param timeframe the timeframe as text: {@code Nm}, {@code Nh} or {@code 1d}
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return the candles, oldest first
     * @throws IllegalArgumentException when the text is not a timeframe
     */
    public CandleSeries read(String secid, String timeframe, Instant from, Instant to) {
        return read(secid, Timeframe.parse(timeframe), from, to);
    }

    /**
     * Every stored candle of a secid and timeframe.
     *
     * @param secid the instrument's code
     * @param timeframe the timeframe the candles are stored at
     * @return the candles, oldest first; an empty series when none is stored
     */
    public CandleSeries readAll(String secid, Timeframe timeframe) {
        Objects.requireNonNull(secid, "secid");
        return storage.readCandles(secid, Objects.requireNonNull(timeframe, "timeframe"), Long.MIN_VALUE,
                Long.MAX_VALUE);
    }

    /**
     * The timeframes at which candles of {@code secid} are stored, finest first.
     *
     * @param secid the instrument's code
     * @return the timeframes, finest first; empty for an unknown secid
     */
    public List<Timeframe> timeframes(String secid) {
        return storage.candleTimeframes(Objects.requireNonNull(secid, "secid"));
    }

    /**
     * The open time of the newest stored candle with {@code from <= ts < to}: reads backwards from
     * {@code to} in windows growing fourfold from a week, so a nearly complete secid costs one
     * small read.
     *
     * @param secid the instrument's code
     * @param tf the timeframe the candles are stored at
     * @param from the first open time in epoch milliseconds
     * @param to the end of the range in epoch milliseconds, exclusive
     * @return the open time in epoch milliseconds, or empty when no candle is stored there
     */
    public OptionalLong newestTs(String secid, Timeframe tf, long from, long to) {
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(tf, "tf");
        long span = Math.max(WEEK, tf.millis() * 1024);
        long hi = to;
        while (hi > from) {
            long lo = hi - span;
            if (lo <= from || lo > hi) {
                lo = from; // reached the start, or hi - span overflowed
            }
            CandleSeries c = storage.readCandles(secid, tf, lo, hi);
            if (c.size() > 0) {
                return OptionalLong.of(c.ts(c.size() - 1));
            }
            hi = lo;
            span = span > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : span * 4;
        }
        return OptionalLong.empty();
    }

    @Override
    public String toString() {
        return "Candles[" + storage + "]";
    }
}
