package dev.featurestore.jdbc.internal;

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
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.storage.internal.SnapshotRows;
import dev.featurestore.core.storage.internal.StorageChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fact layer in one SQLite file: WAL mode (readers never wait for the writer), a busy
 * timeout (writers from other threads and processes queue instead of failing), foreign keys on,
 * connections pooled by HikariCP. Every write is one {@code BEGIN IMMEDIATE} transaction of
 * prepared-statement batches. Thread-safe. Not public API: open it through
 * {@link dev.featurestore.jdbc.SqliteStorageProvider}.
 */
public final class SqliteStorage implements FeatureStorage {
    /** Option: the most pooled connections (default 4). */
    public static final String POOL_SIZE = "pool.size";
    /** Option: how long a writer waits for another one, in ms (default 60000). */
    public static final String BUSY_TIMEOUT_MS = "busy.timeout.ms";
    /** Option: SQLite's {@code synchronous} pragma (default NORMAL, durable across crashes of the process in WAL mode). */
    public static final String SYNCHRONOUS = "synchronous";

    private static final int BATCH = 5_000;
    private static final int SQLITE_BUSY = 5;
    /** One monitor per database file: the stores of this JVM opening it take turns. */
    private static final Map<String, Object> OPENING = new ConcurrentHashMap<>();
    private static final int ROWS_PER_INSERT = 64;

    private final String description;
    private final Pool pool;
    private final Map<String, SetColumnsLayout> layouts = new ConcurrentHashMap<>();

    /** Opens (creating and migrating when needed) the database of {@code config}. */
    public SqliteStorage(StorageConfig config) {
        String url = config.url();
        this.description = "SQLite database " + url;
        String target = url.substring("jdbc:sqlite:".length());
        if (target.isEmpty() || target.contains(":memory:") || target.contains("mode=memory")) {
            throw new StorageException("SQLite URL '" + url + "' names no file; give jdbc:sqlite:<file>, or build the "
                    + "store without a storage URL for an in-memory store", null);
        }
        createParentDirectory(target);
        int busy = Pools.intOption(config.options(), BUSY_TIMEOUT_MS, 60_000, 0);
        int size = Pools.intOption(config.options(), POOL_SIZE, 4, 1);
        String synchronous = config.options().getOrDefault(SYNCHRONOUS, "NORMAL");
        if (!synchronous.matches("(?i)OFF|NORMAL|FULL|EXTRA")) {
            throw new IllegalArgumentException("option " + SYNCHRONOUS + " must be OFF, NORMAL, FULL or EXTRA, got '"
                    + synchronous + "'");
        }
        // No journal_mode here: the driver would run it on every new connection, and SQLite answers
        // SQLITE_BUSY at once, without waiting out the busy timeout, when two connections switch a
        // new file to WAL together. The switch is made once below, retried; WAL then stays in the file.
        Map<String, String> pragmas = Map.of("busy_timeout", Integer.toString(busy), "foreign_keys", "true",
                "synchronous", synchronous.toUpperCase(java.util.Locale.ROOT));
        // Stores of this JVM opening the same file create and migrate it one at a time; other
        // processes are waited for by the busy timeout, the WAL retries and the migration's retries.
        synchronized (OPENING.computeIfAbsent(fileKey(target), k -> new Object())) {
            this.pool = Pools.open("featurestore-sqlite", url, config.user(), config.password(), size, pragmas,
                    Pools.DEFAULT_CONNECTION_TIMEOUT_MS, description);
            try {
                enableWal(busy);
                Migrations.migrate(pool, Migrations.Vendor.SQLITE, description);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }
    }

    /**
     * Switches the file to WAL unless it is already. SQLite does not call the busy handler for
     * this switch (the connection would wait holding a read lock), so a switch refused with
     * SQLITE_BUSY is retried after a short random pause, for at most the busy timeout.
     */
    private void enableWal(int busyTimeoutMs) {
        long deadline = System.nanoTime() + Math.max(busyTimeoutMs, 1_000) * 1_000_000L;
        SQLException last;
        do {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                String mode = pragmaValue(s, "PRAGMA journal_mode");
                if (!"wal".equalsIgnoreCase(mode)) {
                    mode = pragmaValue(s, "PRAGMA journal_mode=WAL");
                }
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StorageException(description + " cannot be put in WAL mode: SQLite kept journal mode '"
                            + mode + "'", null);
                }
                return;
            } catch (SQLException e) {
                if ((e.getErrorCode() & 0xff) != SQLITE_BUSY) {
                    throw new StorageException("cannot put " + description + " in WAL mode: " + e.getMessage(),
                            e.getSQLState(), e);
                }
                last = e;
            }
            try {
                Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new StorageException("cannot put " + description + " in WAL mode: another connection kept it busy for "
                + busyTimeoutMs + " ms: " + last.getMessage(), last.getSQLState(), last);
    }

    private static String pragmaValue(Statement s, String pragma) throws SQLException {
        try (ResultSet rs = s.executeQuery(pragma)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The file of a {@code jdbc:sqlite:} target, absolute and normalized, naming it for {@link #OPENING}. */
    private static String fileKey(String target) {
        String file = target.startsWith("file:") ? target.substring(5) : target;
        int q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        try {
            return Path.of(file).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return file;
        }
    }

    private static void createParentDirectory(String target) {
        String file = target.startsWith("file:") ? target.substring(5) : target;
        int q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException | RuntimeException e) {
            throw new StorageException("cannot create the directory of SQLite file '" + file + "': " + e.getMessage(),
                    e);
        }
    }

    // ------------------------------------------------------------------ candles

    @Override
    public UpsertResult upsertCandles(CandleSeries series) {
        Timeframe tf = series.timeframe().orElseThrow(() -> new IllegalArgumentException("series '" + series.secid()
                + "' has no timeframe; candles are stored keyed by (secid, timeframe, ts)"));
        if (series.size() == 0) {
            return new UpsertResult(0, 0, 0);
        }
        String secid = series.secid();
        long[] ts = Columns.ts(series);
        double[][] cols = {Columns.open(series), Columns.high(series), Columns.low(series), Columns.close(series),
            Columns.volume(series)};
        return inWriteTransaction("upsert candles of '" + secid + "' " + tf, c -> {
            // Compare with what is stored (both in ts order) to count replaced and unchanged rows.
            boolean[] skip = new boolean[ts.length];
            long replaced = 0;
            long unchanged = 0;
            try (PreparedStatement read = c.prepareStatement("SELECT ts, open, high, low, close, volume FROM candles "
                    + "WHERE secid = ? AND timeframe = ? AND ts >= ? AND ts <= ? ORDER BY ts")) {
                read.setString(1, secid);
                read.setString(2, tf.toString());
                read.setLong(3, ts[0]);
                read.setLong(4, ts[ts.length - 1]);
                try (ResultSet rs = read.executeQuery()) {
                    int i = 0;
                    while (rs.next()) {
                        long t = rs.getLong(1);
                        while (i < ts.length && ts[i] < t) {
                            i++;
                        }
                        if (i < ts.length && ts[i] == t) {
                            boolean same = true;
                            for (int k = 0; k < 5 && same; k++) {
                                same = Double.doubleToLongBits(rs.getDouble(2 + k)) == Double.doubleToLongBits(
                                        cols[k][i]);
                            }
                            if (same) {
                                skip[i] = true;
                                unchanged++;
                            } else {
                                replaced++;
                            }
                        }
                    }
                }
            }
            try (PreparedStatement up = c.prepareStatement("INSERT INTO candles (secid, timeframe, ts, open, high, low, "
                    + "close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (secid, timeframe, ts) DO UPDATE SET "
                    + "open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, "
                    + "volume = excluded.volume")) {
                int pending = 0;
                for (int i = 0; i < ts.length; i++) {
                    if (skip[i]) {
                        continue;
                    }
                    up.setString(1, secid);
                    up.setString(2, tf.toString());
                    up.setLong(3, ts[i]);
                    for (int k = 0; k < 5; k++) {
                        up.setDouble(4 + k, cols[k][i]);
                    }
                    up.addBatch();
                    if (++pending == BATCH) {
                        up.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    up.executeBatch();
                }
            }
            long inserted = ts.length - replaced - unchanged;
            return new UpsertResult(inserted, replaced, unchanged);
        });
    }

    @Override
    public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        return inRead("read candles of '" + secid + "' " + timeframe,
                c -> FactLayerSql.readCandles(c, secid, timeframe, fromTs, toTs));
    }

    @Override
    public OptionalLong firstCandleTs(String secid, Timeframe timeframe) {
        return inRead("read the first candle of '" + secid + "' " + timeframe,
                c -> FactLayerSql.firstCandleTs(c, secid, timeframe));
    }

    @Override
    public List<String> secids() {
        return inRead("list the secids of the stored candles", FactLayerSql::candleSecids);
    }

    @Override
    public List<Timeframe> candleTimeframes(String secid) {
        return inRead("list the candle timeframes of '" + secid + "'", c -> {
            // One index seek per stored timeframe rather than a scan of every candle of the secid.
            TreeSet<Timeframe> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT timeframe FROM candles WHERE secid = ? "
                    + "AND timeframe > ? ORDER BY timeframe LIMIT 1")) {
                String last = "";
                while (true) {
                    ps.setString(1, secid);
                    ps.setString(2, last);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            break;
                        }
                        last = rs.getString(1);
                    }
                    out.add(Timeframe.parse(last));
                }
            }
            return List.copyOf(out);
        });
    }

    // ------------------------------------------------------------------ builds

    @Override
    public void writeBuild(BuildRecord record, FeatureFrame frame, BuildListener listener) {
        writeBuild(record, frame, StorageChecks.defaultAvailability(record), listener);
    }

    @Override
    public void writeBuild(BuildRecord record, FeatureFrame frame, LongUnaryOperator availableAt,
            BuildListener listener) {
        Objects.requireNonNull(availableAt, "availableAt");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(listener, "listener");
        StorageChecks.checkBuild(record, frame);
        String what = "write the " + record.featureSet() + " build of '" + record.secid() + "' " + record.timeframe();
        try {
            inWriteTransaction(what, c -> {
                SetColumnsLayout layout = layoutForWrite(c, frame);
                String set = record.featureSet();
                String tf = record.timeframe().toString();
                for (String table : new String[] {"feature_numeric", "feature_categorical"}) {
                    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE feature_set = ? "
                            + "AND timeframe = ? AND secid = ? AND ts >= ? AND ts < ?")) {
                        del.setString(1, set);
                        del.setString(2, tf);
                        del.setString(3, record.secid());
                        del.setLong(4, record.fromTs());
                        del.setLong(5, record.toTs());
                        del.executeUpdate();
                    }
                }
                int f = layout.names().size();
                int nNum = layout.numericCount();
                int nCat = layout.categoricalCount();
                boolean[] numeric = new boolean[f];
                int[] slots = new int[f];
                for (int j = 0; j < f; j++) {
                    numeric[j] = layout.kinds().get(j) == FeatureKind.NUMERIC;
                    slots[j] = layout.slot(j);
                }
                // Rows go in multi-row INSERTs of ROWS_PER_INSERT rows (one native call per chunk
                // rather than per row); the last partial chunk row by row.
                String head = " (feature_set, timeframe, secid, ts, available_at, vals) VALUES ";
                String many = head + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, "(?, ?, ?, ?, ?, ?)"));
                String one = head + "(?, ?, ?, ?, ?, ?)";
                long[] chunkTs = new long[ROWS_PER_INSERT];
                byte[][] chunkNum = new byte[ROWS_PER_INSERT][];
                byte[][] chunkCat = new byte[ROWS_PER_INSERT][];
                try (PreparedStatement numMany = c.prepareStatement("INSERT INTO feature_numeric" + many);
                        PreparedStatement catMany = nCat == 0 ? null
                                : c.prepareStatement("INSERT INTO feature_categorical" + many)) {
                    int inChunk = 0;
                    for (int r = 0; r < frame.size(); r++) {
                        byte[] nb = new byte[nNum * 8];
                        byte[] cb = new byte[nCat * 2];
                        for (int j = 0; j < f; j++) {
                            double v = frame.value(r, j);
                            if (numeric[j]) {
                                ValueCodec.putDouble(nb, slots[j], v);
                            } else {
                                ValueCodec.putCategory(cb, slots[j], v);
                            }
                        }
                        chunkTs[inChunk] = frame.ts(r);
                        chunkNum[inChunk] = nb;
                        chunkCat[inChunk] = cb;
                        inChunk++;
                        listener.rowStaged(r);
                        if (inChunk == ROWS_PER_INSERT) {
                            insertChunk(numMany, set, tf, record.secid(), availableAt, chunkTs, chunkNum, inChunk);
                            if (catMany != null) {
                                insertChunk(catMany, set, tf, record.secid(), availableAt, chunkTs, chunkCat, inChunk);
                            }
                            inChunk = 0;
                        }
                    }
                    if (inChunk > 0) {
                        try (PreparedStatement numOne = c.prepareStatement("INSERT INTO feature_numeric" + one)) {
                            insertRows(numOne, set, tf, record.secid(), availableAt, chunkTs, chunkNum, inChunk);
                        }
                        if (nCat > 0) {
                            try (PreparedStatement catOne = c.prepareStatement("INSERT INTO feature_categorical"
                                    + one)) {
                                insertRows(catOne, set, tf, record.secid(), availableAt, chunkTs, chunkCat, inChunk);
                            }
                        }
                    }
                }
                FactLayerSql.insertBuild(c, record, record.status(), Instant.now());
                return null;
            });
        } catch (RuntimeException e) {
            recordFailure(record, e);
            throw e;
        }
    }

    private static void insertChunk(PreparedStatement ps, String set, String tf, String secid,
            LongUnaryOperator availableAt, long[] ts, byte[][] vals, int rows) throws SQLException {
        for (int i = 0; i < rows; i++) {
            int p = i * 6;
            ps.setString(p + 1, set);
            ps.setString(p + 2, tf);
            ps.setString(p + 3, secid);
            ps.setLong(p + 4, ts[i]);
            ps.setLong(p + 5, availableAt.applyAsLong(ts[i]));
            ps.setBytes(p + 6, vals[i]);
        }
        ps.executeUpdate();
    }

    private static void insertRows(PreparedStatement ps, String set, String tf, String secid,
            LongUnaryOperator availableAt, long[] ts, byte[][] vals, int rows) throws SQLException {
        for (int i = 0; i < rows; i++) {
            ps.setString(1, set);
            ps.setString(2, tf);
            ps.setString(3, secid);
            ps.setLong(4, ts[i]);
            ps.setLong(5, availableAt.applyAsLong(ts[i]));
            ps.setBytes(6, vals[i]);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    private void recordFailure(BuildRecord record, RuntimeException failure) {
        try {
            inWriteTransaction("record a failed build", c -> {
                FactLayerSql.insertBuild(c, record, BuildRecord.Status.FAILED, Instant.now());
                return null;
            });
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private SetColumnsLayout layoutForWrite(Connection c, FeatureFrame frame) throws SQLException {
        String set = frame.featureSet();
        SetColumnsLayout stored = readLayout(c, set);
        if (stored == null) {
            SetColumnsLayout layout = SetColumnsLayout.of(set, frame.featureNames(), frame.kinds());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_set_columns (feature_set, position, "
                    + "feature, kind, slot) VALUES (?, ?, ?, ?, ?)")) {
                for (int j = 0; j < layout.names().size(); j++) {
                    ps.setString(1, set);
                    ps.setInt(2, j);
                    ps.setString(3, layout.names().get(j));
                    ps.setString(4, SetColumnsLayout.kindName(layout.kinds().get(j)));
                    ps.setInt(5, layout.slot(j));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return layout;
        }
        if (!stored.matches(frame.featureNames(), frame.kinds())) {
            throw stored.mismatch(frame.featureNames(), frame.kinds());
        }
        return stored;
    }

    private SetColumnsLayout readLayout(Connection c, String set) throws SQLException {
        SetColumnsLayout cached = layouts.get(set);
        if (cached != null) {
            return cached;
        }
        SetColumnsLayout layout = FactLayerSql.readColumns(c, set);
        if (layout == null) {
            return null;
        }
        // Committed layouts never change (a changed list is a new feature set), so they may be cached.
        layouts.put(set, layout);
        return layout;
    }

    // ------------------------------------------------------------------ feature reads

    @Override
    public FeatureFrame readFeatures(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long fromTs, long toTs) {
        return inRead("read " + featureSet + " features of '" + secid + "' " + timeframe, c -> {
            SetColumnsLayout layout = readLayout(c, featureSet);
            if (layout == null || fromTs >= toTs) {
                return emptyFrame(featureSet, features, secid, timeframe, layout);
            }
            int[] pos = layout.positions(features);
            Decoder decoder = new Decoder(layout, pos);
            GrowingRows rows = new GrowingRows(pos.length);
            try (PreparedStatement ps = c.prepareStatement(selectRows(layout) + " AND n.ts >= ? AND n.ts < ? "
                    + "ORDER BY n.ts")) {
                bindSeries(ps, featureSet, timeframe, secid);
                ps.setLong(4, fromTs);
                ps.setLong(5, toTs);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1), rs.getBytes(2), layout.categoricalCount() > 0 ? rs.getBytes(3) : null,
                                decoder);
                    }
                }
            }
            List<FeatureKind> kinds = new ArrayList<>();
            for (int p : pos) {
                kinds.add(layout.kinds().get(p));
            }
            return Columns.frame(secid, featureSet, timeframe, features, kinds, rows.ts(), rows.columns(), 0,
                    rows.size());
        });
    }

    @Override
    public FeatureWindow readWindow(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long lastTs, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        return inRead("read a " + featureSet + " window of '" + secid + "' " + timeframe, c -> {
            SetColumnsLayout layout = readLayout(c, featureSet);
            String what = "feature set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe
                    + ", opened by " + Instant.ofEpochMilli(lastTs);
            if (layout == null) {
                throw new InsufficientHistoryException(what, size, 0);
            }
            int[] pos = layout.positions(features);
            Decoder decoder = new Decoder(layout, pos);
            long[] ts = new long[size];
            double[] values = new double[size * pos.length];
            int got = 0;
            try (PreparedStatement ps = c.prepareStatement(selectRows(layout)
                    + " AND n.ts <= ? ORDER BY n.ts DESC LIMIT ?")) {
                bindSeries(ps, featureSet, timeframe, secid);
                ps.setLong(4, lastTs);
                ps.setInt(5, size);
                try (ResultSet rs = ps.executeQuery()) {
                    double[] row = new double[pos.length];
                    while (rs.next()) {
                        int r = size - 1 - got;
                        ts[r] = rs.getLong(1);
                        decoder.decode(rs.getBytes(2), layout.categoricalCount() > 0 ? rs.getBytes(3) : null, row);
                        System.arraycopy(row, 0, values, r * pos.length, pos.length);
                        got++;
                    }
                }
            }
            if (got < size) {
                throw new InsufficientHistoryException(what, size, got);
            }
            return Columns.window(secid, featureSet, timeframe, features, ts, values);
        });
    }

    private static String selectRows(SetColumnsLayout layout) {
        if (layout.categoricalCount() == 0) {
            return "SELECT n.ts, n.vals FROM feature_numeric n WHERE n.feature_set = ? AND n.timeframe = ? "
                    + "AND n.secid = ?";
        }
        return "SELECT n.ts, n.vals, k.vals FROM feature_numeric n JOIN feature_categorical k "
                + "ON k.feature_set = n.feature_set AND k.timeframe = n.timeframe AND k.secid = n.secid AND k.ts = n.ts "
                + "WHERE n.feature_set = ? AND n.timeframe = ? AND n.secid = ?";
    }

    private static void bindSeries(PreparedStatement ps, String set, Timeframe tf, String secid) throws SQLException {
        ps.setString(1, set);
        ps.setString(2, tf.toString());
        ps.setString(3, secid);
    }

    private static FeatureFrame emptyFrame(String set, List<String> features, String secid, Timeframe tf,
            SetColumnsLayout layout) {
        List<FeatureKind> kinds = new ArrayList<>();
        int[] pos = layout == null ? null : layout.positions(features);
        for (int i = 0; i < features.size(); i++) {
            kinds.add(pos == null ? FeatureKind.NUMERIC : layout.kinds().get(pos[i]));
        }
        return Columns.frame(secid, set, tf, features, kinds, new long[0], new double[features.size()][0], 0, 0);
    }

    /** Decodes the wanted features of one stored row. */
    private static final class Decoder {
        private final boolean[] numeric;
        private final int[] slots;

        Decoder(SetColumnsLayout layout, int[] positions) {
            numeric = new boolean[positions.length];
            slots = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                numeric[i] = layout.kinds().get(positions[i]) == FeatureKind.NUMERIC;
                slots[i] = layout.slot(positions[i]);
            }
        }

        void decode(byte[] numericBlob, byte[] categoricalBlob, double[] out) {
            for (int i = 0; i < slots.length; i++) {
                out[i] = numeric[i] ? ValueCodec.getDouble(numericBlob, slots[i])
                        : ValueCodec.getCategory(categoricalBlob, slots[i]);
            }
        }
    }

    /** Rows appended by column, the arrays doubling as needed. */
    private static final class GrowingRows {
        private long[] ts = new long[256];
        private double[][] columns;
        private final double[] row;
        private int size;

        GrowingRows(int features) {
            columns = new double[features][256];
            row = new double[features];
        }

        void add(long t, byte[] numericBlob, byte[] categoricalBlob, Decoder decoder) {
            if (size == ts.length) {
                int cap = ts.length * 2;
                ts = java.util.Arrays.copyOf(ts, cap);
                for (int j = 0; j < columns.length; j++) {
                    columns[j] = java.util.Arrays.copyOf(columns[j], cap);
                }
            }
            decoder.decode(numericBlob, categoricalBlob, row);
            ts[size] = t;
            for (int j = 0; j < row.length; j++) {
                columns[j][size] = row[j];
            }
            size++;
        }

        int size() {
            return size;
        }

        long[] ts() {
            return ts;
        }

        double[][] columns() {
            return columns;
        }
    }

    @Override
    public List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        return inRead("read the builds of " + featureSet + " '" + secid + "' " + timeframe,
                c -> FactLayerSql.builds(c, featureSet, timeframe, secid, "started_at, finished_at, build_id"));
    }

    // ------------------------------------------------------------------ snapshot audit log

    /** True: the snapshot audit log is the table {@code train_data_snapshots}. */
    @Override
    public boolean keepsSnapshotLog() {
        return true;
    }

    @Override
    public void recordSnapshots(List<SnapshotRecord> records) {
        SnapshotRows.checkBatch(records);
        if (records.isEmpty()) {
            return;
        }
        inWriteTransaction("record " + records.size() + " snapshot audit rows of " + records.get(0).path(), c -> {
            SnapshotLogSql.insert(c, records);
            return null;
        });
    }

    @Override
    public List<SnapshotRecord> snapshots(SnapshotQuery query) {
        Objects.requireNonNull(query, "query");
        return inRead("find snapshot audit rows", c -> SnapshotLogSql.select(c, query));
    }

    // ------------------------------------------------------------------ plumbing

    /** Work on a connection that may throw SQLException. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inRead(String what, SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("cannot " + what + " in " + description + ": " + e.getMessage(), e.getSQLState(),
                    e);
        }
    }

    /**
     * Runs {@code work} in one {@code BEGIN IMMEDIATE} transaction: the write lock is taken at the
     * start (waiting up to the busy timeout for other writers), so the transaction never fails half
     * way for want of it. Commits on success, rolls back on any failure.
     */
    private <T> T inWriteTransaction(String what, SqlWork<T> work) {
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            throw new StorageException("cannot " + what + ": no connection to " + description + ": " + e.getMessage(),
                    e.getSQLState(), e);
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            T result;
            try {
                result = work.run(c);
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            }
            return result;
        } catch (SQLException e) {
            throw new StorageException("cannot " + what + " in " + description + ": " + e.getMessage(), e.getSQLState(),
                    e);
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                // the pool has already dropped it
            }
        }
    }

    private void rollback(Connection c, Throwable failure) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
            // A connection whose transaction state is unknown must not be reused.
            pool.evictConnection(c);
        }
    }

    /**
     * The value of a pragma as a pooled connection sees it, e.g. {@code journal_mode}; for
     * diagnostics and tests.
     *
     * @throws IllegalArgumentException for a name that is not a plain identifier
     */
    public String pragma(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a pragma name: '" + name + "'");
        }
        return inRead("read pragma " + name, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "SqliteStorage[" + description + "]";
    }
}
