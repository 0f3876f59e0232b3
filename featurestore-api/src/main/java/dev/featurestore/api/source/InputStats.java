package dev.featurestore.api.source;

import java.util.Objects;

/**
 * What a source saw in its raw input for one secid before the candles were sorted, de-duplicated
 * and validated into a {@link dev.featurestore.api.CandleSeries}: how many rows it read, how many
 * repeated a timestamp already read ({@code duplicates}; the last one read is kept), and how many
 * came earlier than the row before them ({@code outOfOrder}). The data-quality report takes these
 * counts, since the validated series no longer shows them.
 *
 * @param secid the instrument
 * @param rowsRead raw rows read for this secid within the requested range
 * @param duplicates rows whose timestamp had already been read (dropped; the last one read wins)
 * @param outOfOrder rows whose timestamp is earlier than that of the row read just before
 */
public record InputStats(String secid, long rowsRead, long duplicates, long outOfOrder) {
    /**
     * Checks the counts.
     *
     * @param secid the instrument; not null
     * @param rowsRead raw rows read for this secid within the requested range, 0 or more
     * @param duplicates rows whose timestamp had already been read, 0 or more
     * @param outOfOrder rows whose timestamp is earlier than that of the row read just before, 0
     *     or more
     * @throws NullPointerException when {@code secid} is null
     * @throws IllegalArgumentException when a count is negative
     */
    public InputStats {
        Objects.requireNonNull(secid, "secid");
        if (rowsRead < 0 || duplicates < 0 || outOfOrder < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got rowsRead=" + rowsRead + ", duplicates="
                    + duplicates + ", outOfOrder=" + outOfOrder);
        }
    }

    /**
     * {@return the counts of a secid of which no row was read: all 0}
     *
     * @param secid the instrument; not null
     */
    public static InputStats empty(String secid) {
        return new InputStats(secid, 0, 0, 0);
    }

    /**
     * {@return the sum of two counts for the same secid (pages of one request, say)}
     *
     * @param other counts of the same secid
     * @throws IllegalArgumentException when {@code other} is of another secid
     */
    public InputStats plus(InputStats other) {
        if (!secid.equals(other.secid)) {
            throw new IllegalArgumentException("cannot add the counts of '" + other.secid + "' to those of '" + secid + "'");
        }
        return new InputStats(secid, rowsRead + other.rowsRead, duplicates + other.duplicates,
                outOfOrder + other.outOfOrder);
    }
}
