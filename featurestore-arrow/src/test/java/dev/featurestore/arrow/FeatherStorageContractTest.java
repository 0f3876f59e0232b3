package dev.featurestore.arrow;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.FeatureStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The Feather directory storage fulfils the storage contract, each test in a new directory. */
@DisplayName("Feather storage contract")
class FeatherStorageContractTest extends FeatureStorageContract {
    @Override
    protected Store openStore(Path dir, Map<String, String> options) {
        Store.Builder b = FeatureStore.builder().storage("feather:" + dir.resolve("store"));
        options.forEach(b::option);
        return b.build();
    }
}
