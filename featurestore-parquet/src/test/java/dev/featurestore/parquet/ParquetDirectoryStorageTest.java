package dev.featurestore.parquet;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.testkit.DirectoryStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** The Parquet directory storage keeps the promises of a storage kept as files. */
@DisplayName("Parquet directory storage")
class ParquetDirectoryStorageTest extends DirectoryStorageContract {
    @Override
    protected FeatureStorage openStorage(Path dir) {
        return new ParquetStorageProvider().open(StorageConfig.of("parquet:" + dir));
    }

    @Override
    protected String extension() {
        return "parquet";
    }
}
