package dev.featurestore.jdbc;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.testkit.StreamCheckpointContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The SQLite storage fulfils the stream checkpoint contract, each test on a new database file. */
@DisplayName("SQLite stream checkpoint contract")
class SqliteStreamCheckpointContractTest extends StreamCheckpointContract {
    @Override
    protected FeatureStorage openStorage(Path dir) {
        return new SqliteStorageProvider().open(StorageConfig.of("jdbc:sqlite:" + dir.resolve("featurestore.db")));
    }
}
