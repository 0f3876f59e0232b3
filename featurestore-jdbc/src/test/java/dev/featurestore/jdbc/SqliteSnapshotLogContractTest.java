package dev.featurestore.jdbc;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.SnapshotLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** SQLite keeps the snapshot audit log in train_data_snapshots as the contract says, each test on a new file. */
@DisplayName("SQLite snapshot log contract")
class SqliteSnapshotLogContractTest extends SnapshotLogContract {
    @Override
    protected Store openStore(Path dir) {
        return FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("featurestore.db")).build();
    }
}
