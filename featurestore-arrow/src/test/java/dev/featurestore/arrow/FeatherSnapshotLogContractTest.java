package dev.featurestore.arrow;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.SnapshotLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The Feather directory storage keeps the snapshot audit log, Feather snapshots recorded in it. */
@DisplayName("Feather storage snapshot log contract")
class FeatherSnapshotLogContractTest extends SnapshotLogContract {
    @Override
    protected Store openStore(Path dir) {
        return FeatureStore.builder().storage("feather:" + dir.resolve("store")).build();
    }

    @Override
    protected String format() {
        return "feather";
    }
}
