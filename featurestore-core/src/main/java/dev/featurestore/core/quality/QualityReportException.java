package dev.featurestore.core.quality;

import dev.featurestore.api.FeatureStoreException;

/** A data-quality report file cannot be read: not JSON, or a field missing or of the wrong type. Names the file and the field. */
public final class QualityReportException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

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

    /** The report file. */
    public String file() {
        return file;
    }
}
