package dev.featurestore.testkit;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.core.storage.InMemoryStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The in-memory storage fulfils the stream checkpoint contract. */
@DisplayName("In-memory stream checkpoint contract")
class InMemoryStreamCheckpointContractTest extends StreamCheckpointContract {
    @Override
    protected FeatureStorage openStorage(Path dir) {
        return new InMemoryStorage();
    }
}
