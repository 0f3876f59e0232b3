package dev.featurestore.core.source;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The one rule for a time written as text, shared by every source and command that reads one:
 * ISO-8601 with an offset or {@code Z}, kept exactly at the storage resolution, milliseconds. A
 * time with a part finer than a millisecond ({@code 2024-01-08T07:00:00.0001Z}) is refused, never
 * rounded: two such times in one file would otherwise become one candle without a word.
 *
 * <pre>{@code
 * Instant t = Timestamps.parseIso(text);            // DateTimeException when not a time
 * String why = Timestamps.inexact(t, text);         // null when t is whole milliseconds
 * }</pre>
 */
public final class Timestamps {
    /** The resolution times are stored in, as messages name it. */
    public static final String RESOLUTION = "milliseconds";

    private static final int NANOS_PER_MILLI = 1_000_000;

    private Timestamps() {
    }

    /**
     * The instant {@code text} names, exactly (nothing rounded).
     *
     * @param text ISO-8601 with an offset or {@code Z}, such as {@code 2024-01-08T10:00:00+03:00}
     * @return the instant, to the nanosecond as written; see {@link #inexact} before storing it
     * @throws DateTimeException when {@code text} is not such a time
     */
    public static Instant parseIso(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /**
     * Whether {@code t} is a whole number of milliseconds, so storing it loses nothing.
     *
     * @param t any instant
     * @return true when its part below a millisecond is zero
     */
    public static boolean isExact(Instant t) {
        return t.getNano() % NANOS_PER_MILLI == 0;
    }

    /**
     * Why {@code t}, read from {@code text}, cannot be stored as it is, or null when it can.
     *
     * @param t the instant read
     * @param text the text it was read from, quoted in the message
     * @return for example {@code time '2024-01-08T07:00:00.0001Z' is finer than the storage resolution
     *     (milliseconds); write it to whole milliseconds}
     */
    public static String inexact(Instant t, String text) {
        return isExact(t) ? null : "time '" + text + "' is finer than the storage resolution (" + RESOLUTION
                + "); write it to whole milliseconds";
    }
}
