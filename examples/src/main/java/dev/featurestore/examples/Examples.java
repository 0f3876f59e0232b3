package dev.featurestore.examples;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What the examples share: the store over {@code my_feature_store.yaml}. */
public final class Examples {
    /** The registry of the examples, on the class path. */
    public static final String REGISTRY_RESOURCE = "my_feature_store.yaml";

    private Examples() {
    }

    /**
     * A store over the registry file named by the first argument, else over the copy of
     * {@code my_feature_store.yaml} on the class path.
     */
    public static Store store(String[] args) {
        if (args.length > 0) {
            return FeatureStore.builder().registry(Path.of(args[0])).build();
        }
        try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(REGISTRY_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(REGISTRY_RESOURCE + " is missing from the class path");
            }
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return FeatureStore.builder().registry(FeatureRegistry.parse("classpath:" + REGISTRY_RESOURCE, yaml))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
