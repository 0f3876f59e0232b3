package dev.featurestore.api.snapshot;

import dev.featurestore.api.FeatureFrame;
import java.nio.file.Path;
import java.util.List;

/**
 * A file format feature snapshots are written in, such as {@code parquet} or {@code feather}.
 * Implementations are discovered with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.featurestore.api.snapshot.SnapshotFormat}) and looked up by
 * {@link #name()}.
 *
 * <p>A format only encodes and decodes; the caller (core's {@code SnapshotExporter}) picks the
 * path, writes to a temporary file, syncs it to disk and renames it into place. A file holds the
 * rows of every frame, secid after secid in the given order, with columns {@code secid},
 * {@code ts} (epoch milliseconds UTC) and then the features in the metadata's order; numeric
 * features are doubles, categorical ones small integers.
 *
 * <p>Writing must be deterministic: the same frames, metadata and options give byte-identical
 * files (no wall-clock time or random identifier inside). Implementations are thread-safe.
 */
public interface SnapshotFormat {

    /** {@return the name the format is looked up by, lower case: {@code parquet}, {@code feather}} */
    String name();

    /** {@return the file name extension without the dot, e.g. {@code parquet}} */
    String extension();

    /** {@return the compression codecs {@link #write} accepts, lower case, the default first} */
    List<String> compressions();

    /**
     * Writes the frames into a new file at {@code target}, which must not exist yet.
     *
     * @param frames one frame per secid, each matching {@code meta} (see
     *     {@link SnapshotMetadata#requireMatches(List)}); secids distinct
     * @param meta the metadata written into the file and that every frame must match
     * @param compression one of {@link #compressions()}, or null for the default
     * @param target the file to create; its directory exists, the file does not
     * @throws IllegalArgumentException when the frames do not match the metadata, a categorical
     *     value is not a small whole number, or the compression is unknown
     * @throws dev.featurestore.api.FeatureStoreException when the file cannot be written
     */
    void write(List<FeatureFrame> frames, SnapshotMetadata meta, String compression, Path target);

    /**
     * Reads a file this format wrote back into frames, one per secid in file order.
     *
     * @param file a file this format wrote
     * @return one frame per secid, in file order, each of the metadata's feature set, timeframe
     *     and features
     * @throws dev.featurestore.api.FeatureStoreException when the file cannot be read or lacks
     *     the snapshot metadata
     */
    List<FeatureFrame> read(Path file);

    /**
     * Reads only the metadata of a file this format wrote, without its rows.
     *
     * @param file a file this format wrote
     * @return the metadata stored in the file
     * @throws dev.featurestore.api.FeatureStoreException when the file cannot be read or lacks
     *     the snapshot metadata
     */
    SnapshotMetadata readMetadata(Path file);
}
