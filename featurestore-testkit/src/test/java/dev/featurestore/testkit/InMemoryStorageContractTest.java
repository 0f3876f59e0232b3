package dev.featurestore.testkit;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The in-memory storage, the default of a store without a storage URL, fulfils the contract. */
@DisplayName("In-memory storage contract")
class InMemoryStorageContractTest extends FeatureStorageContract {
    @Override
    protected Store openStore(Path dir, Map<String, String> options) {
        Store.Builder b = FeatureStore.builder();
        options.forEach(b::option);
        return b.build();
    }
}
