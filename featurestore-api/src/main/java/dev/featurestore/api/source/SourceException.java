package dev.featurestore.api.source;

import dev.featurestore.api.FeatureStoreException;

/**
 * A {@link CandleSource} could not deliver candles: a file or response that cannot be read, a
 * malformed row or payload, an HTTP error that is not retried. The message names the source,
 * where (file and line, or URL), the column when one is at fault, and what was wrong. A source
 * that is unreachable or keeps failing through its retries throws the subclass
 * {@link SourceUnavailableException}.
 *
 * <pre>{@code
 * moex-iss: https://iss.moex.com/iss/engines/stock/...: block 'candles' lacks columns [begin]; found [open, close]
 * csv: data/candles.csv:17, column 'high': not a number: 'abc'
 * }</pre>
 */
public class SourceException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The name of the source that failed. */
    private final String source;
    /** The file or URL that was being read. */
    private final String location;
    /** The 1-based line in a file, or 0. */
    private final long line;
    /** The column at fault, or null. */
    private final String column;
    /** What was wrong, without the location prefix. */
    private final String reason;

    /**
     * An exception whose message reads {@code source: location:line, column 'column': reason},
     * the line and column left out when there are none.
     *
     * @param source the source's {@link CandleSource#name()}
     * @param location the file or URL that was read
     * @param line the 1-based line of a file, or 0 when not tied to a line
     * @param column the column at fault, or null
     * @param reason what was wrong, and what would be valid
     * @param cause the underlying error, or null
     */
    public SourceException(String source, String location, long line, String column, String reason,
            Throwable cause) {
        super(source + ": " + location + (line > 0 ? ":" + line : "")
                + (column == null ? "" : ", column '" + column + "'") + ": " + reason, cause);
        this.source = source;
        this.location = location;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /**
     * Like the full constructor, for an error not tied to a line or column: the message reads
     * {@code source: location: reason}.
     *
     * @param source the source's {@link CandleSource#name()}
     * @param location the file or URL that was read
     * @param reason what was wrong, and what would be valid
     * @param cause the underlying error, or null
     */
    public SourceException(String source, String location, String reason, Throwable cause) {
        this(source, location, 0, null, reason, cause);
    }

    /** {@return the name of the source that failed, e.g. {@code csv} or {@code moex-iss}} */
    public String source() {
        return source;
    }

    /** {@return the file or URL that was being read} */
    public String location() {
        return location;
    }

    /** {@return the 1-based line in a file, or 0 when the error is not tied to a line} */
    public long line() {
        return line;
    }

    /** {@return the column at fault, or null} */
    public String column() {
        return column;
    }

    /** {@return what was wrong, without the location prefix} */
    public String reason() {
        return reason;
    }
}
