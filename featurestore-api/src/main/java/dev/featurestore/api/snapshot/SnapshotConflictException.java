package dev.featurestore.api.snapshot;

import dev.featurestore.api.FeatureStoreException;

/**
 * A snapshot file already exists at the target path with different content. Snapshots are
 * immutable; export with overwrite to replace it on purpose.
 */
public class SnapshotConflictException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The existing file. */
    private final String path;

    /**
     * An exception whose message gives both hashes and the ways out.
     *
     * @param path the existing file
     * @param existingSha256 the SHA-256 of the file there
     * @param newSha256 the SHA-256 of the content that was to be written
     */
    public SnapshotConflictException(String path, String existingSha256, String newSha256) {
        super("snapshot " + path + " already exists with different content (sha256 " + existingSha256
                + ", new " + newSha256 + "); snapshots are immutable: export to another date or directory, or ask for"
                + " overwrite");
        this.path = path;
    }

    /** {@return the existing file, as the exporter was given its path} */
    public String path() {
        return path;
    }
}
