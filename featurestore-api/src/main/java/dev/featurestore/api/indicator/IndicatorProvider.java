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

    /** The features this provider defines. */
    List<Indicator> indicators();
}
