package dev.featurestore.cli;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a candle CSV into one {@link CandleSeries.Builder} per secid, in order of first
 * appearance, sized exactly: a first pass counts the rows of each secid, a second parses the
 * values straight into the builders' columns, so no record is kept.
 *
 * <p>The header names the columns {@code secid, ts, open, high, low, close, volume} in any order
 * and any case; other columns are ignored. {@code ts} is ISO-8601 with an offset or {@code Z}, or
 * epoch milliseconds. Every error names the file, the CSV line, the column and the reason.
 */
final class CandleCsvReader {
    static final List<String> COLUMNS = List.of("secid", "ts", "open", "high", "low", "close", "volume");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).get();
    private static final int CHAR_BUFFER = 1 << 20;

    private final Path file;
    private final String name;
    private final Timeframe timeframe;
    /** The index of each of {@link #COLUMNS} in the file. */
    private final int[] index = new int[COLUMNS.size()];
    /** The columns' names as the header writes them. */
    private final String[] headerName = new String[COLUMNS.size()];
    private int needed;

    // A one-entry cache of the last ISO date seen: most rows share it with their neighbour.
    private String lastDate = "";
    private long lastEpochDay;

    CandleCsvReader(Path file, Timeframe timeframe) {
        this.file = file;
        this.name = file.toString();
        this.timeframe = timeframe;
    }

    /** The builders, one per secid in order of first appearance, filled with every row. */
    Map<String, CandleSeries.Builder> read() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        try (CSVParser parser = open()) {
            for (CSVRecord record : parser) {
                checkWidth(record, parser.getCurrentLineNumber());
                String secid = secid(record, parser.getCurrentLineNumber());
                int[] count = counts.get(secid);
                if (count == null) {
                    counts.put(secid, new int[] {1});
                } else {
                    count[0]++;
                }
            }
        } catch (IOException e) {
            throw cannotRead(e);
        } catch (UncheckedIOException e) {
            throw malformed(e);
        }
        if (counts.isEmpty()) {
            throw CliException.input(name, 2, null, "the file holds a header but no candle");
        }
        Map<String, CandleSeries.Builder> builders = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            builders.put(e.getKey(), CandleSeries.builder(e.getKey()).timeframe(timeframe).expectedSize(e.getValue()[0]));
        }
        Map<String, CandleSeries.Builder> cache = new HashMap<>(builders);
        try (CSVParser parser = open()) {
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                CandleSeries.Builder builder = cache.get(secid(record, line));
                builder.add(ts(record.get(index[1]), line), number(record, 2, line), number(record, 3, line),
                        number(record, 4, line), number(record, 5, line), number(record, 6, line));
            }
        } catch (IOException e) {
            throw cannotRead(e);
        } catch (UncheckedIOException e) {
            throw malformed(e);
        }
        return builders;
    }

    /** The CSV line of the {@code row}-th candle (0-based) of {@code secid}, or 0 when there is none. */
    long lineOf(String secid, int row) {
        int seen = 0;
        try (CSVParser parser = open()) {
            for (CSVRecord record : parser) {
                if (record.get(index[0]).strip().equals(secid) && seen++ == row) {
                    return parser.getCurrentLineNumber();
                }
            }
        } catch (IOException e) {
            throw cannotRead(e);
        } catch (UncheckedIOException e) {
            throw malformed(e);
        }
        return 0;
    }

    /** The header's spelling of one of {@link #COLUMNS}. */
    String headerName(String column) {
        int i = COLUMNS.indexOf(column);
        return i < 0 ? column : headerName[i];
    }

    private CSVParser open() throws IOException {
        Reader reader;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(Main.BAD_INPUT, name + ": no such file");
        }
        CSVParser parser;
        try {
            parser = FORMAT.parse(new java.io.BufferedReader(reader, CHAR_BUFFER));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        mapHeader(parser.getHeaderNames());
        return parser;
    }

    private void mapHeader(List<String> header) {
        java.util.Arrays.fill(index, -1);
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).replace("\uFEFF", "").strip();
            int c = COLUMNS.indexOf(h.toLowerCase(Locale.ROOT));
            if (c >= 0) {
                if (index[c] >= 0) {
                    throw CliException.input(name, 1, h, "the header names column '" + COLUMNS.get(c) + "' twice");
                }
                index[c] = i;
                headerName[c] = h;
            }
        }
        needed = 0;
        for (int c = 0; c < index.length; c++) {
            if (index[c] < 0) {
                throw CliException.input(name, 1, COLUMNS.get(c), "missing column '" + COLUMNS.get(c)
                        + "'; the header must name " + COLUMNS + " (any order and case), found " + header);
            }
            needed = Math.max(needed, index[c] + 1);
        }
    }

    private void checkWidth(CSVRecord record, long line) {
        if (record.size() < needed) {
            for (int c = 0; c < index.length; c++) {
                if (index[c] >= record.size()) {
                    throw CliException.input(name, line, headerName[c], "missing value: the row has " + record.size()
                            + " fields, the header " + needed + " or more");
                }
            }
        }
    }

    private String secid(CSVRecord record, long line) {
        checkWidth(record, line);
        String secid = record.get(index[0]).strip();
        if (secid.isEmpty()) {
            throw CliException.input(name, line, headerName[0], "empty secid");
        }
        return secid;
    }

    private double number(CSVRecord record, int column, long line) {
        String text = record.get(index[column]);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw CliException.input(name, line, headerName[column], "not a number: '" + text + "'");
        }
    }

    /** Epoch milliseconds from ISO-8601 with an offset or Z, or from epoch milliseconds. */
    long ts(String text, long line) {
        if (isInteger(text)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw CliException.input(name, line, headerName[1], "epoch milliseconds out of range: '" + text + "'");
            }
        }
        long fast = fastUtc(text);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw CliException.input(name, line, headerName[1], "not a timestamp: '" + text
                    + "'; use ISO-8601 with an offset or Z (2024-01-05T10:15:00Z) or epoch milliseconds");
        }
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

    private CliException cannotRead(IOException e) {
        return new CliException(Main.BAD_INPUT, name + ": cannot be read: " + e, e);
    }

    /** A parse failure of the CSV itself (an unclosed quote, bytes that are not UTF-8). */
    private CliException malformed(UncheckedIOException e) {
        IOException cause = e.getCause();
        return new CliException(Main.BAD_INPUT, name + ": malformed CSV: " + Main.oneLine(cause.getMessage()), e);
    }
}
