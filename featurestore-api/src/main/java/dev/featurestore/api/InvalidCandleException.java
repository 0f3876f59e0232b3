package dev.featurestore.api;

import java.time.Instant;

/**
 * A candle broke one of the rules every {@link CandleSeries} checks: strictly increasing
 * timestamps, finite prices above zero, {@code low <= min(open, close)},
 * {@code high >= max(open, close)}, a finite volume of at least zero.
 *
 * <p>The exception says where: the secid, the 0-based row, the candle's timestamp, the field and
 * the offending value.
 */
public final class InvalidCandleException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The instrument of the series. */
    private final String secid;
    /** The 0-based row of the bad candle. */
    private final int row;
    /** The candle's timestamp, epoch milliseconds UTC. */
    private final long tsMillis;
    /** The column at fault. */
    private final String field;
    /** The offending value. */
    private final double value;
    /** The rule the candle broke. */
    private final String reason;

    /**
     * An exception whose message says where the candle is and what rule it broke.
     *
     * @param secid the instrument of the series
     * @param row the 0-based row of the bad candle in the input
     * @param tsMillis the candle's timestamp, epoch milliseconds UTC
     * @param field the column at fault: ts, open, high, low, close or volume
     * @param value the offending value
     * @param reason the rule the candle broke, without the where
     */
    public InvalidCandleException(String secid, int row, long tsMillis, String field, double value, String reason) {
        super("invalid candle for secid '" + secid + "' at row " + row + " (ts " + Instant.ofEpochMilli(tsMillis)
                + "): field '" + field + "' = " + value + ": " + reason);
        this.secid = secid;
        this.row = row;
        this.tsMillis = tsMillis;
        this.field = field;
        this.value = value;
        this.reason = reason;
    }

    /** {@return the instrument of the series} */
    public String secid() {
        return secid;
    }

    /** {@return the 0-based row of the bad candle in the input} */
    public int row() {
        return row;
    }

    /** {@return the candle's timestamp, epoch milliseconds UTC} */
    public long tsMillis() {
        return tsMillis;
    }

    /** {@return the column at fault: ts, open, high, low, close or volume} */
    public String field() {
        return field;
    }

    /**
     * {@return what rule the candle broke, without the where (e.g.
     * {@code prices must be finite and > 0})}
     */
    public String reason() {
        return reason;
    }

    /** {@return the offending value (for ts, the timestamp in epoch milliseconds)} */
    public double value() {
        return value;
    }
}
