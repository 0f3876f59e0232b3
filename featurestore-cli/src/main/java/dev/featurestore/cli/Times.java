package dev.featurestore.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Parses the times of {@code --from} and {@code --to}: a date (UTC) or an ISO-8601 instant. */
final class Times {
    private Times() {
    }

    /** A date is its start (00:00 UTC); an instant is itself. */
    static Instant start(String option, String text) {
        return parse(option, text, false);
    }

    /** A date is the end of that day (the next day's 00:00 UTC, exclusive); an instant is itself. */
    static Instant end(String option, String text) {
        return parse(option, text, true);
    }

    private static Instant parse(String option, String text, boolean endOfDay) {
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new CliException(Main.BAD_INPUT, option + ": not a date (2024-01-08) or ISO-8601 time "
                    + "(2024-01-08T10:00:00Z): '" + text + "'");
        }
    }
}
