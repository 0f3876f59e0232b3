/**
 * A real PostgreSQL server for unit tests, in two lines: register {@link
 * dev.featurestore.test.postgres.EmbeddedPostgresExtension} and open a store on a fresh
 * {@link dev.featurestore.test.postgres.PostgresDatabase}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();
 *
 * @Test
 * void trainsOnStoredCandles() {
 *     try (Store store = PG.newDatabase().openStore()) {
 *         store.candles().upsert(candles);
 *     }
 * }
 * }</pre>
 *
 * <p>The store's PostgreSQL storage is featurestore-jdbc's: add it beside this module (both in
 * test scope); the PostgreSQL driver and Flyway's PostgreSQL support come with this module.
 */
package dev.featurestore.test.postgres;
