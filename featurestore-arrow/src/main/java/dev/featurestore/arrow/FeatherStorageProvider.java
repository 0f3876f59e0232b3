package dev.featurestore.arrow;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.StorageProvider;
import dev.featurestore.core.storage.files.FileStorage;
import java.util.List;

/**
 * Opens a storage kept as Feather (Arrow IPC) files in a directory, for URLs
 * {@code feather:<directory>} (e.g. {@code feather:data/featurestore}; relative to the working
 * directory unless absolute). The directory is created when missing. Layout and guarantees: see
 * {@link FileStorage}.
 * Option {@code cache_mb} ({@link StorageConfig#options()}): MiB of values the read cache keeps,
 * 256 by default, 0 for none. Like every Arrow use on JDK 17+, the JVM needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}.
 */
public final class FeatherStorageProvider implements StorageProvider {
    /** The URL scheme. */
    public static final String SCHEME = "feather";

    @Override
    public boolean accepts(String url) {
        return url != null && url.startsWith(SCHEME + ":");
    }

    @Override
    public List<String> urlForms() {
        return List.of(SCHEME + ":<directory>");
    }

    @Override
    public FeatureStorage open(StorageConfig config) {
        return FileStorage.open(FileStorage.directoryOf(config.url(), SCHEME), new FeatherTableCodec(), SCHEME,
                config.options());
    }
}
