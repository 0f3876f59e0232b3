package dev.featurestore.core.dataset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Walk-forward folds, an alternative to fixed splits: {@code [from, to)} is cut into {@code k + 1}
 * blocks of equal length (the last one takes the remainder of a millisecond division); fold
 * {@code i} (from 0) tests on block {@code i + 1} and trains on the blocks before it (expanding)
 * or on block {@code i} alone (rolling). Every fold trains only on the past of its test block.
 *
 * <pre>{@code
 * List<Dataset> folds = query.walkForward(WalkForward.expanding(4, from, to)).folds();
 * }</pre>
 *
 * @param folds k, the number of folds, 1 or more
 * @param expanding true for expanding training ranges, false for rolling ones of one block
 * @param from the first open time of the whole range, included
 * @param to the open time where the whole range ends, excluded
 */
public record WalkForward(int folds, boolean expanding, Instant from, Instant to) {

    /**
     * Checks the folds.
     *
     * @param folds the number of folds, 1 or more
     * @param expanding true for expanding training ranges
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @throws NullPointerException when a time is null
     * @throws IllegalArgumentException when {@code folds < 1} or the range is too short to give
     *     each of the {@code folds + 1} blocks a millisecond
     */
    public WalkForward {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (folds < 1) {
            throw new IllegalArgumentException("walk-forward needs at least 1 fold, got " + folds);
        }
        if (to.toEpochMilli() - from.toEpochMilli() < folds + 1L) {
            throw new IllegalArgumentException("walk-forward range [" + from + ", " + to + ") is too short for "
                    + (folds + 1) + " blocks");
        }
    }

    /**
     * Folds whose training range grows: fold i trains on blocks 0..i.
     *
     * @param folds the number of folds, 1 or more
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @return the folds
     * @throws IllegalArgumentException as the constructor does
     */
    public static WalkForward expanding(int folds, Instant from, Instant to) {
        return new WalkForward(folds, true, from, to);
    }

    /**
     * Folds whose training range is one block long: fold i trains on block i.
     *
     * @param folds the number of folds, 1 or more
     * @param from the first open time included
     * @param to the open time where the range ends, excluded
     * @return the folds
     * @throws IllegalArgumentException as the constructor does
     */
    public static WalkForward rolling(int folds, Instant from, Instant to) {
        return new WalkForward(folds, false, from, to);
    }

    /** {@return per fold, its splits {@code [train, test]}, oldest fold first} */
    public List<List<Split>> splits() {
        long a = from.toEpochMilli();
        long length = (to.toEpochMilli() - a) / (folds + 1);
        List<List<Split>> out = new ArrayList<>(folds);
        for (int i = 0; i < folds; i++) {
            Instant trainFrom = Instant.ofEpochMilli(expanding ? a : a + i * length);
            Instant testFrom = Instant.ofEpochMilli(a + (i + 1) * length);
            Instant testTo = i == folds - 1 ? to : Instant.ofEpochMilli(a + (i + 2) * length);
            out.add(List.of(Split.train(trainFrom, testFrom), Split.test(testFrom, testTo)));
        }
        return out;
    }
}
