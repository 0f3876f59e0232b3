package dev.featurestore.parquet;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.SnapshotLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The Parquet directory storage keeps the snapshot audit log, Parquet snapshots recorded in it. */
@DisplayName("Parquet storage snapshot log contract")
class ParquetSnapshotLogContractTest extends SnapshotLogContract {
    @Override
    protected Store openStore(Path dir) {
        return FeatureStore.builder().storage("parquet:" + dir.resolve("store")).build();
    }
}
