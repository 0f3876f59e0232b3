package dev.featurestore.parquet;

import dev.featurestore.core.storage.files.FileStorage;
import dev.featurestore.core.storage.files.FileStorageProvider;

/**
 * Opens a storage kept as Parquet files in a directory, for URLs {@code parquet:<directory>}
 * (e.g. {@code parquet:data/featurestore}). Layout and guarantees: see {@link FileStorage};
 * URL and options: see {@link FileStorageProvider}.
 */
public final class ParquetStorageProvider extends FileStorageProvider {
    /** The URL scheme. */
    public static final String SCHEME = "parquet";

    /**
     * The provider {@link java.util.ServiceLoader} makes, found by
     * {@code FeatureStore.builder().storage("parquet:...")}.
     */
    public ParquetStorageProvider() {
        super(SCHEME, ParquetTableCodec::new);
    }
}
