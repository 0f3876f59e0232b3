package dev.featurestore.core.stream;

/**
 * One closed candle handed to a stream: its open time and prices. The stream checks it as a
 * {@link dev.featurestore.api.CandleSeries} checks its rows (finite prices above zero,
 * {@code low <= min(open, close)}, {@code high >= max(open, close)}, a finite volume of at least
 * zero, a time after the previous candle's) and names the secid and row when it refuses one.
 *
 * @param ts the candle's open time, epoch milliseconds UTC
 * @param open the open price
 * @param high the high price
 * @param low the low price
 * @param close the close price
 * @param volume the traded volume
 */
public record Candle(long ts, double open, double high, double low, double close, double volume) {
    /**
     * A candle; checked when a stream takes it, not here.
     *
     * @param ts the candle's open time, epoch milliseconds UTC
     * @param open the open price
     * @param high the high price
     * @param low the low price
     * @param close the close price
     * @param volume the traded volume
     */
    public Candle {
    }
}
