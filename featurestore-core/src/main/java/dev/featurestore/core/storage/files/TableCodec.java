package dev.featurestore.core.storage.files;

import java.nio.file.Path;
import java.util.Map;

/**
 * The file format under a {@link FileStorage}: writes a {@link ColumnTable} into a new file and
 * reads it back bit for bit (doubles keep their raw bits, NaN payloads included). Implemented by
 * the Parquet and Feather modules; {@link FileStorage} does everything else (layout, atomic
 * replacement, locking, merging).
 *
 * <p>Implementations are thread-safe and keep no state between calls.
 */
public interface TableCodec {

    /** {@return the file name extension without the dot, e.g. {@code parquet}} */
    String extension();

    /**
     * Writes the table into {@code target}, which must not exist yet. The caller syncs and renames
     * the file; on failure it deletes it.
     *
     * @param table the rows and metadata to write
     * @param target the new file, in the storage's directory
     * @throws dev.featurestore.api.FeatureStoreException when the file cannot be written
     */
    void write(ColumnTable table, Path target);

    /**
     * Reads a file this codec wrote.
     *
     * @param file the file
     * @return the table, bit for bit as written
     * @throws dev.featurestore.api.FeatureStoreException when the file cannot be read or is not a
     *     table of this codec
     */
    ColumnTable read(Path file);

    /**
     * Reads only the key-value metadata of a file this codec wrote.
     *
     * @param file the file
     * @return the metadata as written
     * @throws dev.featurestore.api.FeatureStoreException when the file cannot be read or is not a
     *     table of this codec
     */
    Map<String, String> readMetadata(Path file);
}
