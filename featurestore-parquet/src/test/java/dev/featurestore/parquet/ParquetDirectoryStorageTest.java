package dev.featurestore.parquet;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.testkit.DirectoryStorageContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The Parquet directory storage keeps the promises of a storage kept as files. */
@DisplayName("Parquet directory storage")
class ParquetDirectoryStorageTest extends DirectoryStorageContract {
    @Override
    protected FeatureStorage openStorage(Path dir, Map<String, String> options) {
        return new ParquetStorageProvider().open(new StorageConfig("parquet:" + dir, null, null, options));
    }

    @Override
    protected String extension() {
        return "parquet";
    }
}
