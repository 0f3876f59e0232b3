package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Candles from a CSV file with a header row naming the columns {@code secid, ts, open, high, low,
 * close, volume} (in any order, any letter case; other columns are ignored; a leading byte-order mark
 * is skipped). One file may hold
 * several secids. {@code ts} is the candle's open time, ISO-8601 with an offset or {@code Z}
 * ({@code 2024-01-08T07:00:00Z}, {@code 2024-01-08T10:00:00+03:00}) or epoch milliseconds. In a
 * file of {@code 1d} candles, each {@code ts} is mapped to the start of the trading day it lies in,
 * in the exchange zone ({@link #exchangeZone(ZoneId)}, {@code Europe/Moscow} by default; see
 * {@link ExchangeCalendar}): {@code 2024-01-08T00:00:00Z} is 03:00 in Moscow and becomes
 * {@code 2024-01-07T21:00:00Z}, the start of 8 January there.
 *
 * <pre>{@code
 * CsvCandleSource csv = CsvCandleSource.of(Path.of("candles.csv"), Timeframe.ONE_MINUTE);
 * CandleSeries sber5m = csv.fetch("SBER", Timeframe.parse("5m"), from, to);   // resampled from 1m
 * Map<String, CsvCandleSource.Secid> all = csv.readAll(from, to);             // every secid, one pass
 * }</pre>
 *
 * <p>Rows need not be sorted: they are sorted by time, and a repeated timestamp keeps the last row
 * read; both are counted in {@link InputStats} for the quality report. With {@link #strict()} an
 * unsorted or repeated row is an error instead. A row that cannot be read, or a candle that breaks
 * the {@link CandleSeries} rules, is a {@link SourceException} naming the file, line, column and
 * reason; every row of the file is checked, whatever secid and range is asked for (see
 * {@link CsvCandleFile}, the parser this source shares with the command line). The file is read
 * once and its rows kept until it changes (size, modification time or identity), so an ingest of
 * many secids reads it once, not once per secid; memory holds the rows of the whole file.
 *
 * <p>Immutable and thread-safe; each option returns a new source.
 */
public final class CsvCandleSource implements CandleSource {
    /** The name of this source in errors. */
    public static final String NAME = "csv";
    /** The columns a file must have. */
    public static final List<String> COLUMNS = CsvCandleFile.COLUMNS;

    private final Path file;
    private final Timeframe timeframe;
    private final boolean strict;
    private final ZoneId exchangeZone;
    private final Instant completeThrough;
    private final Cache cache = new Cache();

    private CsvCandleSource(Path file, Timeframe timeframe, boolean strict, ZoneId exchangeZone,
            Instant completeThrough) {
        this.file = file;
        this.timeframe = timeframe;
        this.strict = strict;
        this.exchangeZone = exchangeZone;
        this.completeThrough = completeThrough;
    }

    /**
     * A source over one file whose candles have the given timeframe. The file is read only when
     * candles are asked for.
     *
     * @param file the CSV file, UTF-8 with a header row
     * @param timeframe the timeframe of every candle in the file; coarser ones are resampled from it
     * @return a lenient source (unsorted and repeated rows are counted, not refused) in the
     *     {@link ExchangeCalendar#DEFAULT_ZONE}
     */
    public static CsvCandleSource of(Path file, Timeframe timeframe) {
        return new CsvCandleSource(Objects.requireNonNull(file, "file"), Objects.requireNonNull(timeframe, "timeframe"),
                false, ExchangeCalendar.DEFAULT_ZONE, null);
    }

    /** {@return the same source, where an unsorted or repeated timestamp is an error naming the line} */
    public CsvCandleSource strict() {
        return new CsvCandleSource(file, timeframe, true, exchangeZone, completeThrough);
    }

    /**
     * The same source with the trading days of this zone ({@code Europe/Moscow} by default): the
     * day a {@code 1d} candle of the file is keyed by, and the days {@code 1d} candles are
     * resampled on.
     *
     * @param zone the exchange's time zone
     * @return a new source in this zone, the other options unchanged
     */
    public CsvCandleSource exchangeZone(ZoneId zone) {
        return new CsvCandleSource(file, timeframe, strict, Objects.requireNonNull(zone, "zone"), completeThrough);
    }

    /**
     * The same source, stating that the file is complete through {@code time}: a resampled bucket
     * ending by then is final even when no later candle follows it. Without it, the last bucket of
     * the file is left out when it has no later candle (it might still be forming).
     *
     * @param time the end of the file's complete candles
     * @return a new source with this completeness bound, the other options unchanged
     */
    public CsvCandleSource completeThrough(Instant time) {
        return new CsvCandleSource(file, timeframe, strict, exchangeZone, Objects.requireNonNull(time, "time"));
    }

    /** {@return the file read, as given} */
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Timeframe> nativeTimeframes() {
        return Set.of(timeframe);
    }

    @Override
    public boolean supports(Timeframe target) {
        return SourceTimeframes.baseFor(nativeTimeframes(), target) != null;
    }

    @Override
    public InputStats stream(String secid, Timeframe target, Instant from, Instant to, Consumer<CandleSeries> pages) {
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(pages, "pages");
        SourceTimeframes.requireBase(NAME + " file " + file, nativeTimeframes(), target);
        SourceTimeframes.checkRange(from, to);
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        long[] range = target.equals(timeframe) ? new long[] {f, t}
                : SourceTimeframes.baseRange(target, f, t, exchangeZone);
        Secid result = parsed().secid(secid, range[0], range[1]);
        if (result == null) {
            return InputStats.empty(secid);
        }
        if (target.equals(timeframe)) {
            if (result.series().size() > 0) {
                pages.accept(result.series());
            }
        } else {
            SourceTimeframes.resampleInto(result.series(), target, f, t, completeThrough, exchangeZone, pages);
        }
        return result.stats();
    }

    /**
     * The candles of the file for the secid in the range, counted (the file is read once and kept,
     * as {@link #stream} reads it), when asked at the file's own timeframe; empty when resampled.
     *
     * @param secid the instrument
     * @param target the timeframe asked of {@link #stream}
     * @param from the first open time
     * @param to the end, exclusive
     * @return the count, or empty when the candles are resampled to {@code target}
     * @throws SourceException when the file cannot be read or breaks a rule
     */
    @Override
    public OptionalLong expectedCandles(String secid, Timeframe target, Instant from, Instant to) {
        if (!target.equals(timeframe) || from.isAfter(to)) {
            return OptionalLong.empty();
        }
        Secid result = parsed().secid(secid, from.toEpochMilli(), to.toEpochMilli());
        return OptionalLong.of(result == null ? 0 : result.series().size());
    }

    /**
     * Every secid of the file and the range of its candles, {@code [first open, last close)}; empty
     * when the file holds no candle.
     *
     * @return the secids in order and the range of their candles, or empty
     * @throws SourceException when the file cannot be read or breaks a rule
     */
    @Override
    public Optional<Extent> extent() {
        Map<String, Secid> all = readAll();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Secid s : all.values()) {
            CandleSeries c = s.series();
            if (c.size() > 0) {
                first = Math.min(first, c.ts(0));
                last = Math.max(last, c.ts(c.size() - 1));
            }
        }
        if (first == Long.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new Extent(List.copyOf(all.keySet()), Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(ExchangeCalendar.of(exchangeZone).availableAt(timeframe, last))));
    }

    /**
     * Every secid of the file with its candles opening in {@code [from, to)} (at the file's own
     * timeframe), in one pass, ordered by secid.
     *
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return per secid with candles in the range, ordered by secid: its candles and the counts of
     *     its raw rows in the range; empty when none
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     * @throws SourceException when the file cannot be read or breaks a rule
     */
    public Map<String, Secid> readAll(Instant from, Instant to) {
        SourceTimeframes.checkRange(from, to);
        return Collections.unmodifiableMap(new TreeMap<>(parsed().secids(from.toEpochMilli(), to.toEpochMilli())));
    }

    /**
     * Every secid of the file with all its candles; see {@link #readAll(Instant, Instant)}.
     *
     * @return per secid, ordered by secid, its candles and raw-row counts
     * @throws SourceException when the file cannot be read or breaks a rule
     */
    public Map<String, Secid> readAll() {
        return readAll(Instant.ofEpochMilli(Long.MIN_VALUE), Instant.ofEpochMilli(Long.MAX_VALUE));
    }

    /**
     * The candles of one secid of a file and what its raw rows looked like.
     *
     * @param series the validated candles, sorted and de-duplicated
     * @param stats rows read, repeated timestamps and out-of-order rows, for the quality report
     */
    public record Secid(CandleSeries series, InputStats stats) {
    }

    /**
     * The file as last read, read again when its size, modification time or identity changed
     * since: an ingest of many secids reads it once, not once per secid.
     */
    private CsvCandleFile parsed() {
        Object key;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            key = List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            key = null; // let the read report it
        }
        synchronized (cache) {
            if (key == null || !key.equals(cache.key)) {
                cache.file = null;
                cache.file = CsvCandleFile.read(file, timeframe, strict, ExchangeCalendar.of(exchangeZone));
                cache.key = key;
            }
            return cache.file;
        }
    }

    /** The last read of the file, one per source object (an option makes a new source with its own). */
    private static final class Cache {
        Object key;
        CsvCandleFile file;
    }

    @Override
    public String toString() {
        return "CsvCandleSource[" + file + ", " + timeframe + (strict ? ", strict" : "") + "]";
    }
}
