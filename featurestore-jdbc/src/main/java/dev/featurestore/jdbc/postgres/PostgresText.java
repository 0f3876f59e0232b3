package dev.featurestore.jdbc.postgres;

import java.util.Objects;

/** Checks text bound for PostgreSQL, whose {@code text} type cannot hold the NUL character. */
final class PostgresText {
    private PostgresText() {
    }

    /**
     * @throws IllegalArgumentException naming the field and the position when {@code value}
     *     contains NUL (U+0000)
     */
    static void check(String field, String value) {
        Objects.requireNonNull(value, field);
        int i = value.indexOf('\0');
        if (i >= 0) {
            throw new IllegalArgumentException(field + " '" + value.replace("\0", "\\0") + "' contains a NUL character"
                    + " (U+0000) at index " + i + ", which PostgreSQL text cannot store");
        }
    }
}
