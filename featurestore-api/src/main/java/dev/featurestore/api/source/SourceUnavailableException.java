package dev.featurestore.api.source;

/**
 * A {@link CandleSource} that is unreachable or keeps failing: the connection is refused or times
 * out, the server answers HTTP 5xx or 429, or its answer is not a whole, well-formed page, on
 * every one of the attempts its retry policy allows. Unlike its parent {@link SourceException}
 * (a request or input that is wrong as it stands, such as a malformed file or an HTTP 404), the
 * same call may succeed later; the command line exits with its own code for it.
 *
 * <pre>{@code
 * moex-iss: https://iss.moex.com/iss/engines/stock/...: HTTP 503 (down) after 4 attempts
 * }</pre>
 */
public class SourceUnavailableException extends SourceException {
    private static final long serialVersionUID = 1L;

    /** How many attempts were made, at least 1. */
    private final int attempts;

    /**
     * An exception whose reason ends with the number of attempts, e.g.
     * {@code HTTP 503 (down) after 4 attempts}.
     *
     * @param source the source's {@link CandleSource#name()}
     * @param location the URL (or other address) that failed
     * @param column the column at fault when the last answer was a malformed page, or null
     * @param reason what the last attempt got, e.g. {@code HTTP 503 (down)}
     * @param attempts how many attempts were made, at least 1
     * @param cause the underlying error of the last attempt, or null
     * @throws IllegalArgumentException when {@code attempts} is below 1
     */
    public SourceUnavailableException(String source, String location, String column, String reason, int attempts,
            Throwable cause) {
        super(source, location, 0, column, reason + " after " + attempts + " attempt" + (attempts == 1 ? "" : "s"),
                cause);
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.attempts = attempts;
    }

    /** {@return how many attempts were made before giving up, at least 1} */
    public int attempts() {
        return attempts;
    }
}
