package dev.featurestore.test.postgres;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.util.Objects;

/**
 * A database on a PostgreSQL server: its JDBC URL and the credentials to open it. {@link
 * EmbeddedPostgresExtension#newDatabase()} makes one, fresh and empty, on the embedded server.
 *
 * <pre>{@code
 * PostgresDatabase db = PG.newDatabase();
 * try (Store store = db.openStore()) {            // featurestore-jdbc on the test class path
 *     store.candles().upsert(candles);
 * }
 * try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
 *     // plain JDBC on the same database
 * }
 * }</pre>
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://localhost:<port>/<name>}
 * @param user the database user
 * @param password the user's password (empty for the embedded server)
 * @param name the database's name
 */
public record PostgresDatabase(String url, String user, String password, String name) {
    /**
     * Checks that no part is missing.
     *
     * @param url the JDBC URL
     * @param user the database user
     * @param password the user's password
     * @param name the database's name
     */
    public PostgresDatabase {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(name, "name");
    }

    /**
     * A store builder whose storage is this database: {@code FeatureStore.builder().storage(url())
     * .user(user()).password(password())}. Add a registry or options, then {@code build()}; the
     * PostgreSQL storage comes from featurestore-jdbc, which must be on the class path.
     *
     * @return a new builder, one per store
     */
    public Store.Builder storeBuilder() {
        return FeatureStore.builder().storage(url).user(user).password(password);
    }

    /**
     * A store on this database with the default registry (as {@link FeatureStore#shared()} finds
     * it), its schema created on first open: {@code storeBuilder().build()}.
     *
     * @return the open store; close it when done
     * @throws dev.featurestore.api.StorageException when featurestore-jdbc is not on the class path
     *     or the database cannot be opened
     */
    public Store openStore() {
        return storeBuilder().build();
    }
}
