package dev.featurestore.core.snapshot;

import dev.featurestore.api.StorageException;
import dev.featurestore.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * File helpers for snapshots: the SHA-256 of a file (as kept in the audit log), syncing a file or
 * directory to disk, and the library version written into snapshot metadata.
 */
public final class SnapshotFiles {
    private static final String VERSION = readVersion();

    private SnapshotFiles() {
    }

    /**
     * The SHA-256 of a file's bytes, as the audit log keeps it.
     *
     * @param file the file to hash, read whole
     * @return 64 lower-case hex digits
     * @throws StorageException when the file cannot be read
     */
    public static String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + " to hash it: " + e, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Forces a file's content and metadata to the storage device ({@link AtomicFiles#fsync}).
     *
     * @param file an existing, writable file
     * @throws StorageException when it cannot
     */
    public static void fsync(Path file) {
        AtomicFiles.fsync(file);
    }

    /**
     * Forces a directory's entries to the storage device where the platform allows it
     * ({@link AtomicFiles#fsyncDirectory}).
     *
     * @param dir the directory
     * @return true when the directory was synced, false when it could not be opened or synced
     */
    public static boolean fsyncDirectory(Path dir) {
        return AtomicFiles.fsyncDirectory(dir);
    }

    /**
     * The featurestore version, from the Maven descriptor in the core jar; {@code unknown} when
     * core runs from a class directory.
     *
     * @return the version, e.g. {@code 0.1.0}, or {@code unknown}
     */
    public static String libraryVersion() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = SnapshotFiles.class
                .getResourceAsStream("/META-INF/maven/dev.featurestore/featurestore-core/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = SnapshotFiles.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
