package dev.featurestore.arrow;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code feather} snapshot format: the Arrow IPC file format (Feather version 2), which
 * pandas, polars, pyarrow and DuckDB's arrow extension open directly. Columns, all non-nullable:
 * {@code secid} (Utf8, dictionary-encoded with Int32 indices; pandas shows it as a category),
 * {@code ts} ({@code Timestamp(MILLISECOND, "UTC")}), then one column per feature in the
 * metadata's order, {@code Float64} for numeric and {@code Int8} for categorical features. The
 * snapshot metadata is the Arrow schema's custom metadata. Record batches hold up to
 * {@value #ROWS_PER_BATCH} rows; the only compression is {@code uncompressed}.
 *
 * <p>Needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED} on JDK 17 and later.
 */
public final class FeatherSnapshotFormat implements SnapshotFormat {
    /** Rows per record batch. */
    public static final int ROWS_PER_BATCH = 1 << 17;

    private static final List<String> COMPRESSIONS = List.of("uncompressed");

    /** The format, as {@link java.util.ServiceLoader} creates it. */
    public FeatherSnapshotFormat() {
    }

    @Override
    public String name() {
        return "feather";
    }

    @Override
    public String extension() {
        return "feather";
    }

    @Override
    public List<String> compressions() {
        return COMPRESSIONS;
    }

    @Override
    public void write(List<FeatureFrame> frames, SnapshotMetadata meta, String compression, Path target) {
        if (compression != null && !COMPRESSIONS.contains(compression.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "feather snapshots have no compression '" + compression + "'; valid: " + COMPRESSIONS);
        }
        meta.requireMatches(frames);
        FeatherSnapshotWriter.write(frames, meta, target, ROWS_PER_BATCH);
    }

    @Override
    public List<FeatureFrame> read(Path file) {
        return FeatherSnapshotReader.read(file);
    }

    @Override
    public SnapshotMetadata readMetadata(Path file) {
        return FeatherSnapshotReader.readMetadata(file);
    }
}
