package dev.featurestore.core;

import dev.featurestore.api.RegistryException;
import dev.featurestore.core.registry.FeatureRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The entry point of featurestore.
 *
 * <pre>{@code
 * // the shared default store, for scripts and tests
 * FeatureWindow w = FeatureStore.forSet("tech_v2").timeframe("5m").window(120).latest(candles);
 *
 * // a store of your own, built once and shared
 * try (Store store = FeatureStore.builder().registry(Path.of("config/feature_store.yaml")).build()) {
 *     FeatureFrame f = store.forSet("tech_v1").timeframe("1h").compute(candles);
 * }
 *
 * // a store over a fact layer (SQLite here; featurestore-jdbc on the class path)
 * try (Store store = FeatureStore.builder().storage("jdbc:sqlite:data/featurestore.db").build()) {
 *     store.candles().upsert(oneMinuteCandles);
 *     store.forSet("tech_v2").timeframe("5m").secid("SBER").between(from, to).build();
 *     FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER").asOf(t).fetch();
 * }
 * }</pre>
 *
 * <p>{@link #forSet(String)} is sugar over {@link #shared()}, a store made on first use whose
 * registry is read from the file named by the system property {@value #CONFIG_PROPERTY}, else by
 * the environment variable {@value #CONFIG_ENV}, else the registry built into the jar.
 */
public final class FeatureStore {
    /** The system property naming the shared store's registry file. */
    public static final String CONFIG_PROPERTY = "featurestore.config";
    /** The environment variable naming the shared store's registry file. */
    public static final String CONFIG_ENV = "FEATURESTORE_CONFIG";

    private FeatureStore() {
    }

    /**
     * A query over feature set {@code name} on the shared store; the name is checked at once.
     *
     * @param name the feature set's name as the registry spells it, e.g. {@code tech_v2}
     * @return an immutable query step with no timeframe, window or instruments chosen yet
     * @throws dev.featurestore.api.UnknownFeatureSetException listing the known sets
     */
    public static FeatureQuery forSet(String name) {
        return shared().forSet(name);
    }

    /**
     * A builder for a store of your own.
     *
     * @return a new builder with nothing set: the registry as {@link #shared()} finds it, storage in memory
     */
    public static Store.Builder builder() {
        return new Store.Builder();
    }

    /**
     * The shared default store, made on first use (see the class comment for where its registry
     * comes from). It holds no resources that need closing.
     *
     * @return the one shared store of this class loader, the same instance on every call
     * @throws RegistryException when the system property {@code featurestore.config} or the environment
     *     variable {@code FEATURESTORE_CONFIG} names a file that is missing or not a valid registry (on
     *     every call until the file is fixed)
     */
    public static Store shared() {
        Store store = shared;
        if (store == null) {
            synchronized (FeatureStore.class) {
                store = shared;
                if (store == null) {
                    // Not a holder class: a bad registry file must surface as its RegistryException on
                    // every call (and succeed once the file is fixed), not as ExceptionInInitializerError.
                    store = builder().registry(defaultRegistry()).build();
                    shared = store;
                }
            }
        }
        return store;
    }

    private static volatile Store shared;

    static FeatureRegistry defaultRegistry() {
        String path = System.getProperty(CONFIG_PROPERTY);
        String origin = "system property " + CONFIG_PROPERTY;
        if (path == null || path.isBlank()) {
            path = System.getenv(CONFIG_ENV);
            origin = "environment variable " + CONFIG_ENV;
        }
        if (path == null || path.isBlank()) {
            return FeatureRegistry.builtin();
        }
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new RegistryException(path, 0, null, "named by the " + origin + ", but no such file exists");
        }
        return FeatureRegistry.load(Objects.requireNonNull(file));
    }
}
