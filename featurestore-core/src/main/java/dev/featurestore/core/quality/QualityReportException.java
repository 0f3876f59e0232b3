package dev.featurestore.core.quality;

import dev.featurestore.api.FeatureStoreException;

/** A data-quality report file cannot be read: not JSON, or a field missing or of the wrong type. Names the file and the field. */
public final class QualityReportException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    private final String file;

    public QualityReportException(String file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The report file. */
    public String file() {
        return file;
    }
}
