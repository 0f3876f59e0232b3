package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

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
 * reason. The file is read again on each call (nothing is cached), so memory stays bounded by the
 * rows of the requested secid and range.
 *
 * <p>Immutable and thread-safe; each option returns a new source.
 */
public final class CsvCandleSource implements CandleSource {
    /** The name of this source in errors. */
    public static final String NAME = "csv";
    /** The columns a file must have. */
    public static final List<String> COLUMNS = List.of("secid", "ts", "open", "high", "low", "close", "volume");

    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?[0-9]{1,19}");

    private final Path file;
    private final Timeframe timeframe;
    private final boolean strict;
    private final ZoneId exchangeZone;
    private final Instant completeThrough;

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
     */
    public static CsvCandleSource of(Path file, Timeframe timeframe) {
        return new CsvCandleSource(Objects.requireNonNull(file, "file"), Objects.requireNonNull(timeframe, "timeframe"),
                false, ExchangeCalendar.DEFAULT_ZONE, null);
    }

    /** The same source, where an unsorted or repeated timestamp is an error naming the line. */
    public CsvCandleSource strict() {
        return new CsvCandleSource(file, timeframe, true, exchangeZone, completeThrough);
    }

    /**
     * The same source with the trading days of this zone ({@code Europe/Moscow} by default): the
     * day a {@code 1d} candle of the file is keyed by, and the days {@code 1d} candles are
     * resampled on.
     */
    public CsvCandleSource exchangeZone(ZoneId zone) {
        return new CsvCandleSource(file, timeframe, strict, Objects.requireNonNull(zone, "zone"), completeThrough);
    }

    /**
     * The same source, stating that the file is complete through {@code time}: a resampled bucket
     * ending by then is final even when no later candle follows it. Without it, the last bucket of
     * the file is left out when it has no later candle (it might still be forming).
     */
    public CsvCandleSource completeThrough(Instant time) {
        return new CsvCandleSource(file, timeframe, strict, exchangeZone, Objects.requireNonNull(time, "time"));
    }

    /** The file read. */
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
        Map<String, RawRows.Result> read = read(secid, range[0], range[1]);
        RawRows.Result result = read.get(secid);
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
     * Every secid of the file with its candles opening in {@code [from, to)} (at the file's own
     * timeframe), in one pass, ordered by secid.
     */
    public Map<String, Secid> readAll(Instant from, Instant to) {
        SourceTimeframes.checkRange(from, to);
        Map<String, Secid> out = new TreeMap<>();
        for (Map.Entry<String, RawRows.Result> e : read(null, from.toEpochMilli(), to.toEpochMilli()).entrySet()) {
            out.put(e.getKey(), new Secid(e.getValue().series(), e.getValue().stats()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every secid of the file with all its candles; see {@link #readAll(Instant, Instant)}. */
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

    /** Reads the rows of one secid (or all, when null) with ts in [from, to). */
    private Map<String, RawRows.Result> read(String onlySecid, long from, long to) {
        String where = file.toString();
        Map<String, RawRows> rows = new LinkedHashMap<>();
        ExchangeCalendar days = timeframe.isDaily() ? ExchangeCalendar.of(exchangeZone) : null;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            int[] col = columns(parser.getHeaderNames());
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                String secid = field(record, col[0], 0, line);
                if (secid.isEmpty()) {
                    throw error(line, "secid", "empty secid");
                }
                if (onlySecid != null && !onlySecid.equals(secid)) {
                    continue;
                }
                long ts = parseTs(field(record, col[1], 1, line), line);
                if (days != null) {
                    ts = tradingDayStart(days, secid, ts, line);
                }
                if (ts < from || ts >= to) {
                    continue;
                }
                double o = number(record, col[2], 2, line);
                double h = number(record, col[3], 3, line);
                double l = number(record, col[4], 4, line);
                double c = number(record, col[5], 5, line);
                double v = number(record, col[6], 6, line);
                RawRows r = rows.computeIfAbsent(secid, RawRows::new);
                if (strict && r.size() > 0 && ts <= r.lastTs()) {
                    throw error(line, "ts", (ts == r.lastTs() ? "repeated timestamp " : "timestamp out of order: ")
                            + Instant.ofEpochMilli(ts) + " after " + Instant.ofEpochMilli(r.lastTs())
                            + " for secid '" + secid + "'; rows of a secid must be strictly increasing in strict mode");
                }
                r.add(ts, o, h, l, c, v, line);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new SourceException(NAME, where, "cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // commons-csv reports a bad header (duplicate names) and unbalanced quotes this way
            throw new SourceException(NAME, where, "not a valid CSV file: " + e.getMessage(), e);
        }
        Map<String, RawRows.Result> out = new LinkedHashMap<>();
        for (RawRows r : rows.values()) {
            out.put(r.secid(), r.build(timeframe, (line, e) -> new SourceException(NAME, where, line, e.field(),
                    "invalid candle for secid '" + e.secid() + "' (ts " + Instant.ofEpochMilli(e.tsMillis()) + "): "
                            + e.field() + " = " + e.value() + ": " + e.reason(), e)));
        }
        return out;
    }

    private int[] columns(List<String> header) {
        if (header == null || header.isEmpty()) {
            throw new SourceException(NAME, file.toString(), 1, null, "no header row; the first line must name the columns "
                    + COLUMNS, null);
        }
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i) == null ? "" : header.get(i).replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
            if (COLUMNS.contains(name) && byName.put(name, i) != null) {
                throw new SourceException(NAME, file.toString(), 1, name, "the header names this column twice", null);
            }
        }
        int[] col = new int[COLUMNS.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < col.length; i++) {
            Integer at = byName.get(COLUMNS.get(i));
            if (at == null) {
                missing.add(COLUMNS.get(i));
            } else {
                col[i] = at;
            }
        }
        if (!missing.isEmpty()) {
            throw new SourceException(NAME, file.toString(), 1, null, "the header lacks columns " + missing
                    + "; found " + header + ", need " + COLUMNS + " in any order", null);
        }
        return col;
    }

    private String field(CSVRecord record, int index, int column, long line) {
        if (index >= record.size()) {
            throw error(line, COLUMNS.get(column), "the row has " + record.size()
                    + " fields, fewer than the header names");
        }
        return record.get(index);
    }

    private double number(CSVRecord record, int index, int column, long line) {
        String text = field(record, index, column, line);
        try {
            if (text.isEmpty()) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error(line, COLUMNS.get(column), "not a number: '" + text + "'");
        }
    }

    private long parseTs(String text, long line) {
        if (EPOCH_MILLIS.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error(line, "ts", "epoch milliseconds out of range: '" + text + "'");
            }
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw error(line, "ts", "not a timestamp: '" + text + "'; use ISO-8601 with an offset or Z "
                    + "(2024-01-08T07:00:00Z, 2024-01-08T10:00:00+03:00) or epoch milliseconds");
        }
    }

    private long tradingDayStart(ExchangeCalendar days, String secid, long ts, long line) {
        try {
            return days.tradingDayStart(secid, (int) Math.min(line, Integer.MAX_VALUE), ts);
        } catch (InvalidCandleException e) {
            throw new SourceException(NAME, file.toString(), line, "ts", "1d candle of secid '" + secid + "' at "
                    + Instant.ofEpochMilli(ts) + ": " + e.reason(), e);
        }
    }

    private SourceException error(long line, String column, String reason) {
        return new SourceException(NAME, file.toString(), line, column, reason, null);
    }

    @Override
    public String toString() {
        return "CsvCandleSource[" + file + ", " + timeframe + (strict ? ", strict" : "") + "]";
    }
}
