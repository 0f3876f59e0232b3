package dev.featurestore.cli;

import java.time.Instant;
import java.time.LocalDate;

/** Formats timestamps and numbers for the CSV files the command line writes, into a reused buffer. */
final class CsvText {
    private long cachedDay = Long.MIN_VALUE;
    private String cachedPrefix = "";

    /** Appends {@code ts} as ISO-8601 UTC exactly as {@link Instant#toString()} writes it. */
    void appendInstant(StringBuilder sb, long ts) {
        long day = Math.floorDiv(ts, 86_400_000L);
        int msOfDay = (int) Math.floorMod(ts, 86_400_000L);
        if (day != cachedDay) {
            LocalDate date = LocalDate.ofEpochDay(day);
            if (date.getYear() < 0 || date.getYear() > 9999) {
                sb.append(Instant.ofEpochMilli(ts));
                return;
            }
            cachedDay = day;
            cachedPrefix = date + "T";
        }
        sb.append(cachedPrefix);
        int seconds = msOfDay / 1000;
        two(sb, seconds / 3600);
        sb.append(':');
        two(sb, seconds / 60 % 60);
        sb.append(':');
        two(sb, seconds % 60);
        int ms = msOfDay % 1000;
        if (ms != 0) {
            sb.append('.');
            sb.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        }
        sb.append('Z');
    }

    private static void two(StringBuilder sb, int v) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** Appends a double as {@link Double#toString(double)} writes it, or nothing for NaN. */
    static void appendNumber(StringBuilder sb, double v) {
        if (!Double.isNaN(v)) {
            sb.append(v);
        }
    }

    /** Appends a category as a whole number ({@code 0}, {@code 1}), or nothing for NaN. */
    static void appendCategory(StringBuilder sb, double v) {
        if (!Double.isNaN(v)) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                sb.append((long) v);
            } else {
                sb.append(v);
            }
        }
    }

    /** Appends a text field, quoted as RFC 4180 asks when it holds a comma, quote or line break. */
    static void appendText(StringBuilder sb, String text) {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            sb.append(text);
            return;
        }
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
