package dev.featurestore.core.storage.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.io.AtomicFiles;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.snapshot.SnapshotLayout;
import dev.featurestore.core.storage.internal.SnapshotRows;
import dev.featurestore.core.storage.internal.StorageChecks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
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

    private static final int LAYOUT_VERSION = 1;
    private static final String META_KEY = "featurestore";
    private static final String SNAPSHOT_LOG = "snapshots.jsonl";
    private static final List<String> CANDLE_COLUMNS = List.of("open", "high", "low", "close", "volume");
    /** The option naming the read cache's size in MiB of values; 0 turns the cache off. */
    public static final String OPTION_CACHE_MB = "cache_mb";
    /** The read cache's size unless {@value #OPTION_CACHE_MB} says otherwise. */
    public static final long DEFAULT_CACHE_MB = 256;
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final TableCodec codec;
    private final String ext;
    private final String formatName;
    private final ReentrantLock lock;
    private final ObjectMapper json = new ObjectMapper();
    /** Files read last, least recently used first; at most {@link #cacheBytes} of values. */
    private final LinkedHashMap<Path, Cached> cache = new LinkedHashMap<>(64, 0.75f, true);
    private final long cacheBytes;
    private long cachedBytes;
    private final ConcurrentHashMap<String, SetColumns> setColumns = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Cached(Object fileKey, FileTime modified, long size, ColumnTable table) {
    }

    private record SetColumns(List<String> names, List<FeatureKind> kinds) {
    }

    private FileStorage(Path dir, TableCodec codec, String formatName, long cacheBytes) {
        this.dir = dir;
        this.cacheBytes = cacheBytes;
        this.codec = codec;
        this.ext = codec.extension();
        this.formatName = formatName;
        SnapshotLayout.requireSafeName("file extension", ext);
        this.lock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    /**
     * Opens the storage in {@code dir} with the default options, creating the directory and its
     * marker when they do not exist.
     *
     * @param formatName the format's name kept in the marker, e.g. {@code parquet}; a directory
     *     holding another format is refused
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
     * @param formatName the format's name kept in the marker, e.g. {@code parquet}; a directory
     *     holding another format is refused
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
        s.locked(s::checkMarker);
        return s;
    }

    /**
     * The directory of a URL {@code <scheme>:<directory>}, e.g. {@code parquet:data/store} (a
     * relative directory is taken from the working directory).
     *
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

    /** The storage's directory (its real path). */
    public Path directory() {
        return dir;
    }

    private Void checkMarker() {
        Path marker = dir.resolve(MARKER);
        if (Files.exists(marker)) {
            JsonNode node = readJson(marker);
            String format = node.path("format").asText("");
            if (!format.equals(formatName)) {
                throw new StorageException("the storage directory " + dir + " holds " + (format.isEmpty() ? "no known"
                        : "'" + format + "'") + " files, not '" + formatName + "' (see " + MARKER + ")", null);
            }
            int layout = node.path("layout").asInt(-1);
            if (layout != LAYOUT_VERSION) {
                throw new StorageException("the storage directory " + dir + " has layout " + layout
                        + "; this library reads layout " + LAYOUT_VERSION, null);
            }
            return null;
        }
        ObjectNode node = json.createObjectNode();
        node.put("format", formatName);
        node.put("extension", ext);
        node.put("layout", LAYOUT_VERSION);
        writeBytes(marker, (node.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        return null;
    }

    // ---------------------------------------------------------------- names and paths

    /**
     * A name as one path element: UTF-8 bytes outside {@code A-Z a-z 0-9 _ -} percent-encoded.
     *
     * @throws IllegalArgumentException when the name is empty
     */
    static String encodeName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty; it names a file of the storage");
        }
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** The name {@link #encodeName(String, String)} encoded. */
    static String decodeName(String encoded) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String timeframeDir(Timeframe timeframe) {
        String name = Objects.requireNonNull(timeframe, "timeframe").toString();
        SnapshotLayout.requireSafeName("timeframe", name);
        return name;
    }

    private Path candleFile(String secid, Timeframe timeframe) {
        return dir.resolve("candles").resolve(timeframeDir(timeframe)).resolve(encodeName("secid", secid) + "." + ext);
    }

    private Path setDir(String featureSet) {
        return dir.resolve("features").resolve(encodeName("feature set", featureSet));
    }

    private Path featureFile(String featureSet, Timeframe timeframe, String secid) {
        return setDir(featureSet).resolve(timeframeDir(timeframe)).resolve(encodeName("secid", secid) + "." + ext);
    }

    private Path buildLog(String featureSet, Timeframe timeframe, String secid) {
        return setDir(featureSet).resolve(timeframeDir(timeframe)).resolve(encodeName("secid", secid) + ".builds.jsonl");
    }

    // ---------------------------------------------------------------- candles

    @Override
    public UpsertResult upsertCandles(CandleSeries series) {
        Objects.requireNonNull(series, "series");
        Timeframe tf = series.timeframe().orElseThrow(() -> new IllegalArgumentException("series '" + series.secid()
                + "' has no timeframe; candles are stored keyed by (secid, timeframe, ts)"));
        Path file = candleFile(series.secid(), tf);
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
            int cap = ots.length + nts.length;
            long[] ts = new long[cap];
            double[][] cols = new double[5][cap];
            long inserted = 0;
            long replaced = 0;
            long unchanged = 0;
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < ots.length || j < nts.length) {
                if (j >= nts.length || (i < ots.length && ots[i] < nts[j])) {
                    ts[k] = ots[i];
                    for (int c = 0; c < 5; c++) {
                        cols[c][k] = oc[c][i];
                    }
                    i++;
                } else {
                    if (i < ots.length && ots[i] == nts[j]) {
                        boolean same = true;
                        for (int c = 0; c < 5; c++) {
                            same &= Double.doubleToRawLongBits(oc[c][i]) == Double.doubleToRawLongBits(nc[c][j]);
                        }
                        if (same) {
                            unchanged++;
                        } else {
                            replaced++;
                        }
                        i++;
                    } else {
                        inserted++;
                    }
                    ts[k] = nts[j];
                    for (int c = 0; c < 5; c++) {
                        cols[c][k] = nc[c][j];
                    }
                    j++;
                }
                k++;
            }
            if (inserted + replaced > 0) {
                for (int c = 0; c < 5; c++) {
                    cols[c] = Arrays.copyOf(cols[c], k);
                }
                ObjectNode meta = json.createObjectNode();
                meta.put("kind", "candles");
                meta.put("secid", series.secid());
                meta.put("timeframe", tf.toString());
                writeTable(file, new ColumnTable(Map.of(META_KEY, meta.toString()), CANDLE_COLUMNS,
                        Arrays.copyOf(ts, k), cols));
            }
            return new UpsertResult(inserted, replaced, unchanged);
        });
    }

    @Override
    public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        Path file = candleFile(secid, timeframe);
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
        Path file = candleFile(secid, timeframe);
        open();
        ColumnTable t = readCandleTable(file, secid, timeframe);
        return t == null || t.rows() == 0 ? OptionalLong.empty() : OptionalLong.of(t.ts()[0]);
    }

    @Override
    public List<Timeframe> candleTimeframes(String secid) {
        String name = encodeName("secid", secid) + "." + ext;
        open();
        Path candles = dir.resolve("candles");
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
        Path candles = dir.resolve("candles");
        TreeSet<String> out = new TreeSet<>();
        if (!Files.isDirectory(candles)) {
            return List.of();
        }
        String suffix = "." + ext;
        try (DirectoryStream<Path> tfs = Files.newDirectoryStream(candles, Files::isDirectory)) {
            for (Path tfDir : tfs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(tfDir, "*" + suffix)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        out.add(decodeName(name.substring(0, name.length() - suffix.length())));
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + candles + ": " + e, e);
        }
        return List.copyOf(out);
    }

    private ColumnTable readCandleTable(Path file, String secid, Timeframe tf) {
        ColumnTable t = readTable(file);
        if (t == null) {
            return null;
        }
        JsonNode meta = metadataOf(t.metadata(), file);
        requireText(meta, "kind", "candles", file);
        requireText(meta, "secid", secid, file);
        requireText(meta, "timeframe", tf.toString(), file);
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
        int[] place = placesInTsOrder(frame);
        Path file = featureFile(record.featureSet(), record.timeframe(), record.secid());
        Path log = buildLog(record.featureSet(), record.timeframe(), record.secid());
        open();
        locked(() -> {
            SetColumns known = columnsOf(record.featureSet());
            if (known != null && (!known.names().equals(frame.featureNames()) || !known.kinds().equals(frame.kinds()))) {
                throw new StorageException("feature set '" + record.featureSet() + "' is stored with features "
                        + known.names() + " (kinds " + known.kinds() + ") but the build has " + frame.featureNames()
                        + " (kinds " + frame.kinds() + "); a changed feature list needs a new feature set", null);
            }
            List<BuildRecord> history = buildsOf(log, file, record.featureSet(), record.timeframe(), record.secid());
            if (history.size() > readLog(log).size()) {
                writeLog(log, history); // a crash lost the previous build's line: restore it first
            }
            try {
                ColumnTable old = known == null ? null
                        : readFeatureTable(file, record.featureSet(), record.timeframe(), record.secid(), known);
                int f = frame.featureNames().size();
                long[] ots = old == null ? new long[0] : old.ts();
                double[][] oc = old == null ? new double[f][0] : old.columns();
                int before = lowerBound(ots, record.fromTs());
                int after = lowerBound(ots, record.toTs());
                int n = before + frame.size() + (ots.length - after);
                long[] ts = new long[n];
                double[][] cols = new double[f][n];
                System.arraycopy(ots, 0, ts, 0, before);
                for (int j = 0; j < f; j++) {
                    System.arraycopy(oc[j], 0, cols[j], 0, before);
                }
                for (int r = 0; r < frame.size(); r++) {
                    int at = before + (place == null ? r : place[r]);
                    ts[at] = frame.ts(r);
                    for (int j = 0; j < f; j++) {
                        cols[j][at] = frame.value(r, j);
                    }
                    listener.rowStaged(r);
                }
                int tail = before + frame.size();
                System.arraycopy(ots, after, ts, tail, ots.length - after);
                for (int j = 0; j < f; j++) {
                    System.arraycopy(oc[j], after, cols[j], tail, ots.length - after);
                }
                if (known == null) {
                    writeColumns(record.featureSet(), frame.featureNames(), frame.kinds());
                }
                long seq = history.stream().filter(b -> b.status() == BuildRecord.Status.COMPLETED).count() + 1;
                ObjectNode meta = json.createObjectNode();
                meta.put("kind", "features");
                meta.put("feature_set", record.featureSet());
                meta.put("secid", record.secid());
                meta.put("timeframe", record.timeframe().toString());
                ArrayNode names = meta.putArray("features");
                frame.featureNames().forEach(names::add);
                ArrayNode kinds = meta.putArray("kinds");
                frame.kinds().forEach(k -> kinds.add(k.name()));
                meta.put("build_seq", seq);
                meta.set("build", buildToJson(record));
                writeTable(file, new ColumnTable(Map.of(META_KEY, meta.toString()), columnNames(frame.featureNames()),
                        ts, cols));
            } catch (RuntimeException | Error e) {
                // Nothing of the build is kept; the attempt is logged as the database storages record it.
                try {
                    List<BuildRecord> failed = new ArrayList<>(history);
                    failed.add(record.failed(Instant.now()));
                    writeLog(log, failed);
                } catch (RuntimeException logFailure) {
                    e.addSuppressed(logFailure);
                }
                throw e;
            }
            List<BuildRecord> done = new ArrayList<>(history);
            done.add(record);
            writeLog(log, done);
            return null;
        });
    }

    /**
     * Where each frame row goes in ts order: null when the rows are in order already.
     *
     * @throws IllegalArgumentException when two rows have the same ts
     */
    private static int[] placesInTsOrder(FeatureFrame frame) {
        boolean sorted = true;
        for (int r = 1; r < frame.size() && sorted; r++) {
            sorted = frame.ts(r - 1) < frame.ts(r);
        }
        if (sorted) {
            return null;
        }
        Integer[] order = new Integer[frame.size()];
        for (int r = 0; r < order.length; r++) {
            order[r] = r;
        }
        Arrays.sort(order, Comparator.comparingLong(frame::ts));
        int[] place = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            if (k > 0 && frame.ts(order[k]) == frame.ts(order[k - 1])) {
                throw new IllegalArgumentException("rows " + order[k - 1] + " and " + order[k] + " of the frame of ("
                        + frame.featureSet() + ", " + frame.secid() + ") have the same ts " + frame.ts(order[k]));
            }
            place[order[k]] = k;
        }
        return place;
    }

    /** Column names in the files: a feature's own name when plain, else {@code _<index>}. */
    private static List<String> columnNames(List<String> features) {
        List<String> out = new ArrayList<>(features.size());
        for (int j = 0; j < features.size(); j++) {
            String f = features.get(j);
            out.add(f.matches("[A-Za-z][A-Za-z0-9_]{0,63}") && !f.equals(ColumnTable.TS) ? f : "_" + j);
        }
        return out;
    }

    @Override
    public FeatureFrame readFeatures(String featureSet, List<String> names, String secid, Timeframe timeframe,
            long fromTs, long toTs) {
        Path file = featureFile(featureSet, timeframe, secid);
        open();
        SetColumns known = columnsOf(featureSet);
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
        Path file = featureFile(featureSet, timeframe, secid);
        open();
        SetColumns known = columnsOf(featureSet);
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
        ColumnTable t = readTable(file);
        if (t == null) {
            return null;
        }
        JsonNode meta = metadataOf(t.metadata(), file);
        requireText(meta, "kind", "features", file);
        requireText(meta, "feature_set", featureSet, file);
        requireText(meta, "secid", secid, file);
        requireText(meta, "timeframe", tf.toString(), file);
        if (t.columns().length != known.names().size()) {
            throw new StorageException("feature file " + file + " has " + t.columns().length + " columns but feature set '"
                    + featureSet + "' has " + known.names().size() + " features", null);
        }
        return t;
    }

    @Override
    public List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        Path file = featureFile(featureSet, timeframe, secid);
        Path log = buildLog(featureSet, timeframe, secid);
        open();
        return List.copyOf(buildsOf(log, file, featureSet, timeframe, secid));
    }

    /** The log, plus the data file's own build when a crash came between the file and its log line. */
    private List<BuildRecord> buildsOf(Path log, Path file, String featureSet, Timeframe tf, String secid) {
        List<BuildRecord> logged = new ArrayList<>(readLog(log));
        Map<String, String> kv = readFileMetadata(file);
        if (kv != null) {
            JsonNode meta = metadataOf(kv, file);
            requireText(meta, "secid", secid, file);
            long completed = logged.stream().filter(b -> b.status() == BuildRecord.Status.COMPLETED).count();
            if (meta.path("build_seq").asLong(0) > completed && meta.has("build")) {
                logged.add(buildFromJson(meta.get("build"), file));
            }
        }
        return logged;
    }

    private List<BuildRecord> readLog(Path log) {
        List<BuildRecord> out = new ArrayList<>();
        for (JsonNode node : readJsonLines(log)) {
            out.add(buildFromJson(node, log));
        }
        return out;
    }

    private void writeLog(Path log, List<BuildRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (BuildRecord r : records) {
            sb.append(buildToJson(r)).append('\n');
        }
        writeBytes(log, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode buildToJson(BuildRecord r) {
        ObjectNode n = json.createObjectNode();
        n.put("feature_set", r.featureSet());
        n.put("timeframe", r.timeframe().toString());
        n.put("secid", r.secid());
        n.put("from_ts", r.fromTs());
        n.put("to_ts", r.toTs());
        n.put("history_start_ts", r.historyStartTs());
        n.put("rows", r.rows());
        n.put("window_size", r.windowSize());
        n.put("started_at", r.startedAt().toString());
        if (r.finishedAt() != null) {
            n.put("finished_at", r.finishedAt().toString());
        }
        n.put("status", r.status().name());
        if (r.fingerprint() != null) {
            n.put("fingerprint", r.fingerprint());
        }
        return n;
    }

    private static BuildRecord buildFromJson(JsonNode n, Path where) {
        try {
            JsonNode finished = n.get("finished_at");
            return new BuildRecord(text(n, "feature_set"), Timeframe.parse(text(n, "timeframe")), text(n, "secid"),
                    n.get("from_ts").asLong(), n.get("to_ts").asLong(), n.get("history_start_ts").asLong(),
                    n.get("rows").asLong(), n.get("window_size").asInt(), Instant.parse(text(n, "started_at")),
                    finished == null || finished.isNull() ? null : Instant.parse(finished.asText()),
                    BuildRecord.Status.valueOf(text(n, "status")), optionalText(n, "fingerprint"));
        } catch (RuntimeException e) {
            throw new StorageException("malformed build record in " + where + ": " + n + " (" + e + ")", e);
        }
    }

    private SetColumns columnsOf(String featureSet) {
        SetColumns c = setColumns.get(featureSet);
        if (c != null) {
            return c;
        }
        Path file = setDir(featureSet).resolve("columns.json");
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode node = readJson(file);
        requireText(node, "feature_set", featureSet, file);
        List<String> names = new ArrayList<>();
        List<FeatureKind> kinds = new ArrayList<>();
        try {
            node.get("features").forEach(n -> names.add(n.asText()));
            node.get("kinds").forEach(n -> kinds.add(FeatureKind.valueOf(n.asText())));
        } catch (RuntimeException e) {
            throw new StorageException("malformed feature list in " + file + ": " + e, e);
        }
        if (names.size() != kinds.size()) {
            throw new StorageException(file + " lists " + names.size() + " features but " + kinds.size() + " kinds",
                    null);
        }
        c = new SetColumns(List.copyOf(names), List.copyOf(kinds));
        setColumns.put(featureSet, c);
        return c;
    }

    private void writeColumns(String featureSet, List<String> names, List<FeatureKind> kinds) {
        ObjectNode node = json.createObjectNode();
        node.put("feature_set", featureSet);
        ArrayNode n = node.putArray("features");
        names.forEach(n::add);
        ArrayNode k = node.putArray("kinds");
        kinds.forEach(x -> k.add(x.name()));
        writeBytes(setDir(featureSet).resolve("columns.json"), (node + "\n").getBytes(StandardCharsets.UTF_8));
        setColumns.put(featureSet, new SetColumns(List.copyOf(names), List.copyOf(kinds)));
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
        Path log = dir.resolve(SNAPSHOT_LOG);
        locked(() -> {
            StringBuilder sb = new StringBuilder();
            Set<String> ids = new HashSet<>();
            List<SnapshotRecord> recorded = new ArrayList<>();
            for (JsonNode n : readJsonLines(log)) {
                SnapshotRecord old = snapshotFromJson(n, log);
                ids.add(SnapshotRows.id(old));
                recorded.add(old);
                sb.append(n).append('\n');
            }
            for (SnapshotRecord r : copy) {
                if (ids.contains(SnapshotRows.id(r))) {
                    throw new StorageException("snapshot of secid '" + r.secid() + "' in " + r.path() + " created at "
                            + r.createdAt() + " is already recorded; audit rows are never changed", null);
                }
            }
            List<SnapshotRecord> fresh = SnapshotRows.notYetRecorded(copy, recorded);
            if (fresh.isEmpty()) {
                return null;
            }
            for (SnapshotRecord r : fresh) {
                ObjectNode n = json.createObjectNode();
                n.put("secid", r.secid());
                n.put("timeframe", r.timeframe().toString());
                n.put("feature_set", r.featureSet());
                n.put("rows_count", r.rowsCount());
                n.put("path", r.path());
                n.put("format", r.format());
                n.put("sha256", r.sha256());
                n.put("min_ts", r.minTs());
                n.put("max_ts", r.maxTs());
                n.put("history_start_ts", r.historyStartTs());
                n.put("created_at", r.createdAt().toString());
                n.put("library_version", r.libraryVersion());
                if (r.replacedSha256() != null) {
                    n.put("replaced_sha256", r.replacedSha256());
                }
                if (r.fingerprint() != null) {
                    n.put("fingerprint", r.fingerprint());
                }
                sb.append(n).append('\n');
            }
            writeBytes(log, sb.toString().getBytes(StandardCharsets.UTF_8));
            return null;
        });
    }

    @Override
    public List<SnapshotRecord> snapshots(SnapshotQuery query) {
        Objects.requireNonNull(query, "query");
        open();
        Path log = dir.resolve(SNAPSHOT_LOG);
        List<SnapshotRecord> out = new ArrayList<>();
        for (JsonNode n : readJsonLines(log)) {
            SnapshotRecord r = snapshotFromJson(n, log);
            if (query.matches(r)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(SnapshotRecord::createdAt).thenComparing(SnapshotRecord::path)
                .thenComparing(SnapshotRecord::secid));
        return List.copyOf(out);
    }

    private static SnapshotRecord snapshotFromJson(JsonNode n, Path log) {
        try {
            return new SnapshotRecord(text(n, "secid"), Timeframe.parse(text(n, "timeframe")), text(n, "feature_set"),
                    n.get("rows_count").asLong(), text(n, "path"), text(n, "format"), text(n, "sha256"),
                    n.get("min_ts").asLong(), n.get("max_ts").asLong(), n.get("history_start_ts").asLong(),
                    Instant.parse(text(n, "created_at")), text(n, "library_version"),
                    optionalText(n, "replaced_sha256"), optionalText(n, "fingerprint"));
        } catch (RuntimeException e) {
            throw new StorageException("malformed snapshot record in " + log + ": " + n + " (" + e + ")", e);
        }
    }

    // ---------------------------------------------------------------- files

    private ColumnTable readTable(Path file) {
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
    private Map<String, String> readFileMetadata(Path file) {
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

    private void writeTable(Path target, ColumnTable table) {
        writeAtomically(target, tmp -> codec.write(table, tmp));
        try {
            BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
            remember(target, new Cached(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), table));
        } catch (IOException e) {
            forget(target);
        }
    }

    private void writeBytes(Path target, byte[] bytes) {
        AtomicFiles.write(target, bytes);
    }

    /** Writes a temporary file beside the target, syncs it and renames it over the target. */
    private static void writeAtomically(Path target, Consumer<Path> writer) {
        AtomicFiles.write(target, writer::accept);
    }

    private JsonNode readJson(Path file) {
        try {
            return json.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
    }

    private List<JsonNode> readJsonLines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
        List<JsonNode> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            try {
                out.add(json.readTree(lines.get(i)));
            } catch (JsonProcessingException e) {
                throw new StorageException("line " + (i + 1) + " of " + file + " is not JSON: " + e.getOriginalMessage(),
                        e);
            }
        }
        return out;
    }

    private JsonNode metadataOf(Map<String, String> metadata, Path file) {
        String text = metadata.get(META_KEY);
        if (text == null) {
            throw new StorageException(file + " lacks the '" + META_KEY + "' metadata; it was not written by this storage",
                    null);
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StorageException("the '" + META_KEY + "' metadata of " + file + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static void requireText(JsonNode node, String field, String expected, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.asText().equals(expected)) {
            throw new StorageException(file + " holds " + field + " '" + (v == null ? "(none)" : v.asText())
                    .replace("\0", "\\0") + "', not '" + expected.replace("\0", "\\0")
                    + "'; two names that the file system does not tell apart (upper and lower case on a"
                    + " case-insensitive one) share this file", null);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v.asText();
    }

    /** A text field that may be absent (lines written before it existed): null then. */
    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Runs {@code body} holding this directory's JVM lock and the lock file. */
    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock held = ch.lock();
            try {
                return body.get();
            } finally {
                held.release();
            }
        } catch (IOException e) {
            throw new StorageException("cannot lock " + dir.resolve(LOCK_FILE) + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** First index whose ts is {@code >= key}. */
    private static int lowerBound(long[] ts, long key) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose ts is {@code > key}. */
    private static int upperBound(long[] ts, long key) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
        synchronized (cache) {
            cache.clear();
            cachedBytes = 0;
        }
    }

    @Override
    public String toString() {
        return "FileStorage[" + formatName + ", " + dir + "]";
    }
}
