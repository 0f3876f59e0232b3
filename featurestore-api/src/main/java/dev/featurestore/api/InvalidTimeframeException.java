package dev.featurestore.api;

/**
 * A timeframe text that {@link Timeframe#parse(String)} cannot read, such as {@code "5s"} or
 * {@code "2d"}. The message quotes the text and lists the valid forms
 * ({@link Timeframe#validForms()}).
 *
 * <p>It stays an {@link IllegalArgumentException}, since a timeframe text is an argument, so
 * callers that catch that keep working.
 */
public final class InvalidTimeframeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The text that could not be read, as given. */
    private final String text;

    /**
     * @param text the text that could not be read
     * @param reason what is wrong with it
     */
    public InvalidTimeframeException(String text, String reason) {
        super("bad timeframe '" + text + "': " + reason + "; valid forms are " + Timeframe.validForms());
        this.text = text;
    }

    /** {@return the text that could not be read, as given} */
    public String text() {
        return text;
    }
}
