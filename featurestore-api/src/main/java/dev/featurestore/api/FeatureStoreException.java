package dev.featurestore.api;

/**
 * The root of every exception featurestore throws on purpose. It is unchecked: catch it where
 * you can act on it, and let it travel otherwise.
 *
 * <p>Subclasses carry the details a caller needs to fix the problem (which candle, which file and
 * line, which SQLSTATE). Misuse of an argument (a null, a negative size) stays an
 * {@link IllegalArgumentException} or {@link NullPointerException}.
 */
public class FeatureStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message what went wrong, where, and what would be valid
     */
    public FeatureStoreException(String message) {
        super(message);
    }

    /**
     * An exception with this message, caused by {@code cause}.
     *
     * @param message what went wrong, where, and what would be valid
     * @param cause the underlying failure
     */
    public FeatureStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
