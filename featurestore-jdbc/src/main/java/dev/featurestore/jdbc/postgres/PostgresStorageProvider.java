package dev.featurestore.jdbc.postgres;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.StorageProvider;
import dev.featurestore.jdbc.internal.Drivers;
import java.util.List;
import java.util.Objects;

/**
 * Opens the fact layer in a PostgreSQL database for URLs of the form
 * {@code jdbc:postgresql://host[:port]/database[?param=value...]} (any form pgjdbc accepts),
 * with the user and password of the {@link StorageConfig}. The schema is created or upgraded on
 * open; a database with a newer schema than this library knows is refused.
 *
 * <p>Options ({@link StorageConfig#options()}):
 * <ul>
 *   <li>{@value #WRITE_METHOD}: {@code copy} (default) fills the staging tables of candle upserts
 *       and feature writes with {@code COPY ... FROM STDIN (FORMAT binary)}; {@code batch} with
 *       JDBC batches of inserts. Either is followed by one merge statement.</li>
 *   <li>{@value #BATCH_SIZE}: rows per JDBC batch for {@code batch} (default 1000).</li>
 *   <li>{@value #POOL_SIZE}: the most connections the pool opens (default 8).</li>
 *   <li>{@value #CONNECTION_TIMEOUT}: how long a call waits for a connection, in milliseconds
 *       (default 30000, at least 250): for a free one when all are busy, or for the server while it
 *       cannot be reached. A call that gets none in time fails with a {@code StorageException}
 *       naming its operation; one that gets a connection once the server is back proceeds.</li>
 * </ul>
 * Any other option is refused with an {@link IllegalArgumentException} naming it.
 *
 * <p>The pool outlives a server restart: connections the server dropped are discarded (HikariCP
 * evicts a connection whose error says it is broken, and checks an idle one before handing it
 * out) and new ones are made as soon as the server accepts them, so the same store works again
 * without being reopened. See {@code featurestore-jdbc/README-storage.md}.
 */
public final class PostgresStorageProvider implements StorageProvider {
    /** Option: how bulk writes reach the server, {@code copy} or {@code batch}. */
    public static final String WRITE_METHOD = "write.method";
    /** Option: rows per JDBC batch when {@value #WRITE_METHOD} is {@code batch}. */
    public static final String BATCH_SIZE = "batch.size";
    /** Option: the largest number of pooled connections. */
    public static final String POOL_SIZE = "pool.size";
    /** Option: how long a call waits for a pooled connection, in milliseconds. */
    public static final String CONNECTION_TIMEOUT = "connection.timeout.ms";

    private static final String PREFIX = "jdbc:postgresql:";

    /** The provider ServiceLoader creates. */
    public PostgresStorageProvider() {
    }

    @Override
    public boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public List<String> urlForms() {
        return List.of("jdbc:postgresql://<host>[:<port>]/<database> (PostgreSQL)");
    }

    /**
     * Opens the PostgreSQL database of {@code config}.
     *
     * @param config a {@code jdbc:postgresql:} URL, credentials and options
     * @return the storage, migrated
     * @throws IllegalArgumentException for a URL of another database, an unknown option or a bad value
     * @throws dev.featurestore.api.StorageException when the driver is missing or the database
     *     cannot be reached
     */
    @Override
    public FeatureStorage open(StorageConfig config) {
        Objects.requireNonNull(config, "config");
        if (!accepts(config.url())) {
            throw new IllegalArgumentException("not a PostgreSQL URL: '" + redact(config.url()) + "'; expected "
                    + urlForms().get(0));
        }
        Drivers.require("PostgreSQL", redact(config.url()), Drivers.POSTGRESQL);
        return new PostgresStorage(config);
    }

    /** The URL with any password parameter hidden, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
