package dev.featurestore.api.storage;

/**
 * What an idempotent candle upsert did: candles new to the store, candles that replaced a
 * different stored candle with the same key, and candles identical to the stored ones.
 */
public record UpsertResult(long inserted, long replaced, long unchanged) {
    /** All candles offered. */
    public long total() {
        return inserted + replaced + unchanged;
    }

    /** The sum of two results. */
    public UpsertResult plus(UpsertResult other) {
        return new UpsertResult(inserted + other.inserted, replaced + other.replaced, unchanged + other.unchanged);
    }
}
