package dev.featurestore.api;

import java.util.Objects;

/**
 * A build or export of a feature set whose definition changed since its values were stored: the
 * fingerprint recorded with the latest completed build of the (feature set, timeframe, secid)
 * differs from the fingerprint of the set in the registry. Stored values and new ones would no
 * longer be of one definition, so the registry must name the changed definition as a new feature
 * set (e.g. {@code tech_v3}) instead of editing the old one.
 */
public final class FeatureSetChangedException extends InvalidQueryException {
    private static final long serialVersionUID = 1L;

    /** The feature set whose definition changed. */
    private final String featureSet;
    /** The fingerprint stored with the latest completed build. */
    private final String storedFingerprint;
    /** The fingerprint of the set as the registry defines it now. */
    private final String registryFingerprint;

    /**
     * An exception whose message names both fingerprints and says how to go on: a new feature
     * set for the changed definition.
     *
     * @param featureSet the feature set whose definition changed, e.g. {@code tech_v2}; not null
     * @param what the refused call and series, e.g. {@code "build() of tech_v2 5m secid 'SBER'"}
     * @param storedFingerprint the fingerprint of the latest completed build
     * @param registryFingerprint the fingerprint of the set in the registry now
     * @throws NullPointerException when {@code featureSet} or a fingerprint is null
     */
    public FeatureSetChangedException(String featureSet, String what, String storedFingerprint,
            String registryFingerprint) {
        super(what + " is refused: feature set '" + featureSet + "' was stored with fingerprint "
                + storedFingerprint + " but the registry now defines it with fingerprint " + registryFingerprint
                + "; its features, parameters, timeframes or formulas changed since. Create a new feature set in the"
                + " registry (a new name, such as the next tech_vN) for the changed definition, and restore '"
                + featureSet + "' to the definition it was stored with");
        this.featureSet = Objects.requireNonNull(featureSet, "featureSet");
        this.storedFingerprint = Objects.requireNonNull(storedFingerprint, "storedFingerprint");
        this.registryFingerprint = Objects.requireNonNull(registryFingerprint, "registryFingerprint");
    }

    /** {@return the feature set whose definition changed} */
    public String featureSet() {
        return featureSet;
    }

    /** {@return the fingerprint stored with the latest completed build} */
    public String storedFingerprint() {
        return storedFingerprint;
    }

    /** {@return the fingerprint of the set as the registry defines it now} */
    public String registryFingerprint() {
        return registryFingerprint;
    }
}
