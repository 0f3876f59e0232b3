package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A candle CSV file read once: the one parser behind {@link CsvCandleSource} and the command
 * line's {@code compute}. The header names the columns {@code secid, ts, open, high, low, close,
 * volume} in any order and letter case (other columns are ignored; a leading byte-order mark is
 * skipped); {@code ts} is the candle's open time, ISO-8601 with an offset or {@code Z}, or epoch
 * milliseconds.
 *
 * <p>Every row of the file is checked when it is read, whatever secid or range is asked for
 * later: a missing or repeated column, a row too short for the columns or with more fields than
 * the header (checked before any value, so a stray separator is never blamed on a column), an
 * empty secid, a value that is not a number, a time that is not one or is finer than a
 * millisecond, and (when strict) a timestamp of a secid that is not after the previous one of
 * that secid. Each is a {@link SourceException} naming the file, the line, the column as the
 * header spells it (none for extra fields), and the reason. The candle rules of {@link CandleSeries} are checked when a secid's
 * series is built ({@link #secid(String, long, long)}), naming the file line of the bad candle.
 *
 * <pre>{@code
 * CsvCandleFile csv = CsvCandleFile.read(Path.of("candles.csv"), Timeframe.ONE_MINUTE, false);
 * CsvCandleSource.Secid sber = csv.secid("SBER", from, to);   // sorted, de-duplicated, validated
 * }</pre>
 *
 * <p>Immutable once read, and thread-safe.
 */
public final class CsvCandleFile {
    /** The columns a file must have. */
    public static final List<String> COLUMNS = List.of("secid", "ts", "open", "high", "low", "close", "volume");

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setTrim(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).get();
    private static final int CHAR_BUFFER = 1 << 20;

    private final Path file;
    private final String where;
    private final Timeframe timeframe;
    /** The header's spelling of each of {@link #COLUMNS}. */
    private final String[] headerName;
    private final Map<String, RawRows> rows;

    private CsvCandleFile(Path file, Timeframe timeframe, String[] headerName, Map<String, RawRows> rows) {
        this.file = file;
        this.where = file.toString();
        this.timeframe = timeframe;
        this.headerName = headerName;
        this.rows = rows;
    }

    /**
     * Reads and checks every row of {@code file}.
     *
     * @param file the CSV file, UTF-8 with a header row
     * @param timeframe the timeframe the series get, or null for series without one
     * @param strict whether a timestamp of a secid that is not after its previous one is an error
     *     (otherwise rows are sorted and the last of a repeated timestamp is kept, both counted)
     * @throws SourceException naming the file, line and column of the first row that breaks a rule,
     *     or the file when it is missing, unreadable or not valid CSV
     * @return the file's rows, grouped by secid, kept in memory
     */
    public static CsvCandleFile read(Path file, Timeframe timeframe, boolean strict) {
        return read(file, timeframe, strict, null);
    }

    /**
     * Like {@link #read(Path, Timeframe, boolean)}, keying each row of a {@code 1d} file by the
     * start of its trading day in {@code days} (when given) before ranges, order and repeats are
     * looked at: two rows on one trading day are a repeated timestamp.
     *
     * @param file the CSV file, UTF-8 with a header row
     * @param timeframe the timeframe the series get, or null for series without one
     * @param strict whether a timestamp of a secid that is not after its previous one is an error
     * @param days the trading days that key the rows of a {@code 1d} file, or null to keep each
     *     {@code ts} as written; ignored for any other timeframe
     * @return the file's rows, grouped by secid, kept in memory
     * @throws SourceException as {@link #read(Path, Timeframe, boolean)} does
     * @throws SourceException also when a row's ts has no trading day, naming line and column
     */
    public static CsvCandleFile read(Path file, Timeframe timeframe, boolean strict, ExchangeCalendar days) {
        Objects.requireNonNull(file, "file");
        return new Parse(file, timeframe, strict, timeframe != null && timeframe.isDaily() ? days : null).run();
    }

    /** {@return the file read, as given} */
    public Path file() {
        return file;
    }

    /** {@return the secids of the file, in the order of their first row} */
    public List<String> secids() {
        return List.copyOf(rows.keySet());
    }

    /**
     * The header's spelling of one of {@link #COLUMNS}, for messages.
     *
     * @param column a column name as in {@link #COLUMNS}, e.g. {@code ts}
     * @return the header's spelling, e.g. {@code TS}; the name itself for a name not in {@link #COLUMNS}
     */
    public String headerName(String column) {
        int i = COLUMNS.indexOf(column);
        return i < 0 ? column : headerName[i];
    }

    /**
     * The candles of {@code secid} opening in {@code [from, to)} (epoch milliseconds), sorted and
     * de-duplicated unless strict, validated, with the counts of the raw rows of that range.
     *
     * @param secid the instrument's code
     * @param from the first candle open time included, epoch milliseconds UTC
     * @param to the candle open time where the range ends, excluded, epoch milliseconds UTC
     * @return the candles, or null when the file holds no row of {@code secid} in the range
     * @throws SourceException when a candle breaks the {@link CandleSeries} rules, naming its line
     */
    public CsvCandleSource.Secid secid(String secid, long from, long to) {
        RawRows all = rows.get(Objects.requireNonNull(secid, "secid"));
        RawRows in = all == null ? null : all.within(from, to);
        if (in == null) {
            return null;
        }
        RawRows.Result r = in.build(timeframe, (line, e) -> new SourceException(CsvCandleSource.NAME, where, line,
                headerName(e.field()), "invalid candle for secid '" + e.secid() + "' (ts "
                        + Instant.ofEpochMilli(e.tsMillis()) + "): " + e.field() + " = " + e.value() + ": "
                        + e.reason(), e));
        return new CsvCandleSource.Secid(r.series(), r.stats());
    }

    /**
     * Every secid with its candles in {@code [from, to)}, in the order of first appearance; none left empty.
     *
     * @param from the first candle open time included, epoch milliseconds UTC
     * @param to the candle open time where the range ends, excluded, epoch milliseconds UTC
     * @return per secid with rows in the range, its candles and raw-row counts; unmodifiable
     * @throws SourceException when a candle breaks the {@link CandleSeries} rules, naming its line
     */
    public Map<String, CsvCandleSource.Secid> secids(long from, long to) {
        Map<String, CsvCandleSource.Secid> out = new LinkedHashMap<>();
        for (String secid : rows.keySet()) {
            CsvCandleSource.Secid s = secid(secid, from, to);
            if (s != null) {
                out.put(secid, s);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "CsvCandleFile[" + file + ", " + rows.size() + " secid(s)]";
    }

    /** One pass over the file. */
    private static final class Parse {
        private final Path file;
        private final String where;
        private final Timeframe timeframe;
        private final boolean strict;
        private final ExchangeCalendar days;
        private final int[] index = new int[COLUMNS.size()];
        private final String[] headerName = new String[COLUMNS.size()];
        private int needed;
        /** The number of fields the header names: a row has exactly this many. */
        private int width;
        // A one-entry cache of the last ISO date seen: most rows share it with their neighbour.
        private String lastDate = "";
        private long lastEpochDay;

        Parse(Path file, Timeframe timeframe, boolean strict, ExchangeCalendar days) {
            this.file = file;
            this.where = file.toString();
            this.timeframe = timeframe;
            this.strict = strict;
            this.days = days;
        }

        CsvCandleFile run() {
            Map<String, RawRows> rows = new LinkedHashMap<>();
            Reader reader;
            try {
                reader = new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), CHAR_BUFFER);
            } catch (NoSuchFileException e) {
                throw new SourceException(CsvCandleSource.NAME, where, "no such file", e);
            } catch (IOException e) {
                throw new SourceException(CsvCandleSource.NAME, where, "cannot be read: " + e.getMessage(), e);
            }
            try (reader; CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
                mapHeader(parser.getHeaderNames());
                for (CSVRecord record : parser) {
                    long line = parser.getCurrentLineNumber();
                    checkWidth(record, line);
                    String secid = record.get(index[0]);
                    if (secid.isEmpty()) {
                        throw error(line, 0, "empty secid");
                    }
                    long ts = ts(record.get(index[1]), line);
                    if (days != null) {
                        ts = tradingDayStart(secid, ts, line);
                    }
                    double o = number(record, 2, line);
                    double h = number(record, 3, line);
                    double l = number(record, 4, line);
                    double c = number(record, 5, line);
                    double v = number(record, 6, line);
                    RawRows r = rows.computeIfAbsent(secid, RawRows::new);
                    if (strict && r.size() > 0 && ts <= r.lastTs()) {
                        throw error(line, 1, (ts == r.lastTs() ? "repeated timestamp " + Instant.ofEpochMilli(ts)
                                + " (a duplicate of line " + r.lastPosition() + ")" : "timestamp out of order: "
                                + Instant.ofEpochMilli(ts) + " after " + Instant.ofEpochMilli(r.lastTs()))
                                + " for secid '" + secid + "'; rows of a secid must be strictly increasing in strict mode");
                    }
                    r.add(ts, o, h, l, c, v, line);
                }
            } catch (IOException | UncheckedIOException e) {
                // commons-csv reports an unclosed quote and bytes that are not UTF-8 as an IOException
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                throw new SourceException(CsvCandleSource.NAME, where, "not a valid CSV file: "
                        + cause.getMessage(), e);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // commons-csv reports a bad header (duplicate names) this way
                throw new SourceException(CsvCandleSource.NAME, where, "not a valid CSV file: " + e.getMessage(), e);
            }
            return new CsvCandleFile(file, timeframe, headerName, rows);
        }

        private void mapHeader(List<String> header) {
            if (header == null || header.isEmpty()) {
                throw new SourceException(CsvCandleSource.NAME, where, 1, null, "no header row; the first line must "
                        + "name the columns " + COLUMNS, null);
            }
            Arrays.fill(index, -1);
            width = header.size();
            for (int i = 0; i < header.size(); i++) {
                String h = header.get(i) == null ? "" : header.get(i).replace("\uFEFF", "").strip();
                int c = COLUMNS.indexOf(h.toLowerCase(Locale.ROOT));
                if (c >= 0) {
                    if (index[c] >= 0) {
                        throw new SourceException(CsvCandleSource.NAME, where, 1, h, "the header names column '"
                                + COLUMNS.get(c) + "' twice", null);
                    }
                    index[c] = i;
                    headerName[c] = h;
                }
            }
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < index.length; c++) {
                if (index[c] < 0) {
                    missing.add(COLUMNS.get(c));
                }
                needed = Math.max(needed, index[c] + 1);
            }
            if (!missing.isEmpty()) {
                throw new SourceException(CsvCandleSource.NAME, where, 1, missing.get(0), "missing column '"
                        + missing.get(0) + "': the header lacks columns " + missing + "; found " + header + ", need "
                        + COLUMNS + " in any order and letter case", null);
            }
        }

        private void checkWidth(CSVRecord record, long line) {
            if (record.size() > width) {
                // a stray separator (a decimal comma, an unquoted text) shifts every later value
                throw new SourceException(CsvCandleSource.NAME, where, line, null, "extra fields: the row has "
                        + record.size() + " fields, more than the header names (" + width + ")", null);
            }
            if (record.size() < needed) {
                for (int c = 0; c < index.length; c++) {
                    if (index[c] >= record.size()) {
                        throw error(line, c, "missing value: the row has " + record.size()
                                + " fields, fewer than the header names (" + needed + " or more)");
                    }
                }
            }
        }

        private double number(CSVRecord record, int column, long line) {
            String text = record.get(index[column]);
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw error(line, column, "not a number: '" + text + "'");
            }
        }

        /** Epoch milliseconds from ISO-8601 with an offset or Z, or from epoch milliseconds. */
        private long ts(String text, long line) {
            if (isInteger(text)) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw error(line, 1, "epoch milliseconds out of range: '" + text + "'");
                }
            }
            long fast = fastUtc(text);
            if (fast != Long.MIN_VALUE) {
                return fast;
            }
            Instant t;
            long millis;
            try {
                t = Timestamps.parseIso(text);
                millis = t.toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                throw error(line, 1, "not a timestamp: '" + text + "'; use ISO-8601 with an offset or Z "
                        + "(2024-01-08T07:00:00Z, 2024-01-08T10:00:00+03:00) or epoch milliseconds");
            }
            String inexact = Timestamps.inexact(t, text);
            if (inexact != null) {
                throw error(line, 1, inexact);
            }
            return millis;
        }

        private static boolean isInteger(String s) {
            int n = s.length();
            int i = n > 1 && s.charAt(0) == '-' ? 1 : 0;
            if (i == n) {
                return false;
            }
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }

        /** {@code yyyy-MM-ddTHH:mm:ssZ} without a parser, or Long.MIN_VALUE for anything else. */
        private long fastUtc(String s) {
            if (s.length() != 20 || s.charAt(19) != 'Z' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                    || s.charAt(16) != ':') {
                return Long.MIN_VALUE;
            }
            int hh = twoDigits(s, 11);
            int mm = twoDigits(s, 14);
            int ss = twoDigits(s, 17);
            if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
                return Long.MIN_VALUE;
            }
            long day;
            if (s.regionMatches(0, lastDate, 0, 10) && lastDate.length() == 10) {
                day = lastEpochDay;
            } else {
                try {
                    String date = s.substring(0, 10);
                    day = LocalDate.parse(date).toEpochDay();
                    lastDate = date;
                    lastEpochDay = day;
                } catch (DateTimeException e) {
                    return Long.MIN_VALUE;
                }
            }
            return day * 86_400_000L + hh * 3_600_000L + mm * 60_000L + ss * 1_000L;
        }

        private static int twoDigits(String s, int at) {
            char a = s.charAt(at);
            char b = s.charAt(at + 1);
            if (a < '0' || a > '9' || b < '0' || b > '9') {
                return -1;
            }
            return (a - '0') * 10 + (b - '0');
        }

        private long tradingDayStart(String secid, long ts, long line) {
            try {
                return days.tradingDayStart(secid, (int) Math.min(line, Integer.MAX_VALUE), ts);
            } catch (InvalidCandleException e) {
                throw error(line, 1, "1d candle of secid '" + secid + "' at " + Instant.ofEpochMilli(ts) + ": "
                        + e.reason());
            }
        }

        private SourceException error(long line, int column, String reason) {
            return new SourceException(CsvCandleSource.NAME, where, line, headerName[column], reason, null);
        }
    }
}
