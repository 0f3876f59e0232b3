package dev.featurestore.api.storage;

/**
 * What an idempotent candle upsert did: candles new to the store, candles that replaced a
 * different stored candle with the same key, and candles identical to the stored ones.
 *
 * @param inserted candles new to the store
 * @param replaced candles that replaced a stored candle of the same (secid, timeframe, ts) with
 *     different values
 * @param unchanged candles equal to the ones already stored, left alone
 */
public record UpsertResult(long inserted, long replaced, long unchanged) {
    /** {@return all candles offered: inserted, replaced and unchanged together} */
    public long total() {
        return inserted + replaced + unchanged;
    }

    /**
     * {@return the sum of two results, count by count}
     *
     * @param other the result of another upsert
     */
    public UpsertResult plus(UpsertResult other) {
        return new UpsertResult(inserted + other.inserted, replaced + other.replaced, unchanged + other.unchanged);
    }
}
