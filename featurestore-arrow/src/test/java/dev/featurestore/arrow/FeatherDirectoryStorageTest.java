package dev.featurestore.arrow;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.testkit.DirectoryStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The Feather directory storage keeps the promises of a storage kept as files. */
@DisplayName("Feather directory storage")
class FeatherDirectoryStorageTest extends DirectoryStorageContract {
    @Override
    protected FeatureStorage openStorage(Path dir) {
        return new FeatherStorageProvider().open(StorageConfig.of("feather:" + dir));
    }

    @Override
    protected String extension() {
        return "feather";
    }
}
