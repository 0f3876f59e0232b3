package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.snapshot.SnapshotConflictException;
import dev.featurestore.api.snapshot.SnapshotFormat;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes feature frames into one snapshot file and returns its audit records, one per secid.
 *
 * <p>The file goes to {@link SnapshotLayout#path}. It is written to a temporary file in the
 * target directory (named {@code .YYYYMMDD.ext.<random>.tmp}, which is never taken for a
 * snapshot), synced to disk, renamed into place atomically, and the directory is synced: a process
 * killed at any moment leaves either no file or a complete one at the final path. Frames are
 * written in secid order, so the same frames give the same bytes.
 *
 * <p>A snapshot is immutable: exporting different content to an existing path throws
 * {@link SnapshotConflictException} unless {@link Builder#overwrite(boolean)} is set; exporting
 * identical content again leaves the file alone and returns records of it (created at the file's
 * modification time). Temporary files that a killed export left behind (named as above, for a
 * {@code YYYYMMDD.ext} target) are deleted by a later export into the same directory once they
 * are older than {@link Builder#staleTempAge(Duration)}, {@link AtomicFiles#STALE_AGE} by
 * default; no other file is ever deleted.
 *
 * <pre>{@code
 * SnapshotExporter exporter = SnapshotExporter.builder().format("parquet").build();
 * List<SnapshotRecord> records = exporter.export(Path.of("data/processed/features"), frames, meta);
 * }</pre>
 *
 * <p>Immutable and thread-safe; two exports to the same path at the same moment are not
 * serialized (the last rename wins, both files being complete).
 */
public final class SnapshotExporter {
    /** The names of snapshot files, whatever the format: the targets whose temporary files an export cleans up. */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9]{8}(\\.[a-z][a-z0-9_]*)?\\.[A-Za-z0-9_-]+");

    private final SnapshotFormat format;
    private final String compression;
    private final boolean overwrite;
    private final Clock clock;
    private final Duration staleTempAge;
    private final ExchangeCalendar calendar;

    private SnapshotExporter(Builder b) {
        this.format = b.format;
        this.compression = b.compression;
        this.overwrite = b.overwrite;
        this.clock = b.clock;
        this.staleTempAge = b.staleTempAge;
        this.calendar = b.calendar;
    }

    /** {@return a new builder, with no format (one is required), no overwrite and the format's default compression} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the format files are written in} */
    public SnapshotFormat format() {
        return format;
    }

    /**
     * Exports with the as-of date taken from the frames (see {@link SnapshotLayout#asOfDate}).
     *
     * @param outputDir the snapshot output directory
     * @param frames feature rows of one feature set and timeframe, one non-empty frame per secid
     * @param meta the file's metadata, matching the frames
     * @return one record per secid, in secid order, all naming the same file and hash
     * @throws SnapshotConflictException as {@link #export(Path, List, SnapshotMetadata, LocalDate)} does
     */
    public List<SnapshotRecord> export(Path outputDir, List<FeatureFrame> frames, SnapshotMetadata meta) {
        return export(outputDir, frames, meta, null);
    }

    /**
     * Exports the frames into {@code {outputDir}/{feature_set}/{timeframe}/YYYYMMDD.ext}.
     *
     * @param outputDir the snapshot output directory, created when missing
     * @param frames feature rows of one feature set and timeframe, one non-empty frame per secid,
     *     timestamps strictly increasing; written in secid order
     * @param meta the file's metadata: feature set, timeframe and features must match the frames
     * @param date the file's date, or null for the as-of date of the frames
     * @return one record per secid, in secid order, all naming the same file and hash; when a
     *     different file was replaced (overwrite), each record names its hash in
     *     {@link SnapshotRecord#replacedSha256()}
     * @throws IllegalArgumentException when no frame is given, a frame is empty, its timestamps
     *     are not strictly increasing, or the frames do not match {@code meta}
     * @throws SnapshotConflictException when a different file is already at the path and
     *     overwrite is off
     * @throws dev.featurestore.api.snapshot.UnsafeSnapshotPathException when the feature set name
     *     could escape {@code outputDir}
     */
    public List<SnapshotRecord> export(Path outputDir, List<FeatureFrame> frames, SnapshotMetadata meta,
            LocalDate date) {
        return export(outputDir, frames, meta, date, null);
    }

    /**
     * Exports the frames of one split of a training dataset into {@code
     * {outputDir}/{feature_set}/{timeframe}/YYYYMMDD.{split}.ext}, otherwise as {@link #export(Path,
     * List, SnapshotMetadata, LocalDate)} does.
     *
     * @param outputDir the snapshot output directory, created when missing
     * @param frames rows of one feature set and timeframe, one non-empty frame per secid
     * @param meta the file's metadata, matching the frames
     * @param date the file's date, or null for the as-of date of the frames
     * @param split the split's name, a lower-case name such as {@code train}, or null for a feature
     *     snapshot's {@code YYYYMMDD.ext}
     * @return one record per secid, in secid order, all naming the same file and hash
     * @throws IllegalArgumentException as {@link #export(Path, List, SnapshotMetadata, LocalDate)} does
     * @throws SnapshotConflictException as {@link #export(Path, List, SnapshotMetadata, LocalDate)} does
     * @throws dev.featurestore.api.snapshot.UnsafeSnapshotPathException when a name could escape
     *     {@code outputDir}
     */
    public List<SnapshotRecord> export(Path outputDir, List<FeatureFrame> frames, SnapshotMetadata meta,
            LocalDate date, String split) {
        try (Staged staged = stage(outputDir, frames, meta, date, split)) {
            return publish(staged);
        }
    }

    /**
     * A snapshot file written completely beside its target (forced to disk and hashed), not yet
     * in place; closing it deletes the file unless {@link #publish} moved it.
     */
    final class Staged implements AutoCloseable {
        private final Path directory;
        private final List<FeatureFrame> sorted;
        private final SnapshotMetadata meta;
        private final Path target;
        private final Path tmp;
        private final String sha;

        private Staged(Path directory, List<FeatureFrame> sorted, SnapshotMetadata meta, Path target, Path tmp,
                String sha) {
            this.directory = directory.toAbsolutePath().normalize();
            this.sorted = sorted;
            this.meta = meta;
            this.target = target;
            this.tmp = tmp;
            this.sha = sha;
        }

        SnapshotExporter exporter() {
            return SnapshotExporter.this;
        }

        /** The snapshot output directory it was staged for, absolute and normalized. */
        Path directory() {
            return directory;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a leftover temp file is never taken for a snapshot and is removed by a later export
            }
        }
    }

    /**
     * The first step of {@link #export(Path, List, SnapshotMetadata, LocalDate, String)}: the file
     * beside its target.
     */
    Staged stage(Path outputDir, List<FeatureFrame> frames, SnapshotMetadata meta, LocalDate date, String split) {
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(meta, "meta");
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("nothing to export: no frames given");
        }
        meta.requireMatches(frames);
        for (FeatureFrame f : frames) {
            requireIncreasing(f);
        }
        List<FeatureFrame> sorted = sortedBySecid(frames) ? frames : new ArrayList<>(frames);
        if (sorted != frames) {
            sorted.sort(Comparator.comparing(FeatureFrame::secid));
        }
        LocalDate day = date != null ? date : SnapshotLayout.asOfDate(sorted, meta.timeframe(), calendar);
        if (split != null) {
            SnapshotLayout.requireSafeName("split", split);
        }
        Path target = SnapshotLayout.path(outputDir, meta.featureSet(), meta.timeframe(), day,
                split == null ? format.extension() : split + "." + format.extension());
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create the snapshot directory " + dir + ": " + e, e);
        }
        AtomicFiles.removeStale(dir, name -> SNAPSHOT_NAME.matcher(name).matches(), staleTempAge, clock);
        Path tmp = AtomicFiles.temporaryBeside(target);
        boolean staged = false;
        try {
            format.write(sorted, meta, compression, tmp);
            SnapshotFiles.fsync(tmp);
            Staged out = new Staged(outputDir, sorted, meta, target, tmp, SnapshotFiles.sha256(tmp));
            staged = true;
            return out;
        } finally {
            if (!staged) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a leftover temp file is never taken for a snapshot and is removed by a later export
                }
            }
        }
    }

    /**
     * Whether the frames are in secid order already; then they are written as given, without a
     * copy of the list (whose frames a caller may hand over one at a time, see {@code FrameSpill}).
     */
    private static boolean sortedBySecid(List<FeatureFrame> frames) {
        String last = null;
        for (FeatureFrame f : frames) {
            if (last != null && last.compareTo(f.secid()) >= 0) {
                return false;
            }
            last = f.secid();
        }
        return true;
    }

    /**
     * The second step: the staged file into place (or the file already there when it has the
     * same content), refusing a different file there unless overwriting.
     */
    List<SnapshotRecord> publish(Staged s) {
        if (s.exporter() != this) {
            throw new IllegalArgumentException("the file was staged by another exporter");
        }
        String replaced = null;
        if (Files.exists(s.target)) {
            String existing = SnapshotFiles.sha256(s.target);
            if (existing.equals(s.sha)) {
                return records(s.sorted, s.meta, s.target, s.sha, lastModified(s.target), null);
            }
            if (!overwrite) {
                throw new SnapshotConflictException(s.target.toString(), existing, s.sha);
            }
            replaced = existing;
        }
        Instant created = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        move(s.tmp, s.target);
        SnapshotFiles.fsyncDirectory(s.target.getParent());
        return records(s.sorted, s.meta, s.target, s.sha, created, replaced);
    }

    /**
     * Reads a snapshot back after checking that its SHA-256 is the recorded one.
     *
     * @param record a recorded row naming the file, its format and its hash
     * @return one frame per secid in the file, in file order
     * @throws SnapshotIntegrityException when the hash differs
     * @throws StorageException when the file is missing or cannot be read
     */
    public static List<FeatureFrame> read(SnapshotRecord record) {
        Path file = Path.of(record.path());
        String actual = SnapshotFiles.sha256(file);
        if (!actual.equals(record.sha256())) {
            throw new SnapshotIntegrityException(record.path(), record.sha256(), actual);
        }
        return SnapshotFormats.byName(record.format()).read(file);
    }

    /**
     * Reads a snapshot back without checking its hash; the format is found by the file's extension.
     *
     * @param file a snapshot file, e.g. {@code 20260302.parquet}
     * @return one frame per secid in the file, in file order
     * @throws FeatureStoreException when no format on the class path has the file's extension
     */
    public static List<FeatureFrame> read(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (SnapshotFormat f : SnapshotFormats.available()) {
            if (f.extension().equals(ext)) {
                return f.read(file);
            }
        }
        throw new FeatureStoreException("no snapshot format on the class path reads '." + ext + "' files (" + file
                + "); add featurestore-parquet or featurestore-arrow");
    }

    private static void requireIncreasing(FeatureFrame f) {
        if (f.isEmpty()) {
            throw new IllegalArgumentException("frame of secid '" + f.secid() + "' has no rows; leave it out");
        }
        for (int i = 1; i < f.size(); i++) {
            if (f.ts(i) <= f.ts(i - 1)) {
                throw new IllegalArgumentException("frame of secid '" + f.secid() + "': ts at row " + i + " ("
                        + f.openTime(i) + ") is not after row " + (i - 1) + " (" + f.openTime(i - 1) + ")");
            }
        }
    }

    private List<SnapshotRecord> records(List<FeatureFrame> frames, SnapshotMetadata meta, Path file, String sha,
            Instant created, String replaced) {
        List<SnapshotRecord> out = new ArrayList<>(frames.size());
        for (FeatureFrame f : frames) {
            out.add(new SnapshotRecord(f.secid(), meta.timeframe(), meta.featureSet(), f.size(), file.toString(),
                    format.name(), sha, f.ts(0), f.ts(f.size() - 1), meta.historyStartTs(), created,
                    meta.libraryVersion(), replaced, meta.fingerprint()));
        }
        return List.copyOf(out);
    }

    private static void move(Path tmp, Path target) {
        AtomicFiles.moveIntoPlace(tmp, target);
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (IOException e) {
            throw new StorageException("cannot read the modification time of " + file + ": " + e, e);
        }
    }


    /** Builds a {@link SnapshotExporter}; settings are checked at once. */
    public static final class Builder {
        private SnapshotFormat format;
        private String compression;
        private boolean overwrite;
        private Clock clock = Clock.systemUTC();
        private Duration staleTempAge = AtomicFiles.STALE_AGE;
        private ExchangeCalendar calendar = ExchangeCalendar.defaultCalendar();

        private Builder() {
        }

        /**
         * The format, by name, found with {@link SnapshotFormats#byName(String)}.
         *
         * @param name the format's name, e.g. {@code parquet} (case-insensitive)
         * @return this builder
         * @throws FeatureStoreException when no format on the class path has the name
         */
        public Builder format(String name) {
            return format(SnapshotFormats.byName(name));
        }

        /**
         * The format.
         *
         * @param format the format files are written in
         * @return this builder
         */
        public Builder format(SnapshotFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * A compression codec; whether the format has it is checked by {@link #build()}.
         *
         * @param compression a codec the format lists in {@link SnapshotFormat#compressions()}, or
         *     null for its default
         * @return this builder
         */
        public Builder compression(String compression) {
            this.compression = compression;
            return this;
        }

        /**
         * Whether an existing snapshot with different content may be replaced; off by default.
         *
         * @param overwrite true to replace it, naming the replaced hash in the records; false to
         *     throw {@link SnapshotConflictException}
         * @return this builder
         */
        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * The compression and overwrite of these options (their date is the export call's).
         *
         * @param options the export options whose compression and overwrite are taken
         * @return this builder
         */
        public Builder options(ExportOptions options) {
            Objects.requireNonNull(options, "options");
            return compression(options.compression()).overwrite(options.overwrite());
        }

        /**
         * The exchange calendar that dates the file name of a {@code 1d} snapshot (a trading date
         * in its zone); {@link ExchangeCalendar#defaultCalendar()} by default.
         *
         * @param calendar the exchange's trading days, as the registry has them
         * @return this builder
         */
        public Builder calendar(ExchangeCalendar calendar) {
            this.calendar = Objects.requireNonNull(calendar, "calendar");
            return this;
        }

        /**
         * The clock of {@code created_at} and of the age of temporary files; the UTC system clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How old a snapshot temporary file in the target directory must be before an export deletes it as left
         * behind by a killed export; {@link AtomicFiles#STALE_AGE} (10 minutes) by default.
         * Younger ones may belong to an export still running and are left alone.
         *
         * @param age the least time since the file's last modification, not negative
         * @return this builder
         * @throws IllegalArgumentException when {@code age} is negative
         */
        public Builder staleTempAge(Duration age) {
            if (age.isNegative()) {
                throw new IllegalArgumentException("staleTempAge must not be negative, got " + age);
            }
            this.staleTempAge = age;
            return this;
        }

        /**
         * The exporter.
         *
         * @return an immutable exporter of these settings
         * @throws IllegalStateException when no format was set
         * @throws IllegalArgumentException when the format has no such compression codec
         */
        public SnapshotExporter build() {
            if (format == null) {
                throw new IllegalStateException("no snapshot format set; call format(\"parquet\") or format(\"feather\")");
            }
            if (compression != null && !format.compressions().contains(compression)) {
                throw new IllegalArgumentException("format " + format.name() + " has no compression '" + compression
                        + "'; valid: " + format.compressions());
            }
            return new SnapshotExporter(this);
        }
    }
}
