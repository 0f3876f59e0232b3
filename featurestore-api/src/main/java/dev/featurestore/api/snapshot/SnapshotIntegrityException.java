package dev.featurestore.api.snapshot;

import dev.featurestore.api.FeatureStoreException;

/** A snapshot file's SHA-256 is not the one recorded for it: the file was changed or damaged. */
public class SnapshotIntegrityException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception whose message gives both hashes.
     *
     * @param path the snapshot file
     * @param expectedSha256 the SHA-256 recorded at export
     * @param actualSha256 the SHA-256 of the file as it is now
     */
    public SnapshotIntegrityException(String path, String expectedSha256, String actualSha256) {
        super("snapshot " + path + " has sha256 " + actualSha256 + " but " + expectedSha256
                + " was recorded; the file was changed or damaged after export");
    }
}
