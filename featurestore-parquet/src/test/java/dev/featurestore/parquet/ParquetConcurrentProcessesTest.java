package dev.featurestore.parquet;

import dev.featurestore.testkit.ConcurrentProcessesContract;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

/** Two processes writing one Parquet storage directory at once lose nothing. */
@DisplayName("Parquet storage shared by two processes")
class ParquetConcurrentProcessesTest extends ConcurrentProcessesContract {
    @Override
    protected String storageUrl(Path dir) {
        return "parquet:" + dir.resolve("store");
    }
}
