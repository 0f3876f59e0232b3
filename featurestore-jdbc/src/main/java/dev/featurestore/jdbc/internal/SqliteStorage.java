package dev.featurestore.jdbc.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.UpsertResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SQLite dialect of the fact layer ({@link JdbcStorage}), in one file: WAL mode (readers
 * never wait for the writer), a busy timeout (writers from other threads and processes queue
 * instead of failing), foreign keys on, connections pooled by HikariCP. Every write is one
 * {@code BEGIN IMMEDIATE} transaction, which keeps every other writer out, so no lock of its own
 * is needed; bulk rows go in prepared multi-row inserts. Thread-safe. Not public API: open it
 * through {@link dev.featurestore.jdbc.SqliteStorageProvider}.
 */
public final class SqliteStorage extends JdbcStorage {
    /** Option: the most pooled connections (default 4). */
    public static final String POOL_SIZE = "pool.size";
    /** Option: how long a writer waits for another one, in ms (default 60000). */
    public static final String BUSY_TIMEOUT_MS = "busy.timeout.ms";
    /** Option: SQLite's {@code synchronous} pragma (default NORMAL, durable across crashes of the process in WAL mode). */
    public static final String SYNCHRONOUS = "synchronous";

    private static final Set<String> OPTIONS = Set.of(POOL_SIZE, BUSY_TIMEOUT_MS, SYNCHRONOUS);
    private static final int SQLITE_BUSY = 5;
    /** One monitor per database file: the stores of this JVM opening it take turns. */
    private static final Map<String, Object> OPENING = new ConcurrentHashMap<>();
    private static final int ROWS_PER_INSERT = 64;

    /**
     * Opens (creating and migrating when needed) the database of {@code config}.
     *
     * @param config a {@code jdbc:sqlite:<file>} URL and the options {@value #POOL_SIZE},
     *     {@value #BUSY_TIMEOUT_MS}, {@value #SYNCHRONOUS}
     * @throws IllegalArgumentException for an unknown option or a bad value
     * @throws StorageException when the URL names no file or the database cannot be opened
     */
    public SqliteStorage(StorageConfig config) {
        super("SQLite database " + config.url(), open(config), Migrations.Vendor.SQLITE);
    }

    private static Pool open(StorageConfig config) {
        String url = config.url();
        String description = "SQLite database " + url;
        checkOptions(config.options(), OPTIONS, "SQLite");
        String target = url.substring("jdbc:sqlite:".length());
        if (target.isEmpty() || target.contains(":memory:") || target.contains("mode=memory")) {
            throw new StorageException("SQLite URL '" + url + "' names no file; give jdbc:sqlite:<file>, or build the "
                    + "store without a storage URL for an in-memory store", null);
        }
        int busy = Pools.intOption(config.options(), BUSY_TIMEOUT_MS, 60_000, 0);
        int size = Pools.intOption(config.options(), POOL_SIZE, 4, 1);
        String synchronous = config.options().getOrDefault(SYNCHRONOUS, "NORMAL");
        if (!synchronous.matches("(?i)OFF|NORMAL|FULL|EXTRA")) {
            throw new IllegalArgumentException("option " + SYNCHRONOUS + " must be OFF, NORMAL, FULL or EXTRA, got '"
                    + synchronous + "'");
        }
        createParentDirectory(target);
        // No journal_mode here: the driver would run it on every new connection, and SQLite answers
        // SQLITE_BUSY at once, without waiting out the busy timeout, when two connections switch a
        // new file to WAL together. The switch is made once below, retried; WAL then stays in the file.
        Map<String, String> pragmas = Map.of("busy_timeout", Integer.toString(busy), "foreign_keys", "true",
                "synchronous", synchronous.toUpperCase(Locale.ROOT));
        // Stores of this JVM opening the same file create and migrate it one at a time; other
        // processes are waited for by the busy timeout, the WAL retries and the migration's retries.
        synchronized (OPENING.computeIfAbsent(fileKey(target), k -> new Object())) {
            Pool pool = Pools.open("featurestore-sqlite", url, config.user(), config.password(), size, pragmas,
                    Pools.DEFAULT_CONNECTION_TIMEOUT_MS, description);
            try {
                enableWal(pool, busy, description);
                Migrations.migrate(pool, Migrations.Vendor.SQLITE, description);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            return pool;
        }
    }

    /**
     * Switches the file to WAL unless it is already. SQLite does not call the busy handler for
     * this switch (the connection would wait holding a read lock), so a switch refused with
     * SQLITE_BUSY is retried after a short random pause, for at most the busy timeout.
     */
    private static void enableWal(Pool pool, int busyTimeoutMs, String description) {
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
                Thread.sleep(1 + ThreadLocalRandom.current().nextInt(20));
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

    /** The file of a {@code jdbc:sqlite:} target, without the {@code file:} prefix and parameters. */
    private static String fileOf(String target) {
        String file = target.startsWith("file:") ? target.substring(5) : target;
        int q = file.indexOf('?');
        return q >= 0 ? file.substring(0, q) : file;
    }

    /** The file of a {@code jdbc:sqlite:} target, absolute and normalized, naming it for {@link #OPENING}. */
    private static String fileKey(String target) {
        String file = fileOf(target);
        try {
            return Path.of(file).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return file;
        }
    }

    private static void createParentDirectory(String target) {
        String file = fileOf(target);
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

    // ---------------------------------------------------------------- dialect hooks

    /** {@code BEGIN IMMEDIATE} for a write: the write lock is taken at once (waiting up to the busy timeout). */
    @Override
    protected void begin(Connection c, boolean write) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(write ? "BEGIN IMMEDIATE" : "BEGIN");
        }
    }

    @Override
    protected void commit(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("COMMIT");
        }
    }

    @Override
    protected void rollback(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        }
    }

    /**
     * Compares with the stored candles of the range (both in ts order) to count replaced and
     * unchanged rows, then upserts the others in prepared batches.
     */
    @Override
    protected UpsertResult mergeCandles(Connection c, CandleSeries series, Timeframe tf, String what)
            throws SQLException {
        String secid = series.secid();
        long[] ts = Columns.ts(series);
        double[][] cols = {Columns.open(series), Columns.high(series), Columns.low(series), Columns.close(series),
            Columns.volume(series)};
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
                            same = Double.doubleToLongBits(rs.getDouble(2 + k)) == Double.doubleToLongBits(cols[k][i]);
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
        // Multi-row statements of ROWS_PER_INSERT rows, as the feature write: one native step per
        // chunk rather than per row (a third less CPU for a 2.68 M-candle ingest, WholeRunBench
        // --only jdbc); the last partial chunk row by row in one batch.
        int[] rows = new int[ts.length];
        int n = 0;
        for (int i = 0; i < ts.length; i++) {
            if (!skip[i]) {
                rows[n++] = i;
            }
        }
        String head = "INSERT INTO candles (secid, timeframe, ts, open, high, low, close, volume) VALUES ";
        String row = "(?, ?, ?, ?, ?, ?, ?, ?)";
        String tail = " ON CONFLICT (secid, timeframe, ts) DO UPDATE SET open = excluded.open, high = excluded.high, "
                + "low = excluded.low, close = excluded.close, volume = excluded.volume";
        String timeframe = tf.toString();
        int full = n - n % ROWS_PER_INSERT;
        if (full > 0) {
            try (PreparedStatement many = c.prepareStatement(head
                    + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, row)) + tail)) {
                for (int r = 0; r < full; r++) {
                    bindCandle(many, (r % ROWS_PER_INSERT) * 8, secid, timeframe, ts, cols, rows[r]);
                    if (r % ROWS_PER_INSERT == ROWS_PER_INSERT - 1) {
                        many.executeUpdate();
                    }
                }
            }
        }
        if (full < n) {
            try (PreparedStatement one = c.prepareStatement(head + row + tail)) {
                for (int r = full; r < n; r++) {
                    bindCandle(one, 0, secid, timeframe, ts, cols, rows[r]);
                    one.addBatch();
                }
                one.executeBatch();
            }
        }
        return new UpsertResult(ts.length - replaced - unchanged, replaced, unchanged);
    }

    private static void bindCandle(PreparedStatement ps, int offset, String secid, String timeframe, long[] ts,
            double[][] cols, int i) throws SQLException {
        ps.setString(offset + 1, secid);
        ps.setString(offset + 2, timeframe);
        ps.setLong(offset + 3, ts[i]);
        for (int k = 0; k < 5; k++) {
            ps.setDouble(offset + 4 + k, cols[k][i]);
        }
    }

    /**
     * Deletes the stored rows of the range, then inserts the new ones in multi-row INSERTs of
     * {@value #ROWS_PER_INSERT} rows (one native call per chunk rather than per row), the last
     * partial chunk row by row in one batch.
     */
    @Override
    protected BulkWriter bulkWriter(String what) {
        return SqliteStorage::replaceRows;
    }

    private static void replaceRows(Connection c, BulkWriter.Table table, BuildRecord record, int rows,
            BulkWriter.RowSource source) throws SQLException {
        String tf = record.timeframe().toString();
        String secid = record.secid();
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table.name() + " WHERE secid = ? "
                + "AND timeframe = ? AND ts >= ? AND ts < ?")) {
            del.setString(1, secid);
            del.setString(2, tf);
            del.setLong(3, record.fromTs());
            del.setLong(4, record.toTs());
            del.executeUpdate();
        }
        int width = 4 + table.valueColumns().size();
        String row = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
        String head = "INSERT INTO " + table.name() + " (secid, timeframe, ts, available_at, "
                + String.join(", ", table.valueColumns()) + ") VALUES ";
        int full = rows - rows % ROWS_PER_INSERT;
        if (full > 0) {
            try (PreparedStatement many = c.prepareStatement(head
                    + String.join(", ", Collections.nCopies(ROWS_PER_INSERT, row)))) {
                Binder binder = new Binder(many);
                for (int r = 0; r < full; r++) {
                    binder.bind((r % ROWS_PER_INSERT) * width, tf, secid, r, source);
                    if (r % ROWS_PER_INSERT == ROWS_PER_INSERT - 1) {
                        many.executeUpdate();
                    }
                }
            }
        }
        if (full < rows) {
            try (PreparedStatement one = c.prepareStatement(head + row)) {
                Binder binder = new Binder(one);
                for (int r = full; r < rows; r++) {
                    binder.bind(0, tf, secid, r, source);
                    one.addBatch();
                }
                one.executeBatch();
            }
        }
    }

    /** Binds one row's parameters from an offset. */
    private static final class Binder implements BulkWriter.RowSink {
        private final PreparedStatement ps;
        private int next;

        Binder(PreparedStatement ps) {
            this.ps = ps;
        }

        void bind(int offset, String tf, String secid, int r, BulkWriter.RowSource source) throws SQLException {
            ps.setString(offset + 1, secid);
            ps.setString(offset + 2, tf);
            ps.setLong(offset + 3, source.ts(r));
            ps.setLong(offset + 4, source.availableAt(r));
            next = offset + 5;
            source.values(r, this);
        }

        @Override
        public void number(double value) throws SQLException {
            ps.setDouble(next++, value);
        }

        @Override
        public void category(short value) throws SQLException {
            ps.setShort(next++, value);
        }
    }

    /**
     * The value of a pragma as a pooled connection sees it, e.g. {@code journal_mode}; for
     * diagnostics and tests.
     *
     * @param name the pragma, lower-case letters and underscores
     * @return its value, or null when it has none
     * @throws IllegalArgumentException for a name that is not a plain identifier
     */
    public String pragma(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a pragma name: '" + name + "'");
        }
        try (Connection c = pool().getConnection(); Statement s = c.createStatement()) {
            return pragmaValue(s, "PRAGMA " + name);
        } catch (SQLException e) {
            throw new StorageException("cannot read pragma " + name + " in " + description() + ": " + e.getMessage(),
                    e.getSQLState(), e);
        }
    }
}
