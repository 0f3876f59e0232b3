package dev.featurestore.arrow;

import dev.featurestore.core.storage.files.FileStorage;
import dev.featurestore.core.storage.files.FileStorageProvider;

/**
 * Opens a storage kept as Feather (Arrow IPC) files in a directory, for URLs
 * {@code feather:<directory>} (e.g. {@code feather:data/featurestore}). Layout and guarantees: see
 * {@link FileStorage}; URL and options: see {@link FileStorageProvider}. Like every Arrow use on
 * JDK 17+, the JVM needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}.
 */
public final class FeatherStorageProvider extends FileStorageProvider {
    /** The URL scheme. */
    public static final String SCHEME = "feather";

    /**
     * The provider {@link java.util.ServiceLoader} makes, found by
     * {@code FeatureStore.builder().storage("feather:...")}.
     */
    public FeatherStorageProvider() {
        super(SCHEME, FeatherTableCodec::new);
    }
}
