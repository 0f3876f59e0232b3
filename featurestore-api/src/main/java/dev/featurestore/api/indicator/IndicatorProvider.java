package dev.featurestore.api.indicator;

import java.util.List;

/**
 * A source of features, discovered with {@link java.util.ServiceLoader}: list the implementing
 * class in {@code META-INF/services/dev.featurestore.api.indicator.IndicatorProvider} of your jar
 * and name its features in a feature set of the registry.
 *
 * <p>Feature names must be unique across all providers on the class path; a clash is an error
 * when the registry is loaded.
 */
public interface IndicatorProvider {

    /** The definition version that {@link #definitionVersion()} returns unless overridden. */
    String DEFAULT_DEFINITION_VERSION = "1";

    /** {@return the features this provider defines, each name once} */
    List<Indicator> indicators();

    /**
     * The version of this provider's formulas, part of the fingerprint of every feature set that
     * names one of its features (see {@code FeatureRegistry.fingerprint}). Change it whenever a
     * feature's values would change for the same name, kind, inputs and parameters (a fixed
     * formula, another neutral value, a new warm-up): the builds and snapshots stored under the
     * old version then no longer match the registry, and building or exporting such a set is
     * refused until it is registered as a new feature set.
     *
     * <p>Any non-empty text without control characters; compared as text, never parsed. The
     * default is {@value #DEFAULT_DEFINITION_VERSION}, stable across runs and releases.
     *
     * @return the version of the formulas, the same on every call
     */
    default String definitionVersion() {
        return DEFAULT_DEFINITION_VERSION;
    }
}
