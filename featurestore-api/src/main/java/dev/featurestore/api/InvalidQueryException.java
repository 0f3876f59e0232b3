package dev.featurestore.api;

/**
 * A query whose parts do not fit together, found at its terminal call: a timeframe the feature
 * set does not allow, a series coarser than the timeframe asked for, a window longer than the
 * data can give. The message says what would be valid.
 */
public class InvalidQueryException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message which parts do not fit together, and what would be valid
     */
    public InvalidQueryException(String message) {
        super(message);
    }
}
