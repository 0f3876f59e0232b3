package dev.featurestore.parquet;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code parquet} snapshot format. Columns: {@code secid} (required UTF-8 string,
 * dictionary-encoded), {@code ts} (required INT64 {@code TIMESTAMP(MILLIS, UTC)}), then one
 * required column per feature in the metadata's order, {@code DOUBLE} for numeric features and
 * {@code INT32} annotated {@code INT(8, signed)} for categorical ones. The snapshot metadata goes
 * into the footer's key-value metadata. Codecs: {@code snappy} (default), {@code zstd},
 * {@code uncompressed}.
 *
 * <p>Values are written column by column through Parquet's column writers (no record
 * materialization); the same input gives byte-identical files. Row groups hold up to
 * {@value #ROWS_PER_GROUP} rows.
 */
public final class ParquetSnapshotFormat implements SnapshotFormat {
    /** Rows per row group: about 64 MB of doubles at 20 features, near Spark's default group size. */
    public static final int ROWS_PER_GROUP = 1 << 19;

    private static final List<String> COMPRESSIONS = List.of("snappy", "zstd", "uncompressed");

    /** The format, as {@link java.util.ServiceLoader} creates it. */
    public ParquetSnapshotFormat() {
    }

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public String extension() {
        return "parquet";
    }

    @Override
    public List<String> compressions() {
        return COMPRESSIONS;
    }

    @Override
    public void write(List<FeatureFrame> frames, SnapshotMetadata meta, String compression, Path target) {
        String codec = compression == null ? COMPRESSIONS.get(0) : compression.toLowerCase(Locale.ROOT);
        if (!COMPRESSIONS.contains(codec)) {
            throw new IllegalArgumentException(
                    "parquet snapshots have no compression '" + compression + "'; valid: " + COMPRESSIONS);
        }
        meta.requireMatches(frames);
        ParquetSnapshotWriter.write(frames, meta, codec, target, ROWS_PER_GROUP);
    }

    @Override
    public List<FeatureFrame> read(Path file) {
        return ParquetSnapshotReader.read(file);
    }

    @Override
    public SnapshotMetadata readMetadata(Path file) {
        return ParquetSnapshotReader.readMetadata(file);
    }
}
