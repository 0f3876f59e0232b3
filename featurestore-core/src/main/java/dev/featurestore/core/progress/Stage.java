package dev.featurestore.core.progress;

import java.util.Locale;

/**
 * The stages of a {@link dev.featurestore.core.pipeline.Pipeline} run, in the order they run; each
 * reports to a {@link ProgressListener}.
 */
public enum Stage {
    /** Candles from a source into the store ({@link dev.featurestore.core.ingest.Ingest}). */
    INGEST,
    /** Features computed from the stored candles and stored. */
    BUILD,
    /** Stored features written to snapshot files and recorded in the audit log. */
    EXPORT,
    /** The data-quality report. */
    QUALITY;

    /** {@return the lower-case name, as printed: {@code ingest}, {@code build}, {@code export}, {@code quality}} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
