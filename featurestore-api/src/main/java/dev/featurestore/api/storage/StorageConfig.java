package dev.featurestore.api.storage;

import java.util.Map;
import java.util.Objects;

/**
 * Where and how to open a storage: a URL such as {@code jdbc:sqlite:featurestore.db} or
 * {@code jdbc:postgresql://host/db}, credentials, and backend options (pool size, ...).
 */
public record StorageConfig(String url, String user, String password, Map<String, String> options) {
    /**
     * Checks the URL and copies the options; user and password may be null.
     *
     * @throws NullPointerException when the URL or the options are null
     */
    public StorageConfig {
        Objects.requireNonNull(url, "url");
        options = Map.copyOf(options);
    }

    /** A config with just a URL. */
    public static StorageConfig of(String url) {
        return new StorageConfig(url, null, null, Map.of());
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "StorageConfig[" + url + (user == null ? "" : ", user " + user) + ", options " + options.keySet() + "]";
    }
}
