package dev.featurestore.core;

import dev.featurestore.core.registry.FeatureRegistry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A feature store: the registry of feature sets and the queries over it. Build one with
 * {@link FeatureStore#builder()}, share it between threads, close it when done.
 *
 * <p>Thread-safe and immutable once built.
 */
public final class Store implements AutoCloseable {
    private final FeatureRegistry registry;

    private Store(Builder builder) {
        this.registry = builder.registry != null ? builder.registry : FeatureStore.defaultRegistry();
    }

    /**
     * A query over one feature set. The name is checked at once.
     *
     * @throws dev.featurestore.api.UnknownFeatureSetException listing the known sets
     */
    public FeatureQuery forSet(String featureSet) {
        return new FeatureQuery(this, registry.featureSet(featureSet));
    }

    /** The registry this store reads feature sets from. */
    public FeatureRegistry registry() {
        return registry;
    }

    /** Releases what the store holds. Queries made from it must not be used afterwards. */
    @Override
    public void close() {
        // An in-memory store holds nothing that needs releasing.
    }

    @Override
    public String toString() {
        return "Store[" + registry + "]";
    }

    /** Settings of a {@link Store}; sealed by {@link #build()}. */
    public static final class Builder {
        private FeatureRegistry registry;

        Builder() {
        }

        /** Reads the registry from a YAML file (default: as {@link FeatureStore#shared()} finds it). */
        public Builder registry(Path file) {
            this.registry = FeatureRegistry.load(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** Uses a registry already read. */
        public Builder registry(FeatureRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The store. */
        public Store build() {
            return new Store(this);
        }
    }
}
