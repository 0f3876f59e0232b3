package dev.featurestore.cli;

import dev.featurestore.core.source.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * {@code --complete-through} of the commands that build from finer stored candles ({@code build},
 * {@code quality}, {@code run}): the time through which the stored candles are complete.
 */
final class CompleteThroughOption {
    /** The help of the commands: what a range states, and what the option states instead. */
    static final String HELP = "A --from/--to range whose end is not in the future states the stored candles complete "
            + "through --to: the last bucket resampled from finer candles (5m from 1m, say) ending by then is built "
            + "even when no later candle exists. A range reaching into the future states nothing, and without "
            + "--from/--to the range ends with the close of the last stored candle; then a last bucket without a "
            + "later candle is left out as possibly still forming, unless --complete-through says otherwise.";

    @Option(names = "--complete-through", paramLabel = "INSTANT",
            description = "The stored candles are complete through this ISO-8601 time (e.g. 2024-01-12T15:40:00Z): a "
                    + "resampled bucket ending by then is final even without a later candle. Replaces what the "
                    + "--from/--to range states.")
    String text;

    /** The time given, or null. */
    Instant instant() {
        return text == null ? null : parse("--complete-through", text);
    }

    /** An ISO-8601 time with an offset or {@code Z}, whole milliseconds. */
    static Instant parse(String option, String text) {
        try {
            return Times.exact(option, Timestamps.parseIso(text), text);
        } catch (DateTimeException e) {
            throw new CliException(Main.BAD_INPUT, option + ": not an ISO-8601 time with offset or Z: '" + text
                    + "', e.g. 2024-01-12T15:40:00Z");
        }
    }
}
