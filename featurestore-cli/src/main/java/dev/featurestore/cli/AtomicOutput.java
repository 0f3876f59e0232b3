package dev.featurestore.cli;

import dev.featurestore.api.StorageException;
import dev.featurestore.core.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * A text file written whole or not at all, a streaming front to the core's {@link AtomicFiles}:
 * the text goes to a temporary file beside the target, which is synced and replaces the target in
 * one atomic rename on {@link #commit()}; {@link #close()} without a commit deletes the temporary
 * file, so a failed run leaves nothing behind, and opening removes the target's temporary files
 * that a killed run left ({@link AtomicFiles#removeStale}, older than {@link AtomicFiles#STALE_AGE}).
 */
final class AtomicOutput implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final Path target;
    private final Path temp;
    private final Writer writer;
    private boolean committed;

    private AtomicOutput(Path target, Path temp, Writer writer) {
        this.target = target;
        this.temp = temp;
        this.writer = writer;
    }

    /** Opens a temporary file in the target's directory (made when missing). */
    static AtomicOutput open(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            String name = absolute.getFileName().toString();
            AtomicFiles.removeStale(dir, cut -> AtomicFiles.sameTarget(cut, name), AtomicFiles.STALE_AGE,
                    Clock.systemUTC());
            // Not Files.createTempFile: its owner-only permissions would carry over to the output.
            Path candidate = AtomicFiles.temporaryBeside(absolute);
            OutputStream stream = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            temp = candidate;
            Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), BUFFER);
            return new AtomicOutput(target, temp, w);
        } catch (IOException | StorageException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new CliException(Main.STORAGE, target + ": cannot be written: " + e, e);
        }
    }

    /** Where the text goes until the commit. */
    Writer writer() {
        return writer;
    }

    /** Flushes, closes, syncs and moves the file into place atomically ({@link AtomicFiles#moveIntoPlace}). */
    void commit() {
        try {
            writer.close();
            AtomicFiles.moveIntoPlace(temp, target);
            committed = true;
        } catch (IOException | StorageException e) {
            throw new CliException(Main.STORAGE, target + ": cannot be written: " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary file unless committed. */
    @Override
    public void close() {
        if (!committed) {
            try {
                writer.close();
            } catch (IOException e) {
                // The file is deleted next; a failure to close it changes nothing.
            }
            AtomicFiles.deleteQuietly(temp);
        }
    }

    /** Wraps a write failure as a storage error naming the target. */
    CliException writeFailed(IOException e) {
        return new CliException(Main.STORAGE, target + ": cannot be written: " + e, e);
    }
}
