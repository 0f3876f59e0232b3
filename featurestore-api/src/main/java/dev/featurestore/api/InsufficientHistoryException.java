package dev.featurestore.api;

/**
 * Fewer clean rows are available than a window needs. Windows are never silently short: the
 * message says how many rows were required and how many there are.
 */
public final class InsufficientHistoryException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The window size asked for, in rows. */
    private final int required;
    /** The clean rows there are. */
    private final int available;

    /**
     * An exception whose message names what was asked for and both counts.
     *
     * @param what the feature set, secid and timeframe the window was asked for
     * @param required the window size asked for
     * @param available the clean rows there are
     */
    public InsufficientHistoryException(String what, int required, int available) {
        super(what + ": a window of " + required + " clean rows is required but only " + available
                + " are available");
        this.required = required;
        this.available = available;
    }

    /** {@return the window size asked for, in rows} */
    public int required() {
        return required;
    }

    /** {@return the clean rows there are, fewer than {@link #required()}} */
    public int available() {
        return available;
    }
}
