package dev.featurestore.arrow;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.FeatureStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The Feather directory storage fulfils the storage contract, each test in a new directory. */
@DisplayName("Feather storage contract")
class FeatherStorageContractTest extends FeatureStorageContract {
    @Override
    protected Store openStore(Path dir) {
        return FeatureStore.builder().storage("feather:" + dir.resolve("store")).build();
    }
}
