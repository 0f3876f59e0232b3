package dev.featurestore.core.io;

import dev.featurestore.api.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Files written whole or not at all, the one way every writer of this library replaces a file: the
 * content goes to a temporary file in the target's directory, which is synced to the device,
 * renamed over the target atomically, and the directory synced where the platform allows it
 * (not on Windows). A failure at any step deletes the temporary file and leaves the old target
 * as it was.
 *
 * <p>The temporary file is named {@code .<target name>.<16 hex digits>.tmp} (the target name cut
 * to {@value #MAX_NAME_IN_TEMP} characters). A process killed mid-write cannot delete it, so every
 * write removes the temporary files of its own target that are older than {@link #STALE_AGE}
 * ({@link #removeStale}); younger ones may belong to a write still running elsewhere, and a file
 * of any other name is never touched.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("out/report.json"), tmp -> Files.writeString(tmp, json));
 * }</pre>
 */
public final class AtomicFiles {
    /**
     * How long a temporary file must have been left unmodified before a later write deletes it as
     * left behind by a killed writer: 10 minutes. A write in progress modifies its file all the
     * time and renames it a moment after its last byte, so it is never that old.
     */
    public static final Duration STALE_AGE = Duration.ofMinutes(10);

    /** The longest part of a target's name that goes into its temporary name (file names stay short). */
    public static final int MAX_NAME_IN_TEMP = 64;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HEX_DIGITS = 16;
    private static final String SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes the content of a file at the path it is given (a new, not yet existing file). */
    @FunctionalInterface
    public interface Content {
        /**
         * Creates and writes {@code tmp}.
         *
         * @param tmp the temporary file to create, in the target's directory; it does not exist yet
         * @throws IOException when the write fails; the temporary file is then deleted
         */
        void writeTo(Path tmp) throws IOException;
    }

    /**
     * Replaces {@code target} with what {@code content} writes, creating the directory when missing.
     *
     * @param target the file to write or replace
     * @param content writes the new content into the temporary file it is handed
     * @throws StorageException when a step fails (the old target is left as it was), or when the
     *     file system cannot rename atomically
     */
    public static void write(Path target, Content content) {
        Objects.requireNonNull(content, "content");
        Path tmp = temporaryBeside(target);
        boolean moved = false;
        try {
            Files.createDirectories(tmp.getParent());
            removeStaleQuietly(tmp.getParent(), target.getFileName().toString());
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

    /**
     * Replaces {@code target} with {@code bytes}; see {@link #write(Path, Content)}.
     *
     * @param target the file to write or replace
     * @param bytes the whole new content
     * @throws StorageException as {@link #write(Path, Content)} does
     */
    public static void write(Path target, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        write(target, tmp -> Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /**
     * A fresh temporary name in the target's directory, {@code .<target name>.<16 hex digits>.tmp}:
     * hidden, naming its target (cut to {@value #MAX_NAME_IN_TEMP} characters, so that a long
     * target name still leaves room), never a name a target of this library could have. The file
     * is not created.
     *
     * @param target the file the temporary one will replace
     * @return an absolute path in the target's directory, with 64 random bits in its name
     */
    public static Path temporaryBeside(Path target) {
        Path absolute = Objects.requireNonNull(target, "target").toAbsolutePath();
        byte[] random = new byte[HEX_DIGITS / 2];
        RANDOM.nextBytes(random);
        return absolute.getParent().resolve("." + nameInTemp(absolute.getFileName().toString()) + "."
                + HexFormat.of().formatHex(random) + SUFFIX);
    }

    /**
     * The target name a temporary file of {@link #temporaryBeside} stands for (cut as there), or
     * null when {@code fileName} is not such a temporary name.
     *
     * @param fileName a file name without directory
     * @return the target's name as cut for the temporary name, or null
     */
    public static String targetOfTemporary(String fileName) {
        int n = fileName.length();
        int dot = n - SUFFIX.length() - HEX_DIGITS - 1;
        if (dot < 2 || fileName.charAt(0) != '.' || !fileName.endsWith(SUFFIX) || fileName.charAt(dot) != '.') {
            return null;
        }
        for (int i = dot + 1; i < n - SUFFIX.length(); i++) {
            char c = fileName.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return null;
            }
        }
        return fileName.substring(1, dot);
    }

    /**
     * Deletes the temporary files that writes into {@code dir} left behind and that are older than
     * {@code age}: regular files named as {@link #temporaryBeside} names them, for a target name
     * that {@code targets} accepts (it is given the name as cut there), last modified {@code age}
     * or more before the clock's instant. No other file is touched, nor a directory or a link.
     *
     * @param dir the directory to clean; a missing one has nothing to delete
     * @param targets which targets' temporary files to consider, by the target's file name
     * @param age how long a file must have been left unmodified, e.g. {@link #STALE_AGE}
     * @param clock the clock whose instant the age is measured back from
     * @return the files deleted
     * @throws StorageException when {@code dir} cannot be listed
     */
    public static List<Path> removeStale(Path dir, Predicate<String> targets, Duration age, Clock clock) {
        Objects.requireNonNull(targets, "targets");
        Instant cutoff = clock.instant().minus(Objects.requireNonNull(age, "age"));
        List<Path> deleted = new ArrayList<>();
        for (Path p : temporaries(dir, targets)) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile() && !a.lastModifiedTime().toInstant().isAfter(cutoff) && Files.deleteIfExists(p)) {
                    deleted.add(p);
                }
            } catch (NoSuchFileException e) {
                // removed meanwhile
            } catch (IOException e) {
                throw new StorageException("cannot remove the stale temporary file " + p + ": " + e, e);
            }
        }
        return deleted;
    }

    /**
     * The temporary files of {@link #temporaryBeside} in {@code dir} for targets that
     * {@code targets} accepts, whatever their age, in no particular order.
     *
     * @param dir the directory to list; a missing one has none
     * @param targets which targets' temporary files to list, by the target's name as cut there
     * @return the temporary files found, empty when none
     * @throws StorageException when {@code dir} cannot be listed
     */
    public static List<Path> temporaries(Path dir, Predicate<String> targets) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String target = targetOfTemporary(p.getFileName().toString());
            return target != null && targets.test(target);
        })) {
            ds.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + " for temporary files: " + e, e);
        }
        return out;
    }

    /**
     * Whether a target name cut for a temporary name ({@link #temporaryBeside}) is that of {@code target}.
     *
     * @param cutName a target name as {@link #targetOfTemporary(String)} returns it
     * @param target a target's full file name
     * @return true when {@code target}, cut to {@value #MAX_NAME_IN_TEMP} characters, is {@code cutName}
     */
    public static boolean sameTarget(String cutName, String target) {
        return cutName.equals(nameInTemp(target));
    }

    private static String nameInTemp(String name) {
        if (name.length() <= MAX_NAME_IN_TEMP) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_NAME_IN_TEMP - 1)) ? MAX_NAME_IN_TEMP - 1 : MAX_NAME_IN_TEMP;
        return name.substring(0, end);
    }

    /** {@link #removeStale} for one target before a write; a failure to clean up never fails the write. */
    private static void removeStaleQuietly(Path dir, String target) {
        try {
            removeStale(dir, cut -> sameTarget(cut, target), STALE_AGE, Clock.systemUTC());
        } catch (StorageException e) {
            // the write itself reports what is wrong with the directory
        }
    }

    /**
     * Syncs a written temporary file, renames it over {@code target} atomically and syncs the
     * directory where the platform allows it. On failure the temporary file is left for the
     * caller to delete.
     *
     * @param tmp the written temporary file, in the target's directory
     * @param target the file to replace
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
     * @param file an existing, writable file
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
     * @param dir the directory
     * @return true when the directory was synced, false when it could not be opened or synced
     */
    public static boolean fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes a file if it exists, ignoring a failure (the error that led here is the one to report).
     *
     * @param file the file to delete, or null for nothing
     */
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
