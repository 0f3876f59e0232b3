package dev.featurestore.core.storage.files;

import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.StorageProvider;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Opens a {@link FileStorage} for URLs {@code <scheme>:<directory>} (relative to the working
 * directory unless absolute; the directory is created when missing), with one file format's
 * {@link TableCodec}. Option {@code cache_mb} ({@link StorageConfig#options()}): MiB of values the
 * read cache keeps, 256 by default, 0 for none. Each format module registers a subclass.
 */
public abstract class FileStorageProvider implements StorageProvider {
    private final String scheme;
    private final Supplier<TableCodec> codec;

    /**
     * A provider for URLs {@code <scheme>:<directory>}; each storage it opens gets its own codec
     * from {@code codec}.
     *
     * @param scheme the URL scheme, e.g. {@code parquet}
     * @param codec makes the codec of each storage opened
     */
    protected FileStorageProvider(String scheme, Supplier<TableCodec> codec) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public boolean accepts(String url) {
        return url != null && url.startsWith(scheme + ":");
    }

    @Override
    public List<String> urlForms() {
        return List.of(scheme + ":<directory>");
    }

    @Override
    public FeatureStorage open(StorageConfig config) {
        return FileStorage.open(FileStorage.directoryOf(config.url(), scheme), codec.get(), scheme, config.options());
    }
}
