package dev.featurestore.jdbc;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.StorageProvider;
import dev.featurestore.jdbc.internal.Drivers;
import dev.featurestore.jdbc.internal.SqliteStorage;
import java.util.List;

/**
 * Opens the fact layer in a SQLite file for URLs {@code jdbc:sqlite:<file>}: creates the file
 * and its directory when missing, migrates the schema, and pools connections. Found by
 * {@link java.util.ServiceLoader}; use it through
 * {@code FeatureStore.builder().storage("jdbc:sqlite:data/featurestore.db")}.
 *
 * <p>Options ({@code .option(key, value)} on the builder): {@value #POOL_SIZE} (most pooled
 * connections, default 4), {@value #BUSY_TIMEOUT_MS} (how long a writer waits for another, in
 * ms, default 60000), {@value #SYNCHRONOUS} (SQLite's {@code synchronous} pragma, default
 * NORMAL: with WAL, durable across a crash of the process, not of the machine; FULL for that).
 * Any other option is refused with an {@link IllegalArgumentException} naming it.
 */
public final class SqliteStorageProvider implements StorageProvider {
    /** Option: the most pooled connections. */
    public static final String POOL_SIZE = SqliteStorage.POOL_SIZE;
    /** Option: how long a writer waits for another one, in milliseconds. */
    public static final String BUSY_TIMEOUT_MS = SqliteStorage.BUSY_TIMEOUT_MS;
    /** Option: SQLite's {@code synchronous} pragma (OFF, NORMAL, FULL, EXTRA). */
    public static final String SYNCHRONOUS = SqliteStorage.SYNCHRONOUS;

    /** The provider (called by ServiceLoader). */
    public SqliteStorageProvider() {
    }

    @Override
    public boolean accepts(String url) {
        return url != null && url.startsWith("jdbc:sqlite:");
    }

    @Override
    public List<String> urlForms() {
        return List.of("jdbc:sqlite:<file> (SQLite)");
    }

    /**
     * Opens the SQLite file of {@code config}.
     *
     * @param config a {@code jdbc:sqlite:<file>} URL and its options
     * @return the storage, migrated
     * @throws IllegalArgumentException for an unknown option or a bad value
     * @throws dev.featurestore.api.StorageException when the driver is missing or the file cannot
     *     be opened
     */
    @Override
    public FeatureStorage open(StorageConfig config) {
        Drivers.require("SQLite", config.url(), Drivers.SQLITE);
        return new SqliteStorage(config);
    }
}
