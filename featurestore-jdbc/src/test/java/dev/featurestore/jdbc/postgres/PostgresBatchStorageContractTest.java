package dev.featurestore.jdbc.postgres;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import dev.featurestore.testkit.FeatureStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL fulfils the storage contract with the plain JDBC batch write method too (a small
 * batch size, so that a write spans many batches).
 */
@DisplayName("PostgreSQL storage contract (batch writes)")
class PostgresBatchStorageContractTest extends FeatureStorageContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    @Override
    protected Store openStore(Path dir, Map<String, String> options) {
        PostgresDatabase db = PG.newDatabase();
        Store.Builder b = FeatureStore.builder().storage(db.url()).user(db.user()).password(db.password())
                .option(PostgresStorageProvider.WRITE_METHOD, "batch")
                .option(PostgresStorageProvider.BATCH_SIZE, "97");
        options.forEach(b::option);
        return b.build();
    }
}
