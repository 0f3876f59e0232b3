/**
 * The storage SPI: how the fact layer (candles, feature values, builds and the snapshot audit
 * log) is kept. Implementations (SQLite, PostgreSQL, in-memory) are found with
 * {@link java.util.ServiceLoader} through {@link dev.featurestore.api.storage.StorageProvider}.
 * The SPI is narrow on purpose; conveniences live in core. It grows only by default methods.
 */
package dev.featurestore.api.storage;
