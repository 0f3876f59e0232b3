package dev.featurestore.arrow;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.SnapshotLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The in-memory storage keeps the snapshot audit log as the contract says, over Feather snapshots. */
@DisplayName("In-memory snapshot log contract (Feather)")
class InMemoryFeatherSnapshotLogContractTest extends SnapshotLogContract {
    @Override
    protected Store openStore(Path dir) {
        return FeatureStore.builder().build();
    }

    @Override
    protected String format() {
        return "feather";
    }
}
