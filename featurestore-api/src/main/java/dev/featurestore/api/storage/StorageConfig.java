package dev.featurestore.api.storage;

import java.util.Map;
import java.util.Objects;

/**
 * Where and how to open a storage: a URL such as {@code jdbc:sqlite:featurestore.db} or
 * {@code jdbc:postgresql://host/db}, credentials, and backend options (pool size, ...).
 *
 * @param url where the storage is, in a form a {@link StorageProvider} accepts
 * @param user the user name to log in with, or null when the backend needs none
 * @param password the password to log in with, or null
 * @param options backend options by name, unmodifiable; which names a backend reads is its
 *     provider's to say
 */
public record StorageConfig(String url, String user, String password, Map<String, String> options) {
    /**
     * Checks the URL and copies the options; user and password may be null.
     *
     * @param url where the storage is, in a form a {@link StorageProvider} accepts; not null
     * @param user the user name to log in with, or null
     * @param password the password to log in with, or null
     * @param options backend options by name; not null, without null keys or values
     * @throws NullPointerException when the URL or the options are null
     */
    public StorageConfig {
        Objects.requireNonNull(url, "url");
        options = Map.copyOf(options);
    }

    /**
     * {@return a config with just a URL: no user, no password, no options}
     *
     * @param url where the storage is, e.g. {@code jdbc:sqlite:featurestore.db}; not null
     * @throws NullPointerException when {@code url} is null
     */
    public static StorageConfig of(String url) {
        return new StorageConfig(url, null, null, Map.of());
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "StorageConfig[" + url + (user == null ? "" : ", user " + user) + ", options " + options.keySet() + "]";
    }
}
