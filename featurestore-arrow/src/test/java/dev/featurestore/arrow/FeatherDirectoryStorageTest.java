package dev.featurestore.arrow;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.testkit.DirectoryStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The Feather directory storage keeps the promises of a storage kept as files. */
@DisplayName("Feather directory storage")
class FeatherDirectoryStorageTest extends DirectoryStorageContract {
    @Override
    protected FeatureStorage openStorage(Path dir, Map<String, String> options) {
        return new FeatherStorageProvider().open(new StorageConfig("feather:" + dir, null, null, options));
    }

    @Override
    protected String extension() {
        return "feather";
    }
}
