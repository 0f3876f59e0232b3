package dev.featurestore.cli;

import dev.featurestore.api.Timeframe;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.source.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Parses the times of {@code --from} and {@code --to}: a date or an ISO-8601 instant. A date is a
 * trading date in the exchange zone ({@code exchange.timezone}) for a {@code 1d} timeframe and a
 * UTC date for any shorter one ({@link ExchangeCalendar#rangeStart}, {@link ExchangeCalendar#rangeEnd}).
 * An instant finer than a millisecond is refused, as in every input ({@link Timestamps}).
 */
final class Times {
    private Times() {
    }

    /** A date is its start (the trading day's for 1d, else 00:00 UTC); an instant is itself. */
    static Instant start(String option, String text, ExchangeCalendar calendar, Timeframe timeframe) {
        return parse(option, text, false, calendar, timeframe);
    }

    /**
     * A date is the end of that day (exclusive: the next trading day's start for 1d, else the
     * next day's 00:00 UTC), so that {@code --from D1 --to DN} of 1d holds N candles; an instant
     * is itself.
     */
    static Instant end(String option, String text, ExchangeCalendar calendar, Timeframe timeframe) {
        return parse(option, text, true, calendar, timeframe);
    }

    private static Instant parse(String option, String text, boolean endOfDay, ExchangeCalendar calendar,
            Timeframe timeframe) {
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                return endOfDay ? calendar.rangeEnd(timeframe, d) : calendar.rangeStart(timeframe, d);
            }
            return exact(option, Timestamps.parseIso(text), text);
        } catch (DateTimeException e) {
            throw new CliException(Main.BAD_INPUT, option + ": not a date (2024-01-08) or ISO-8601 time "
                    + "(2024-01-08T10:00:00Z): '" + text + "'");
        }
    }

    /**
     * {@code t} as read from {@code text} when it is whole milliseconds; a finer time is refused
     * naming the option, the text and the resolution, never rounded ({@link Timestamps}).
     */
    static Instant exact(String option, Instant t, String text) {
        String inexact = Timestamps.inexact(t, text);
        if (inexact != null) {
            throw new CliException(Main.BAD_INPUT, option + ": " + inexact);
        }
        return t;
    }
}
