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
 * PostgreSQL fulfils the storage contract with the default write method ({@code COPY} into a
 * staging table, then one merge), each test on a fresh database of a real embedded server.
 */
@DisplayName("PostgreSQL storage contract (COPY writes)")
class PostgresStorageContractTest extends FeatureStorageContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    @Override
    protected Store openStore(Path dir, Map<String, String> options) {
        PostgresDatabase db = PG.newDatabase();
        Store.Builder b = FeatureStore.builder().storage(db.url()).user(db.user()).password(db.password())
                .option(PostgresStorageProvider.POOL_SIZE, "4");
        options.forEach(b::option);
        return b.build();
    }

}
