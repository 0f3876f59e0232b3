package dev.featurestore.arrow;

import dev.featurestore.testkit.ConcurrentProcessesContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;

/** Two processes writing one Feather storage directory at once lose nothing. */
@DisplayName("Feather storage shared by two processes")
class FeatherConcurrentProcessesTest extends ConcurrentProcessesContract {
    @Override
    protected String storageUrl(Path dir) {
        return "feather:" + dir.resolve("store");
    }

    @Override
    protected List<String> childJvmOptions() {
        return List.of("--add-opens=java.base/java.nio=ALL-UNNAMED");
    }
}
