package dev.featurestore.api;

import java.util.List;

/** A feature set name that the registry does not define; the message lists the ones it does. */
public final class UnknownFeatureSetException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The name that was asked for. */
    private final String name;
    /** The feature sets the registry defines, an unmodifiable copy. */
    private final List<String> known;

    /**
     * An exception whose message lists the known feature sets.
     *
     * @param name the name that was asked for
     * @param known the feature sets the registry defines
     */
    public UnknownFeatureSetException(String name, List<String> known) {
        super("unknown feature set '" + name + "'; known sets: " + known);
        this.name = name;
        this.known = List.copyOf(known);
    }

    /** {@return the name that was asked for} */
    public String name() {
        return name;
    }

    /** {@return the feature sets the registry defines, unmodifiable} */
    public List<String> known() {
        return known;
    }
}
