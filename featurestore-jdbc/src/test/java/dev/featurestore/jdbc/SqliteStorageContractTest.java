package dev.featurestore.jdbc;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.FeatureStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The SQLite storage fulfils the storage contract, each test on a new database file. */
@DisplayName("SQLite storage contract")
class SqliteStorageContractTest extends FeatureStorageContract {
    @Override
    protected Store openStore(Path dir, Map<String, String> options) {
        Store.Builder b = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("featurestore.db"));
        options.forEach(b::option);
        return b.build();
    }
}
