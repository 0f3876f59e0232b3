package dev.featurestore.core.storage.files;

import static dev.featurestore.core.storage.files.FileLayout.CANDLE_COLUMNS;
import static dev.featurestore.core.storage.files.SortedColumns.lowerBound;
import static dev.featurestore.core.storage.files.SortedColumns.upperBound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.storage.files.JsonLogs.SetColumns;
import dev.featurestore.core.storage.internal.SnapshotRows;
import dev.featurestore.core.storage.internal.StorageChecks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * A {@link FeatureStorage} kept as columnar files under one directory, in the format of a
 * {@link TableCodec}: what the {@code parquet:<directory>} and {@code feather:<directory>}
 * storage URLs open. Layout, names relative to the directory:
 *
 * <pre>
 * featurestore.json                                 which format the directory holds
 * .lock                                             locked by each write, across processes
 * candles/{timeframe}/{secid}.{ext}                 candles of one series: ts, open, high, low, close, volume
 * features/{feature_set}/columns.json               the set's features and kinds, fixed by its first build
 * features/{feature_set}/{timeframe}/{secid}.{ext}  feature values of one series: ts, one column per feature
 *                                                   (named as the feature when it is plain ASCII letters,
 *                                                   digits and _, else _{index}; exact names in metadata)
 * features/{feature_set}/{timeframe}/{secid}.builds.jsonl   the build log of that series, a JSON object a line
 * features/{feature_set}/{timeframe}/{secid}.stream-state.json  the series' stream checkpoint (state in base64)
 * snapshots.jsonl                                   the snapshot audit log, a JSON object a line
 * </pre>
 *
 * <p>Secids and feature-set names are percent-encoded in file names: every UTF-8 byte outside
 * {@code A-Z a-z 0-9 _ -} becomes {@code %XX}, so no name can hold a separator, be {@code .} or
 * {@code ..}, or start with a dot (temporary files, {@code .<random>.tmp}, are the only names
 * starting with one). A name whose encoding is longer than the file system allows (about 240
 * bytes on most) is refused with a {@link StorageException}. Each data file also keeps its exact secid (and feature set) in
 * its metadata, checked on every read, so two names that a case-insensitive file system would
 * fold into one file are reported rather than mixed.
 *
 * <p>Every write replaces whole files: it writes a temporary file in the same directory, syncs it
 * and renames it over the old one atomically, so a reader (or a crash) sees the old file or the
 * new one, never a mix. A build writes its data file, whose metadata carries the build record,
 * before its log; a build whose log line was lost in a crash is restored from the data file.
 * Writes are serialized by a lock per directory within the JVM and a {@link FileLock} on
 * {@code .lock} between processes; reads take no lock. Candle upserts read, merge by ts and
 * rewrite the series' file; the last files read are cached (up to {@value #DEFAULT_CACHE_MB} MiB of
 * values unless the {@value #OPTION_CACHE_MB} option says otherwise), keyed by their identity, size and
 * modification time.
 */
public final class FileStorage implements FeatureStorage {
    /** The marker file naming the format of the directory. */
    public static final String MARKER = "featurestore.json";
    /** The file locked by writers. */
    public static final String LOCK_FILE = ".lock";

    /** The option naming the read cache's size in MiB of values; 0 turns the cache off. */
    public static final String OPTION_CACHE_MB = "cache_mb";
    /** The read cache's size unless {@value #OPTION_CACHE_MB} says otherwise. */
    public static final long DEFAULT_CACHE_MB = 256;
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final String formatName;
    private final FileLayout layout;
    private final TableCache tables;
    private final JsonLogs logs;
    private final ReentrantLock lock;
    private volatile boolean closed;

    private FileStorage(Path dir, TableCodec codec, String formatName, long cacheBytes) {
        this.dir = dir;
        this.formatName = formatName;
        this.layout = new FileLayout(dir, codec.extension());
        this.tables = new TableCache(codec, cacheBytes);
        this.logs = new JsonLogs(layout);
        this.lock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    /**
     * Opens the storage in {@code dir} with the default options, creating the directory and its
     * marker when they do not exist.
     *
     * @param dir the storage's directory
     * @param codec the file format of the tables
     * @param formatName the format's name kept in the marker, e.g. {@code parquet}; a directory
     *     holding another format is refused
     * @return the storage, to be closed by the caller
     * @throws StorageException when the directory cannot be created or holds another format
     */
    public static FileStorage open(Path dir, TableCodec codec, String formatName) {
        return open(dir, codec, formatName, Map.of());
    }

    /**
     * Opens the storage in {@code dir}, creating the directory and its marker when they do not
     * exist. Options: {@value #OPTION_CACHE_MB}, the MiB of values the read cache keeps (default
     * {@value #DEFAULT_CACHE_MB}, 0 for none).
     *
     * @param dir the storage's directory
     * @param codec the file format of the tables
     * @param formatName the format's name kept in the marker, e.g. {@code parquet}; a directory
     *     holding another format is refused
     * @param options the storage's options by name, values as text
     * @return the storage, to be closed by the caller
     * @throws IllegalArgumentException for an unknown option or a bad value
     * @throws StorageException when the directory cannot be created or holds another format
     */
    public static FileStorage open(Path dir, TableCodec codec, String formatName, Map<String, String> options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(formatName, "formatName");
        long cacheMb = DEFAULT_CACHE_MB;
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!e.getKey().equals(OPTION_CACHE_MB)) {
                throw new IllegalArgumentException("unknown option '" + e.getKey() + "' of a " + formatName
                        + " storage; known: " + OPTION_CACHE_MB);
            }
            try {
                cacheMb = Long.parseLong(e.getValue().trim());
            } catch (NumberFormatException ex) {
                cacheMb = -1;
            }
            if (cacheMb < 0 || cacheMb > 1L << 30) {
                throw new IllegalArgumentException("option " + OPTION_CACHE_MB + " must be a whole number of MiB"
                        + " from 0, got '" + e.getValue() + "'");
            }
        }
        Path real;
        try {
            Files.createDirectories(dir);
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new StorageException("cannot create the storage directory " + dir + ": " + e, e);
        }
        FileStorage s = new FileStorage(real, codec, formatName, cacheMb << 20);
        s.locked(() -> s.logs.checkMarker(formatName));
        return s;
    }

    /**
     * The directory of a URL {@code <scheme>:<directory>}, e.g. {@code parquet:data/store} (a
     * relative directory is taken from the working directory).
     *
     * @param url the storage URL, e.g. {@code parquet:data/store}
     * @param scheme the URL's expected scheme without the colon, e.g. {@code parquet}
     * @return the directory as given in the URL, possibly relative
     * @throws IllegalArgumentException when the URL does not start with {@code scheme:} or names
     *     no directory
     */
    public static Path directoryOf(String url, String scheme) {
        Objects.requireNonNull(url, "url");
        String prefix = scheme + ":";
        if (!url.startsWith(prefix)) {
            throw new IllegalArgumentException("storage URL '" + url + "' does not start with '" + prefix + "'");
        }
        String rest = url.substring(prefix.length());
        if (rest.isBlank() || rest.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("storage URL '" + url.replace("\0", "\\0")
                    + "' names no directory; use " + prefix + "<directory>, e.g. " + prefix + "data/featurestore");
        }
        return Path.of(rest);
    }

    /** {@return the storage's directory (its real path, links resolved)} */
    public Path directory() {
        return dir;
    }

    // ---------------------------------------------------------------- candles

    @Override
    public UpsertResult upsertCandles(CandleSeries series) {
        Objects.requireNonNull(series, "series");
        Timeframe tf = series.timeframe().orElseThrow(() -> new IllegalArgumentException("series '" + series.secid()
                + "' has no timeframe; candles are stored keyed by (secid, timeframe, ts)"));
        Path file = layout.candleFile(series.secid(), tf);
        open();
        if (series.size() == 0) {
            return new UpsertResult(0, 0, 0);
        }
        return locked(() -> {
            ColumnTable old = readCandleTable(file, series.secid(), tf);
            long[] ots = old == null ? new long[0] : old.ts();
            double[][] oc = old == null ? new double[5][0] : old.columns();
            long[] nts = Columns.ts(series);
            double[][] nc = {Columns.open(series), Columns.high(series), Columns.low(series), Columns.close(series),
                Columns.volume(series)};
            SortedColumns.Merged merged = SortedColumns.merge(ots, oc, nts, nc);
            if (merged.changed()) {
                tables.write(file, new ColumnTable(logs.candleMetadata(series.secid(), tf), CANDLE_COLUMNS,
                        merged.rows().ts(), merged.rows().columns()));
            }
            return new UpsertResult(merged.inserted(), merged.replaced(), merged.unchanged());
        });
    }

    @Override
    public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        Path file = layout.candleFile(secid, timeframe);
        open();
        ColumnTable t = readCandleTable(file, secid, timeframe);
        if (t == null || fromTs >= toTs) {
            return CandleSeries.builder(secid).timeframe(timeframe).build();
        }
        int lo = lowerBound(t.ts(), fromTs);
        int hi = lowerBound(t.ts(), toTs);
        double[][] c = t.columns();
        return CandleSeries.of(secid, timeframe, Arrays.copyOfRange(t.ts(), lo, hi), Arrays.copyOfRange(c[0], lo, hi),
                Arrays.copyOfRange(c[1], lo, hi), Arrays.copyOfRange(c[2], lo, hi), Arrays.copyOfRange(c[3], lo, hi),
                Arrays.copyOfRange(c[4], lo, hi));
    }

    @Override
    public OptionalLong firstCandleTs(String secid, Timeframe timeframe) {
        Path file = layout.candleFile(secid, timeframe);
        open();
        ColumnTable t = readCandleTable(file, secid, timeframe);
        return t == null || t.rows() == 0 ? OptionalLong.empty() : OptionalLong.of(t.ts()[0]);
    }

    @Override
    public List<Timeframe> candleTimeframes(String secid) {
        String name = layout.candleFileName(secid);
        open();
        Path candles = layout.candlesDir();
        TreeSet<Timeframe> out = new TreeSet<>();
        if (!Files.isDirectory(candles)) {
            return List.of();
        }
        try (DirectoryStream<Path> tfs = Files.newDirectoryStream(candles, Files::isDirectory)) {
            for (Path tfDir : tfs) {
                Timeframe tf;
                try {
                    tf = Timeframe.parse(tfDir.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    continue; // not a directory of this layout
                }
                Path file = tfDir.resolve(name);
                if (Files.exists(file)) {
                    ColumnTable t = readCandleTable(file, secid, tf);
                    if (t != null && t.rows() > 0) {
                        out.add(tf);
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + candles + ": " + e, e);
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> secids() {
        open();
        Path candles = layout.candlesDir();
        TreeSet<String> out = new TreeSet<>();
        if (!Files.isDirectory(candles)) {
            return List.of();
        }
        String suffix = "." + layout.ext();
        try (DirectoryStream<Path> tfs = Files.newDirectoryStream(candles, Files::isDirectory)) {
            for (Path tfDir : tfs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(tfDir, "*" + suffix)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        out.add(FileLayout.decodeName(name.substring(0, name.length() - suffix.length())));
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + candles + ": " + e, e);
        }
        return List.copyOf(out);
    }

    private ColumnTable readCandleTable(Path file, String secid, Timeframe tf) {
        ColumnTable t = tables.read(file);
        if (t == null) {
            return null;
        }
        JsonNode meta = logs.metadataOf(t.metadata(), file);
        JsonLogs.requireText(meta, "kind", "candles", file);
        JsonLogs.requireText(meta, "secid", secid, file);
        JsonLogs.requireText(meta, "timeframe", tf.toString(), file);
        if (!t.columnNames().equals(CANDLE_COLUMNS)) {
            throw new StorageException("candle file " + file + " has columns " + t.columnNames() + ", expected "
                    + CANDLE_COLUMNS, null);
        }
        return t;
    }

    // ---------------------------------------------------------------- builds

    @Override
    public void writeBuild(BuildRecord record, FeatureFrame frame, BuildListener listener) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(listener, "listener");
        StorageChecks.checkBuild(record, frame);
        write(record, frame, listener, false, null);
    }

    /**
     * Rows of a stream: the feature file and its log as a build writes them, the stream's record
     * in place of its earlier state, then the checkpoint file, all under the write lock.
     */
    @Override
    public void writeStreamRows(BuildRecord record, FeatureFrame rows, LongUnaryOperator availableAt,
            StreamCheckpoint checkpoint) {
        Objects.requireNonNull(availableAt, "availableAt");
        StorageChecks.checkStreamRows(record, rows, checkpoint);
        write(record, rows, BuildListener.NONE, true, checkpoint);
    }

    /** True: a series' checkpoint is the file {@code {secid}.stream-state.json} beside its build log. */
    @Override
    public boolean keepsStreamCheckpoints() {
        return true;
    }

    @Override
    public void saveStreamCheckpoint(StreamCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Path file = layout.checkpointFile(checkpoint.featureSet(), checkpoint.timeframe(), checkpoint.secid());
        open();
        locked(() -> {
            logs.writeCheckpoint(file, checkpoint);
            return null;
        });
    }

    @Override
    public Optional<StreamCheckpoint> streamCheckpoint(String featureSet, Timeframe timeframe, String secid) {
        Path file = layout.checkpointFile(featureSet, timeframe, secid);
        open();
        return Optional.ofNullable(logs.readCheckpoint(file, featureSet, timeframe, secid));
    }

    private void write(BuildRecord record, FeatureFrame frame, BuildListener listener,
            boolean stream, StreamCheckpoint checkpoint) {
        int[] place = SortedColumns.placesInTsOrder(frame);
        Path file = layout.featureFile(record.featureSet(), record.timeframe(), record.secid());
        Path log = layout.buildLog(record.featureSet(), record.timeframe(), record.secid());
        open();
        locked(() -> {
            SetColumns known = logs.columnsOf(record.featureSet());
            if (known != null && (!known.names().equals(frame.featureNames()) || !known.kinds().equals(frame.kinds()))) {
                throw new StorageException("feature set '" + record.featureSet() + "' is stored with features "
                        + known.names() + " (kinds " + known.kinds() + ") but the build has " + frame.featureNames()
                        + " (kinds " + frame.kinds() + "); a changed feature list needs a new feature set", null);
            }
            List<BuildRecord> history = buildsOf(log, file, record.featureSet(), record.timeframe(), record.secid());
            if (history.size() > logs.readLog(log).size()) {
                logs.writeLog(log, history); // a crash lost the previous build's line: restore it first
            }
            BuildRecord newest = history.isEmpty() ? null : history.get(history.size() - 1);
            boolean extending = stream && newest != null && record.continues(newest);
            BuildRecord logged = extending ? StorageChecks.extended(newest, record) : record;
            try {
                ColumnTable old = known == null ? null
                        : readFeatureTable(file, record.featureSet(), record.timeframe(), record.secid(), known);
                int f = frame.featureNames().size();
                long[] ots = old == null ? new long[0] : old.ts();
                double[][] oc = old == null ? new double[f][0] : old.columns();
                SortedColumns.Rows rows = SortedColumns.splice(ots, oc, record.fromTs(), record.toTs(), frame, place,
                        listener);
                if (known == null) {
                    logs.writeColumns(record.featureSet(), frame.featureNames(), frame.kinds());
                }
                long seq = history.stream().filter(b -> b.status() == BuildRecord.Status.COMPLETED).count()
                        + (extending ? 0 : 1);
                tables.write(file, new ColumnTable(logs.featureMetadata(logged, frame, seq),
                        FileLayout.featureColumnNames(frame.featureNames()), rows.ts(), rows.columns()));
            } catch (RuntimeException | Error e) {
                // Nothing of the build is kept; the attempt is logged as the database storages record it.
                try {
                    List<BuildRecord> failed = new ArrayList<>(history);
                    failed.add(record.failed(Instant.now()));
                    logs.writeLog(log, failed);
                } catch (RuntimeException logFailure) {
                    e.addSuppressed(logFailure);
                }
                throw e;
            }
            List<BuildRecord> done = new ArrayList<>(history);
            if (extending) {
                done.set(done.size() - 1, logged);
            } else {
                done.add(logged);
            }
            logs.writeLog(log, done);
            if (checkpoint != null) {
                logs.writeCheckpoint(layout.checkpointFile(record.featureSet(), record.timeframe(), record.secid()),
                        checkpoint);
            }
            return null;
        });
    }

    @Override
    public FeatureFrame readFeatures(String featureSet, List<String> names, String secid, Timeframe timeframe,
            long fromTs, long toTs) {
        Path file = layout.featureFile(featureSet, timeframe, secid);
        open();
        SetColumns known = logs.columnsOf(featureSet);
        if (known == null) {
            List<FeatureKind> numeric = new ArrayList<>();
            names.forEach(n -> numeric.add(FeatureKind.NUMERIC));
            return Columns.frame(secid, featureSet, timeframe, names, numeric, new long[0],
                    new double[names.size()][0], 0, 0);
        }
        int[] idx = indexes(featureSet, known, names);
        List<FeatureKind> kinds = new ArrayList<>(idx.length);
        for (int i : idx) {
            kinds.add(known.kinds().get(i));
        }
        ColumnTable t = readFeatureTable(file, featureSet, timeframe, secid, known);
        if (t == null || fromTs >= toTs) {
            return Columns.frame(secid, featureSet, timeframe, names, kinds, new long[0],
                    new double[names.size()][0], 0, 0);
        }
        int lo = lowerBound(t.ts(), fromTs);
        int hi = lowerBound(t.ts(), toTs);
        double[][] cols = new double[idx.length][];
        for (int j = 0; j < idx.length; j++) {
            cols[j] = Arrays.copyOfRange(t.columns()[idx[j]], lo, hi);
        }
        return Columns.frame(secid, featureSet, timeframe, names, kinds, Arrays.copyOfRange(t.ts(), lo, hi), cols,
                0, hi - lo);
    }

    @Override
    public FeatureWindow readWindow(String featureSet, List<String> names, String secid, Timeframe timeframe,
            long lastTs, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        Path file = layout.featureFile(featureSet, timeframe, secid);
        open();
        SetColumns known = logs.columnsOf(featureSet);
        int[] idx = known == null ? new int[0] : indexes(featureSet, known, names);
        ColumnTable t = known == null ? null : readFeatureTable(file, featureSet, timeframe, secid, known);
        int count = t == null ? 0 : upperBound(t.ts(), lastTs);
        if (count < size) {
            throw new InsufficientHistoryException("feature set '" + featureSet + "', secid '" + secid + "', timeframe "
                    + timeframe + ", opened by " + Instant.ofEpochMilli(lastTs), size, count);
        }
        int first = count - size;
        long[] ts = Arrays.copyOfRange(t.ts(), first, count);
        double[] values = new double[size * idx.length];
        for (int j = 0; j < idx.length; j++) {
            double[] col = t.columns()[idx[j]];
            for (int r = 0; r < size; r++) {
                values[r * idx.length + j] = col[first + r];
            }
        }
        return Columns.window(secid, featureSet, timeframe, names, ts, values);
    }

    private static int[] indexes(String featureSet, SetColumns known, List<String> names) {
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = known.names().indexOf(names.get(i));
            if (idx[i] < 0) {
                throw new StorageException("feature set '" + featureSet + "' has no stored feature '" + names.get(i)
                        + "'; stored: " + known.names(), null);
            }
        }
        return idx;
    }

    private ColumnTable readFeatureTable(Path file, String featureSet, Timeframe tf, String secid, SetColumns known) {
        ColumnTable t = tables.read(file);
        if (t == null) {
            return null;
        }
        JsonNode meta = logs.metadataOf(t.metadata(), file);
        JsonLogs.requireText(meta, "kind", "features", file);
        JsonLogs.requireText(meta, "feature_set", featureSet, file);
        JsonLogs.requireText(meta, "secid", secid, file);
        JsonLogs.requireText(meta, "timeframe", tf.toString(), file);
        if (t.columns().length != known.names().size()) {
            throw new StorageException("feature file " + file + " has " + t.columns().length + " columns but feature set '"
                    + featureSet + "' has " + known.names().size() + " features", null);
        }
        return t;
    }

    @Override
    public List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        Path file = layout.featureFile(featureSet, timeframe, secid);
        Path log = layout.buildLog(featureSet, timeframe, secid);
        open();
        return List.copyOf(buildsOf(log, file, featureSet, timeframe, secid));
    }

    /** The log, plus the data file's own build when a crash came between the file and its log line. */
    private List<BuildRecord> buildsOf(Path log, Path file, String featureSet, Timeframe tf, String secid) {
        List<BuildRecord> logged = new ArrayList<>(logs.readLog(log));
        Map<String, String> kv = tables.readMetadata(file);
        if (kv != null) {
            JsonNode meta = logs.metadataOf(kv, file);
            JsonLogs.requireText(meta, "secid", secid, file);
            long completed = logged.stream().filter(b -> b.status() == BuildRecord.Status.COMPLETED).count();
            long seq = meta.path("build_seq").asLong(0);
            if (seq > completed && meta.has("build")) {
                logged.add(JsonLogs.buildFromJson(meta.get("build"), file));
            } else if (seq == completed && completed > 0 && meta.has("build")) {
                // a stream's write whose extended record did not reach the log
                BuildRecord inFile = JsonLogs.buildFromJson(meta.get("build"), file);
                BuildRecord last = logged.get(logged.size() - 1);
                if (inFile.startedAt().equals(last.startedAt()) && inFile.fromTs() == last.fromTs()
                        && inFile.toTs() > last.toTs()) {
                    logged.set(logged.size() - 1, inFile);
                }
            }
        }
        return logged;
    }

    // ---------------------------------------------------------------- snapshot log

    /** True: the directory keeps the snapshot audit log in {@code snapshots.jsonl}. */
    @Override
    public boolean keepsSnapshotLog() {
        return true;
    }

    @Override
    public void recordSnapshots(List<SnapshotRecord> records) {
        open();
        SnapshotRows.checkBatch(records);
        List<SnapshotRecord> copy = List.copyOf(records);
        if (copy.isEmpty()) {
            return;
        }
        locked(() -> {
            logs.appendSnapshots(copy);
            return null;
        });
    }

    @Override
    public List<SnapshotRecord> snapshots(SnapshotQuery query) {
        Objects.requireNonNull(query, "query");
        open();
        List<SnapshotRecord> out = new ArrayList<>();
        for (SnapshotRecord r : logs.readSnapshots()) {
            if (query.matches(r)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(SnapshotRecord::createdAt).thenComparing(SnapshotRecord::path)
                .thenComparing(SnapshotRecord::secid));
        return List.copyOf(out);
    }

    /** Runs {@code body} holding this directory's JVM lock and the lock file. */
    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try (FileChannel ch = FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock held = ch.lock();
            try {
                return body.get();
            } finally {
                held.release();
            }
        } catch (IOException e) {
            throw new StorageException("cannot lock " + layout.lockFile() + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the " + formatName + " storage at " + dir + " is closed");
        }
    }

    /** Drops the cache; files stay as they are. */
    @Override
    public void close() {
        closed = true;
        tables.clear();
    }

    @Override
    public String toString() {
        return "FileStorage[" + formatName + ", " + dir + "]";
    }
}
