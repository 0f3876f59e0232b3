package dev.featurestore.api;

import java.util.List;
import java.util.Objects;

/**
 * One versioned feature set of the registry, e.g. {@code tech_v2}: its description, its
 * features in their fixed order, the default window size and the timeframes it may be built for.
 * Any change to the list of features is a new feature set.
 *
 * @param name the feature set's name, e.g. {@code tech_v2}; not null
 * @param description what the set is for, in words; empty when the registry gives none
 * @param features the feature names in their fixed column order, at least one, unmodifiable
 * @param defaultWindowSize the window size (rows) a query uses unless it asks for another, 1 or
 *     more
 * @param timeframes the timeframes the set may be built for, unmodifiable
 */
public record FeatureSetSpec(String name, String description, List<String> features, int defaultWindowSize,
        List<Timeframe> timeframes) {

    /**
     * Checks and copies the fields; a null description becomes empty.
     *
     * @param name the feature set's name, e.g. {@code tech_v2}; not null
     * @param description what the set is for, in words, or null for none
     * @param features the feature names in their fixed column order, at least one; not null
     * @param defaultWindowSize the window size (rows) a query uses unless it asks for another, 1 or
     *     more
     * @param timeframes the timeframes the set may be built for; not null
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when {@code defaultWindowSize} is below 1 or there are no features
     */
    public FeatureSetSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        features = List.copyOf(features);
        timeframes = List.copyOf(timeframes);
        if (defaultWindowSize < 1) {
            throw new IllegalArgumentException("defaultWindowSize must be >= 1, got " + defaultWindowSize);
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("feature set '" + name + "' has no features");
        }
    }

    /**
     * {@return true when the set may be built for this timeframe}
     *
     * @param timeframe the timeframe asked for
     */
    public boolean allows(Timeframe timeframe) {
        return timeframes.contains(timeframe);
    }
}
