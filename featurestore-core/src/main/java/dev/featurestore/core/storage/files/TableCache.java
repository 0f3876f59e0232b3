package dev.featurestore.core.storage.files;

import dev.featurestore.api.StorageException;
import dev.featurestore.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The data files of a {@link FileStorage} read and written through its {@link TableCodec}, with
 * the last tables read or written kept in memory: least recently used dropped first, at most a
 * given number of bytes of values, each entry keyed by its path and used only while the file's
 * identity, modification time and size are still the ones it was read with. Writes replace the
 * whole file through {@link AtomicFiles}. Thread-safe.
 */
final class TableCache {
    private final TableCodec codec;
    /** Files read last, least recently used first; at most {@link #cacheBytes} of values. */
    private final LinkedHashMap<Path, Cached> cache = new LinkedHashMap<>(64, 0.75f, true);
    private final long cacheBytes;
    private long cachedBytes;

    private record Cached(Object fileKey, FileTime modified, long size, ColumnTable table) {
    }

    /** A cache of at most {@code cacheBytes} of values (0: none) over the files of {@code codec}. */
    TableCache(TableCodec codec, long cacheBytes) {
        this.codec = codec;
        this.cacheBytes = cacheBytes;
    }

    /** A file's table (from the cache when it holds the file), null when there is no file. */
    ColumnTable read(Path file) {
        BasicFileAttributes attrs = attributes(file);
        if (attrs == null) {
            return null;
        }
        Cached c = cached(file, attrs);
        if (c != null) {
            return c.table();
        }
        // The content read is at least as new as the attributes, so a stale entry is never kept.
        ColumnTable t;
        try {
            t = codec.read(file);
        } catch (StorageException e) {
            if (!Files.exists(file)) {
                return null;
            }
            throw e;
        }
        remember(file, new Cached(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), t));
        return t;
    }

    /** A file's key-value metadata (from the cache when it holds the file), null when there is no file. */
    Map<String, String> readMetadata(Path file) {
        BasicFileAttributes attrs = attributes(file);
        if (attrs == null) {
            return null;
        }
        Cached c = cached(file, attrs);
        if (c != null) {
            return c.table().metadata();
        }
        try {
            return codec.readMetadata(file);
        } catch (StorageException e) {
            if (!Files.exists(file)) {
                return null;
            }
            throw e;
        }
    }

    /** Replaces {@code target} with {@code table} atomically and caches the table as the file's. */
    void write(Path target, ColumnTable table) {
        AtomicFiles.write(target, tmp -> codec.write(table, tmp));
        try {
            BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
            remember(target, new Cached(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), table));
        } catch (IOException e) {
            forget(target);
        }
    }

    /** Drops every entry; files stay as they are. */
    void clear() {
        synchronized (cache) {
            cache.clear();
            cachedBytes = 0;
        }
    }

    /** A file's attributes, null when there is no file. */
    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
    }

    /** The cache entry of a file when it still describes the file as it is, else null. */
    private Cached cached(Path file, BasicFileAttributes attrs) {
        synchronized (cache) {
            Cached c = cache.get(file);
            if (c != null && Objects.equals(c.fileKey(), attrs.fileKey()) && c.modified().equals(attrs.lastModifiedTime())
                    && c.size() == attrs.size()) {
                return c;
            }
            return null;
        }
    }

    private static long weight(ColumnTable t) {
        return (long) t.rows() * (t.columns().length + 1) * Long.BYTES;
    }

    /** Caches a table, dropping the least recently used ones beyond the cache's size. */
    private void remember(Path file, Cached c) {
        synchronized (cache) {
            forget(file);
            long w = weight(c.table());
            if (w > cacheBytes) {
                return;
            }
            cache.put(file, c);
            cachedBytes += w;
            var it = cache.values().iterator();
            while (cachedBytes > cacheBytes && it.hasNext()) {
                cachedBytes -= weight(it.next().table());
                it.remove();
            }
        }
    }

    private void forget(Path file) {
        synchronized (cache) {
            Cached old = cache.remove(file);
            if (old != null) {
                cachedBytes -= weight(old.table());
            }
        }
    }
}
