package dev.featurestore.core.stream;

import dev.featurestore.api.FeatureStoreException;

/**
 * Saved stream state that cannot be restored here: not a stream state, a format version this
 * release does not read, cut short, or saved for another feature set, fingerprint, timeframe or
 * instrument than the stream restoring it. The message names what differs.
 */
public class StreamStateException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what is wrong with the state, and what was expected
     */
    public StreamStateException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what is wrong with the state, and what was expected
     * @param cause the failure that revealed it
     */
    public StreamStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
