package dev.featurestore.parquet;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.FeatureStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The Parquet directory storage fulfils the storage contract, each test in a new directory. */
@DisplayName("Parquet storage contract")
class ParquetStorageContractTest extends FeatureStorageContract {
    @Override
    protected Store openStore(Path dir, Map<String, String> options) {
        Store.Builder b = FeatureStore.builder().storage("parquet:" + dir.resolve("store"));
        options.forEach(b::option);
        return b.build();
    }
}
