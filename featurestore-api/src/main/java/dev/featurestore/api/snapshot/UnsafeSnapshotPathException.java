package dev.featurestore.api.snapshot;

import dev.featurestore.api.FeatureStoreException;

/**
 * A feature set or timeframe name that cannot be used as a directory name of the snapshot layout,
 * because it is empty, is {@code .} or {@code ..}, or holds a path separator, a NUL or another
 * character outside {@code [A-Za-z0-9_.-]}: such a name could place a file outside the snapshot
 * directory.
 */
public class UnsafeSnapshotPathException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with this message.
     *
     * @param message the name at fault, quoted, and the characters allowed
     */
    public UnsafeSnapshotPathException(String message) {
        super(message);
    }
}
