package dev.featurestore.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The length of one candle: {@code Nm} (minutes), {@code Nh} (hours) or {@code 1d} (one
 * exchange day). Parse with {@link #parse(String)}; {@link #toString()} gives the same text back.
 *
 * <pre>{@code
 * Timeframe tf = Timeframe.parse("5m");
 * tf.millis();      // 300000
 * tf.toString();    // "5m"
 * }</pre>
 *
 * <p>Two timeframes are equal when they are written the same way: {@code 60m} and {@code 1h} last
 * equally long but are different names, as they are in a registry file.
 */
public final class Timeframe implements Comparable<Timeframe> {
    /** One minute, the finest timeframe exchanges publish and the usual resampling source. */
    public static final Timeframe ONE_MINUTE = new Timeframe(1, 'm');

    private final int amount;
    private final char unit;
    /** The text, made once: storages bind it with every row they write (millions per ingest). */
    private final String text;

    private Timeframe(int amount, char unit) {
        this.amount = amount;
        this.unit = unit;
        this.text = amount + String.valueOf(unit);
    }

    /**
     * Parses {@code Nm}, {@code Nh} or {@code 1d}, N a positive whole number without sign or
     * leading zeros, at most 999999 minutes, 8784 hours (366 days) or 1 day.
     *
     * @param text the timeframe as written in a registry file or on a command line, e.g.
     *     {@code 5m}; not null
     * @return the timeframe, whose {@link #toString()} is {@code text}
     * @throws InvalidTimeframeException quoting the text and listing the valid forms
     * @throws NullPointerException when {@code text} is null
     */
    public static Timeframe parse(String text) {
        Objects.requireNonNull(text, "timeframe text");
        if (text.length() >= 2) {
            char letter = text.charAt(text.length() - 1);
            String digits = text.substring(0, text.length() - 1);
            for (Unit unit : Unit.values()) {
                if (unit.letter == letter && digits.matches("[1-9][0-9]{0,5}")) {
                    int amount = Integer.parseInt(digits);
                    if (amount > unit.max) {
                        throw new InvalidTimeframeException(text, unit.max == 1 ? "only 1" + letter + " is supported"
                                : "at most " + unit.max + " " + unit.plural);
                    }
                    return new Timeframe(amount, letter);
                }
            }
        }
        throw new InvalidTimeframeException(text, "expected a positive whole number and a unit letter");
    }

    /**
     * The forms {@link #parse(String)} accepts, in words, e.g. for a usage message:
     * {@code Nm (1 to 999999 minutes), Nh (1 to 8784 hours), 1d (one exchange day)}.
     *
     * @return the forms and their ranges, followed by a few examples
     */
    public static String validForms() {
        StringBuilder sb = new StringBuilder();
        for (Unit unit : Unit.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(unit.max == 1 ? "1" + unit.letter + " (one " + unit.singular + ")"
                    : "N" + unit.letter + " (1 to " + unit.max + " " + unit.plural + ")");
        }
        return sb.append(", e.g. 1m, 5m, 15m, 1h, 1d").toString();
    }

    /** The units a timeframe can be written in, with the largest amount of each. */
    private enum Unit {
        MINUTE('m', 999_999, "minute", "minutes"),
        HOUR('h', 24 * 366, "hour", "hours"),
        DAY('d', 1, "exchange day", "exchange days");

        final char letter;
        final int max;
        final String singular;
        final String plural;

        Unit(char letter, int max, String singular, String plural) {
            this.letter = letter;
            this.max = max;
            this.singular = singular;
            this.plural = plural;
        }
    }

    /** {@return how many units: 5 for {@code 5m}} */
    public int amount() {
        return amount;
    }

    /** {@return the unit letter: {@code m}, {@code h} or {@code d}} */
    public char unit() {
        return unit;
    }

    /** {@return true for {@code 1d}, whose buckets follow the exchange's calendar day, not UTC} */
    public boolean isDaily() {
        return unit == 'd';
    }

    /** {@return the nominal length in milliseconds (a {@code 1d} is 86,400,000)} */
    public long millis() {
        switch (unit) {
            case 'm':
                return amount * 60_000L;
            case 'h':
                return amount * 3_600_000L;
            default:
                return amount * 86_400_000L;
        }
    }

    /**
     * When a candle of this timeframe that opened at {@code openTs} has closed, so that its values
     * are known: its {@code available_at}, epoch ms UTC. Every {@code availableAt} of a frame or
     * window is computed here.
     *
     * @param openTs the candle's open time, epoch ms UTC
     * @return {@code openTs} plus {@link #millis()}, epoch ms UTC
     */
    public long availableAt(long openTs) {
        return openTs + millis();
    }

    /** {@return the nominal length as a {@link Duration}} */
    public Duration duration() {
        return Duration.ofMillis(millis());
    }

    /** Orders by length, then by name. */
    @Override
    public int compareTo(Timeframe other) {
        int c = Long.compare(millis(), other.millis());
        return c != 0 ? c : toString().compareTo(other.toString());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeframe && ((Timeframe) o).amount == amount && ((Timeframe) o).unit == unit;
    }

    @Override
    public int hashCode() {
        return amount * 31 + unit;
    }

    /** The text this timeframe was parsed from, e.g. {@code 5m}. */
    @Override
    public String toString() {
        return text;
    }
}
