package dev.featurestore.cli;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options that open the store: the database URL, its credentials and the registry file. */
final class StoreOptions {
    static final String DEFAULT_DB = "jdbc:sqlite:featurestore.db";

    @Option(names = "--db", paramLabel = "URL", defaultValue = DEFAULT_DB,
            description = "Database of candles, features and the snapshot audit log: jdbc:sqlite:FILE or "
                    + "jdbc:postgresql://HOST[:PORT]/DB (default: ${DEFAULT-VALUE}, in the working directory; "
                    + "created when missing).")
    String db = DEFAULT_DB;

    @Option(names = "--user", paramLabel = "USER", description = "Database user (PostgreSQL).")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "Database password (PostgreSQL).")
    String password;

    @Option(names = "--config", paramLabel = "YAML",
            description = "Registry file (default: the featurestore.config system property, the FEATURESTORE_CONFIG "
                    + "environment variable, else the registry built into the jar).")
    Path config;

    /** Opens the store; a storage that cannot be opened is a StorageException (exit 3). */
    Store open() {
        var b = FeatureStore.builder().storage(db);
        if (config != null) {
            b.registry(config);
        }
        if (user != null) {
            b.user(user);
        }
        if (password != null) {
            b.password(password);
        }
        return b.build();
    }
}
