/**
 * The fact layer in SQL databases: {@link dev.featurestore.jdbc.SqliteStorageProvider} for
 * {@code jdbc:sqlite:<file>} (the embedded default) and the PostgreSQL provider in
 * {@code dev.featurestore.jdbc.postgres}, both found by {@link java.util.ServiceLoader} when
 * this module is on the class path:
 *
 * <pre>{@code
 * try (Store store = FeatureStore.builder().storage("jdbc:sqlite:data/featurestore.db").build()) { ... }
 * }</pre>
 *
 * <p>Both databases share one Flyway migration history ({@code db/migration}) and one table
 * design: candles keyed by (secid, timeframe, ts); feature values one wide row per candle, the
 * set's values packed in a little-endian blob described by {@code feature_set_columns}; one
 * {@code feature_windows} row per build; the {@code train_data_snapshots} audit log.
 */
package dev.featurestore.jdbc;
