package dev.featurestore.core.dataset;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One split of a dataset by time: the samples whose newest window row opened in {@code [from, to)}
 * (half-open, like every range of this library).
 *
 * <pre>{@code
 * Split.train(a, b); Split.valid(b, c); Split.test(c, d);   // adjacent ranges share their bounds
 * }</pre>
 *
 * @param name the split's name, e.g. {@code train}; lower-case letters, digits and underscores
 * @param from the first candle open time of the range, included
 * @param to the candle open time where the range ends, excluded; after {@code from}
 */
public record Split(String name, Instant from, Instant to) {
    /** The name of the split normalization is fitted on. */
    public static final String TRAIN = "train";
    /** The name of the validation split. */
    public static final String VALID = "valid";
    /** The name of the test split. */
    public static final String TEST = "test";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    /**
     * Checks the split.
     *
     * @param name the split's name; starts with a lower-case letter, then up to 31 lower-case
     *     letters, digits or underscores (it names a file)
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the name is not valid or {@code from} is not before {@code to}
     */
    public Split {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad split name '" + name
                    + "': use a lower-case letter, then lower-case letters, digits or underscores (at most 32)");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("split '" + name + "' [" + from + ", " + to
                    + "): from must be before to (the range is from <= ts < to)");
        }
    }

    /**
     * The training split, the one normalization is fitted on.
     *
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @return the split named {@value #TRAIN}
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public static Split train(Instant from, Instant to) {
        return new Split(TRAIN, from, to);
    }

    /**
     * The validation split.
     *
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @return the split named {@value #VALID}
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public static Split valid(Instant from, Instant to) {
        return new Split(VALID, from, to);
    }

    /**
     * The test split.
     *
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @return the split named {@value #TEST}
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public static Split test(Instant from, Instant to) {
        return new Split(TEST, from, to);
    }

    /** {@return the first open time included, epoch ms UTC} */
    public long fromMs() {
        return from.toEpochMilli();
    }

    /** {@return the open time where the range ends, excluded, epoch ms UTC} */
    public long toMs() {
        return to.toEpochMilli();
    }

    /**
     * {@return true when this range and the other share an instant}
     *
     * @param other another split
     */
    public boolean overlaps(Split other) {
        return from.isBefore(other.to) && other.from.isBefore(to);
    }

    @Override
    public String toString() {
        return name + " [" + from + ", " + to + ")";
    }
}
