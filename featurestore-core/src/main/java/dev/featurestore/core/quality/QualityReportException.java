package dev.featurestore.core.quality;

import dev.featurestore.api.FeatureStoreException;

/** A data-quality report file cannot be read: not JSON, or a field missing or of the wrong type. Names the file and the field. */
public final class QualityReportException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The report file, as the message names it. */
    private final String file;

    /**
     * An exception whose message starts with the file.
     *
     * @param file the report file
     * @param message what is wrong: not JSON, a field missing or of the wrong type, an unknown format version
     * @param cause the underlying failure, e.g. the JSON parser's, or null
     */
    public QualityReportException(String file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** {@return the report file that cannot be read, as the message names it} */
    public String file() {
        return file;
    }
}
