package dev.featurestore.core.io;

import dev.featurestore.api.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Files written whole or not at all, the one way every writer of this library replaces a file: the
 * content goes to a temporary file in the target's directory, which is synced to the device,
 * renamed over the target atomically, and the directory synced where the platform allows it
 * (not on Windows). A failure at any step deletes the temporary file and leaves the old target
 * as it was.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("out/report.json"), tmp -> Files.writeString(tmp, json));
 * }</pre>
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes the content of a file at the path it is given (a new, not yet existing file). */
    @FunctionalInterface
    public interface Content {
        /**
         * Creates and writes {@code tmp}.
         *
         * @throws IOException when the write fails; the temporary file is then deleted
         */
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code content} writes, creating the directory when missing.
     *
     * @throws StorageException when a step fails (the old target is left as it was), or when the
     *     file system cannot rename atomically
     */
    public static void write(Path target, Content content) {
        Objects.requireNonNull(content, "content");
        Path tmp = temporaryBeside(target);
        boolean moved = false;
        try {
            Files.createDirectories(tmp.getParent());
            content.writeTo(tmp);
            moveIntoPlace(tmp, target);
            moved = true;
        } catch (IOException e) {
            throw new StorageException("cannot write " + target + ": " + e, e);
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Replaces {@code target} with {@code bytes}; see {@link #write(Path, Content)}. */
    public static void write(Path target, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        write(target, tmp -> Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /**
     * A fresh temporary name in the target's directory: short (so that a long target name still
     * leaves room), hidden, ending in {@code .tmp}. The file is not created.
     */
    public static Path temporaryBeside(Path target) {
        Path parent = Objects.requireNonNull(target, "target").toAbsolutePath().getParent();
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return parent.resolve("." + HexFormat.of().formatHex(random) + ".tmp");
    }

    /**
     * Syncs a written temporary file, renames it over {@code target} atomically and syncs the
     * directory where the platform allows it. On failure the temporary file is left for the
     * caller to delete.
     *
     * @throws StorageException when the file system cannot rename atomically or a step fails
     */
    public static void moveIntoPlace(Path tmp, Path target) {
        fsync(tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StorageException("the file system of " + target.toAbsolutePath().getParent()
                    + " cannot rename atomically, so " + target.getFileName() + " cannot be written safely there", e);
        } catch (IOException e) {
            throw new StorageException("cannot move " + tmp + " to " + target + ": " + e, e);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Forces a file's content and metadata to the storage device.
     *
     * @throws StorageException when it cannot
     */
    public static void fsync(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot sync " + file + " to disk: " + e, e);
        }
    }

    /**
     * Forces a directory's entries (a rename into it) to the storage device where the platform
     * allows it; on platforms that cannot open a directory (Windows) this does nothing.
     *
     * @return true when the directory was synced
     */
    public static boolean fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a file if it exists, ignoring a failure (the error that led here is the one to report). */
    public static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary name is never read
            }
        }
    }
}
