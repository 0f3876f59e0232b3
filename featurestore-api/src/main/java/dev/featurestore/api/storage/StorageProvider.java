package dev.featurestore.api.storage;

import java.util.List;

/**
 * Opens a {@link FeatureStorage} for the URLs it understands; discovered with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.featurestore.api.storage.StorageProvider}).
 */
public interface StorageProvider {

    /**
     * {@return true when this provider opens URLs like this one (e.g. those starting
     * {@code jdbc:sqlite:})}
     *
     * @param url a storage URL as a user gave it
     */
    boolean accepts(String url);

    /**
     * The URL forms this provider accepts, for error messages, e.g.
     * {@code jdbc:sqlite:<file>}.
     *
     * @return the accepted URL forms in words; by default the provider's class name
     */
    default List<String> urlForms() {
        return List.of(getClass().getName());
    }

    /**
     * Opens (and, where needed, creates or migrates) the storage.
     *
     * @param config the URL, which {@link #accepts(String)} this provider, credentials and
     *     options
     * @return the open storage, which the caller closes
     * @throws dev.featurestore.api.StorageException when it cannot be opened
     */
    FeatureStorage open(StorageConfig config);
}
