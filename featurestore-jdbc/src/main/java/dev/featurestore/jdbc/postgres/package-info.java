/**
 * The fact layer in PostgreSQL: {@link dev.featurestore.jdbc.postgres.PostgresStorageProvider}
 * opens {@code jdbc:postgresql://<host>[:<port>]/<database>} URLs, found by
 * {@link java.util.ServiceLoader} when featurestore-jdbc is on the class path:
 *
 * <pre>{@code
 * try (Store store = FeatureStore.builder().storage("jdbc:postgresql://db.example/features")
 *         .user("fs").password(secret).build()) { ... }
 * }</pre>
 *
 * <p>Same schema and migration history as SQLite. Candle upserts and feature writes stream the
 * rows with binary {@code COPY} (pgjdbc's {@code CopyManager}) into a temporary staging table and
 * merge them with set-based statements, one transaction per call; option {@code write.method=batch}
 * fills the staging table with JDBC batches instead. Everything but the provider is
 * package-private.
 */
package dev.featurestore.jdbc.postgres;
