package dev.featurestore.jdbc.postgres;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.jdbc.internal.BulkWriter;
import dev.featurestore.jdbc.internal.JdbcStorage;
import dev.featurestore.jdbc.internal.Migrations;
import dev.featurestore.jdbc.internal.Pool;
import dev.featurestore.jdbc.internal.Pools;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The PostgreSQL dialect of the fact layer ({@link JdbcStorage}): a HikariCP pool, and bulk
 * writes through {@code COPY} (or JDBC batches) into a temporary staging table followed by one
 * merge, in one transaction per call; writers of one series are serialized by an advisory lock.
 * Opened by {@link PostgresStorageProvider}; thread-safe.
 */
final class PostgresStorage extends JdbcStorage {
    /** How staging tables are filled: {@code COPY ... FROM STDIN (FORMAT binary)} or JDBC batches. */
    enum WriteMethod {
        COPY, BATCH
    }

    /**
     * A point inside a call where a test stops the server or ends the connection (see {@link
     * #onStep}), so that a fault falls exactly there and not by timing.
     */
    enum Step {
        /** A chunk of a {@code COPY ... FROM STDIN} has gone to the server; the COPY is still open. */
        COPY_CHUNK_SENT,
        /** Every statement of a write transaction has run; the commit is next. */
        BEFORE_COMMIT
    }

    /** Told on the calling thread when a call reaches a {@link Step}. */
    @FunctionalInterface
    interface StepListener {
        /** {@code operation} is the call's description, as its errors name it ("write the build of ..."). */
        void reached(Step step, String operation);
    }

    private static final String TEMP_BUFFERS = "64MB";
    private static final Set<String> OPTIONS = Set.of(PostgresStorageProvider.WRITE_METHOD,
            PostgresStorageProvider.BATCH_SIZE, PostgresStorageProvider.POOL_SIZE,
            PostgresStorageProvider.CONNECTION_TIMEOUT);

    private final WriteMethod writeMethod;
    private final int batchSize;
    private volatile StepListener steps = (step, operation) -> {
    };

    PostgresStorage(StorageConfig config) {
        super(describe(config), open(config), Migrations.Vendor.POSTGRESQL);
        Map<String, String> options = config.options();
        this.writeMethod = parseWriteMethod(options.getOrDefault(PostgresStorageProvider.WRITE_METHOD, "copy"));
        this.batchSize = Pools.intOption(options, PostgresStorageProvider.BATCH_SIZE, 1000, 1);
    }

    private static String describe(StorageConfig config) {
        return "PostgreSQL storage " + PostgresStorageProvider.redact(config.url());
    }

    private static Pool open(StorageConfig config) {
        Map<String, String> options = config.options();
        checkOptions(options, OPTIONS, "PostgreSQL");
        parseWriteMethod(options.getOrDefault(PostgresStorageProvider.WRITE_METHOD, "copy"));
        Pools.intOption(options, PostgresStorageProvider.BATCH_SIZE, 1000, 1);
        int poolSize = Pools.intOption(options, PostgresStorageProvider.POOL_SIZE, 8, 1);
        int connectionTimeout = Pools.intOption(options, PostgresStorageProvider.CONNECTION_TIMEOUT,
                Pools.DEFAULT_CONNECTION_TIMEOUT_MS, Pools.MIN_CONNECTION_TIMEOUT_MS);
        String description = describe(config);
        // Staging tables live in temp_buffers (8MB by default): room for a large build's rows.
        Pool pool = Pools.open("featurestore-postgres", config.url(), config.user(), config.password(), poolSize,
                Map.of("options", "-c temp_buffers=" + TEMP_BUFFERS), connectionTimeout, description);
        try {
            Migrations.migrate(pool, Migrations.Vendor.POSTGRESQL, description);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    private static WriteMethod parseWriteMethod(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "copy":
                return WriteMethod.COPY;
            case "batch":
                return WriteMethod.BATCH;
            default:
                throw new IllegalArgumentException("option " + PostgresStorageProvider.WRITE_METHOD + "='" + text
                        + "' is not known; valid values are copy (the default) and batch");
        }
    }

    /** For tests: {@code listener} is told of every {@link Step} of every later call. */
    void onStep(StepListener listener) {
        this.steps = Objects.requireNonNull(listener, "listener");
    }

    /** For tests: the pooled connections not in use. */
    int idleConnections() {
        return pool().idleConnections();
    }

    /** For tests: the callers waiting for a pooled connection. */
    int callersWaitingForConnection() {
        return pool().threadsAwaitingConnection();
    }

    /** The write method in use (for tests and benchmarks). */
    WriteMethod writeMethod() {
        return writeMethod;
    }

    // ---------------------------------------------------------------- dialect hooks

    @Override
    protected void begin(Connection c, boolean write) throws SQLException {
        c.setAutoCommit(false);
    }

    @Override
    protected void commit(Connection c) throws SQLException {
        c.commit();
    }

    @Override
    protected void rollback(Connection c) throws SQLException {
        c.rollback();
    }

    @Override
    protected void beforeCommit(String what) {
        steps.reached(Step.BEFORE_COMMIT, what);
    }

    @Override
    protected void checkText(String field, String value) {
        PostgresText.check(field, value);
    }

    @Override
    protected boolean storesText(String value) {
        return value.indexOf('\0') < 0;
    }

    /**
     * When the server dropped the connection (HikariCP discards it), it has most likely dropped
     * the idle ones too (a restart): discards those now, rather than have the next calls fail one
     * by one on connections used too recently to be checked.
     */
    @Override
    protected void failed(SQLException e) {
        if (connectionLost(e)) {
            pool().softEvictConnections();
        }
    }

    /**
     * Whether the error says the connection is gone: SQLSTATE class 08 (connection exception) or
     * the server shutting down or ending the session (57P01 admin_shutdown, 57P02 crash_shutdown,
     * 57P03 cannot_connect_now).
     */
    private static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    /**
     * Serializes writes of one (feature set, timeframe, secid) until the transaction ends, so
     * that the delete-then-insert merge never races another build of the same series; builds of
     * other series (another set, another secid) run in parallel.
     */
    @Override
    protected void lockSeries(Connection c, BuildRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "featurestore\u001f" + record.featureSet() + "\u001f" + record.timeframe() + "\u001f"
                    + record.secid());
            ps.executeQuery().close();
        }
    }

    @Override
    protected void lockSnapshotPaths(Connection c, SortedSet<String> paths) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            for (String path : paths) {
                lock.setString(1, "train_data_snapshots " + path);
                lock.execute();
            }
        }
    }

    /** Tells the step listener of each chunk a COPY of {@code what} sends. */
    private Runnable chunkSent(String what) {
        return () -> steps.reached(Step.COPY_CHUNK_SENT, what);
    }

    // ---------------------------------------------------------------- candles

    /** Stages the candles, then one {@code INSERT ... ON CONFLICT DO UPDATE} that skips unchanged rows. */
    @Override
    protected UpsertResult mergeCandles(Connection c, CandleSeries series, Timeframe tf, String what)
            throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS fs_stage_candles (ts BIGINT NOT NULL,"
                    + " open DOUBLE PRECISION NOT NULL, high DOUBLE PRECISION NOT NULL,"
                    + " low DOUBLE PRECISION NOT NULL, close DOUBLE PRECISION NOT NULL,"
                    + " volume DOUBLE PRECISION NOT NULL) ON COMMIT DELETE ROWS");
        }
        if (writeMethod == WriteMethod.COPY) {
            copyCandles(c, series, chunkSent(what));
        } else {
            batchCandles(c, series);
        }
        String merge = "WITH m AS (INSERT INTO candles (secid, timeframe, ts, open, high, low, close, volume)"
                + " SELECT ?, ?, ts, open, high, low, close, volume FROM fs_stage_candles"
                + " ON CONFLICT (secid, timeframe, ts) DO UPDATE SET open = EXCLUDED.open,"
                + " high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,"
                + " volume = EXCLUDED.volume"
                + " WHERE (candles.open, candles.high, candles.low, candles.close, candles.volume)"
                + " IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close,"
                + " EXCLUDED.volume)"
                + " RETURNING (xmax = 0) AS inserted)"
                + " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM m";
        try (PreparedStatement ps = c.prepareStatement(merge)) {
            ps.setString(1, series.secid());
            ps.setString(2, tf.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long inserted = rs.getLong(1);
                long replaced = rs.getLong(2);
                return new UpsertResult(inserted, replaced, series.size() - inserted - replaced);
            }
        }
    }

    private static void copyCandles(Connection c, CandleSeries series, Runnable chunkSent) throws SQLException {
        CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
        try (PostgresBinaryCopy out = new PostgresBinaryCopy(
                cm.copyIn("COPY fs_stage_candles (ts, open, high, low, close, volume) FROM STDIN (FORMAT binary)"),
                chunkSent)) {
            long[] ts = Columns.ts(series);
            double[] o = Columns.open(series);
            double[] h = Columns.high(series);
            double[] l = Columns.low(series);
            double[] cl = Columns.close(series);
            double[] v = Columns.volume(series);
            for (int i = 0; i < ts.length; i++) {
                out.startRow(6);
                out.int8(ts[i]);
                out.float8(o[i]);
                out.float8(h[i]);
                out.float8(l[i]);
                out.float8(cl[i]);
                out.float8(v[i]);
            }
            out.finish();
        }
    }

    private void batchCandles(Connection c, CandleSeries series) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fs_stage_candles (ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?)")) {
            long[] ts = Columns.ts(series);
            for (int i = 0; i < ts.length; i++) {
                ps.setLong(1, ts[i]);
                ps.setDouble(2, series.open(i));
                ps.setDouble(3, series.high(i));
                ps.setDouble(4, series.low(i));
                ps.setDouble(5, series.close(i));
                ps.setDouble(6, series.volume(i));
                ps.addBatch();
                if ((i + 1) % batchSize == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    // ---------------------------------------------------------------- feature rows

    /**
     * Stages the rows in a temporary table ({@code COPY} or batches), then makes the stored rows
     * of the build's range equal the staged ones in two set-based statements: rows of the range
     * that differ from the staged row of their ts, or that the build no longer has, are deleted;
     * then the staged rows not stored are inserted (an anti-join, about twice as fast as
     * {@code INSERT ... ON CONFLICT DO UPDATE}, whose speculative insertion costs a second index
     * probe per row). Identical rows are left alone, so a rebuild of the same range writes
     * nothing. Safe because writes of one series are serialized by {@link #lockSeries}.
     */
    @Override
    protected BulkWriter bulkWriter(String what) {
        return (c, table, record, rows, source) -> {
            // A table name is at most 63 characters and ends in what tells sets apart (the set's
            // name, or the hash that stands for the end of a long one), so its end names the stage.
            String bare = table.name().replace("\"", "");
            String stage = "fs_stage_" + bare.substring(Math.max(0, bare.length() - 54));
            List<String> values = table.valueColumns();
            StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS " + stage
                    + " (ts BIGINT NOT NULL, available_at BIGINT NOT NULL");
            for (int v = 0; v < values.size(); v++) {
                ddl.append(", ").append(values.get(v))
                        .append(table.numeric().get(v) ? " DOUBLE PRECISION" : " SMALLINT").append(" NOT NULL");
            }
            try (Statement s = c.createStatement()) {
                s.execute(ddl.append(") ON COMMIT DELETE ROWS").toString());
            }
            String columns = "ts, available_at, " + String.join(", ", values);
            if (writeMethod == WriteMethod.COPY) {
                copyRows(c, stage, columns, values.size(), rows, source, chunkSent(what));
            } else {
                batchRows(c, stage, columns, values.size(), rows, source);
            }
            StringBuilder same = new StringBuilder();
            StringBuilder staged = new StringBuilder();
            for (int v = 0; v < values.size(); v++) {
                String col = values.get(v);
                // Doubles compare by their bits: -0.0 = 0.0 in SQL, and a rebuild that changes
                // one into the other must rewrite the row.
                same.append(table.numeric().get(v)
                        ? " AND float8send(s." + col + ") = float8send(f." + col + ")"
                        : " AND s." + col + " = f." + col);
                staged.append(", s.").append(col);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.name() + " f WHERE f.secid = ?"
                    + " AND f.timeframe = ? AND f.ts >= ? AND f.ts < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM " + stage + " s WHERE s.ts = f.ts"
                    + " AND s.available_at = f.available_at" + same + ")")) {
                ps.setString(1, record.secid());
                ps.setString(2, record.timeframe().toString());
                ps.setLong(3, record.fromTs());
                ps.setLong(4, record.toTs());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.name()
                    + " (secid, timeframe, " + columns + ")"
                    + " SELECT ?, ?, s.ts, s.available_at" + staged + " FROM " + stage + " s"
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + table.name() + " f WHERE f.secid = ?"
                    + " AND f.timeframe = ? AND f.ts = s.ts)")) {
                for (int base : new int[] {0, 2}) {
                    ps.setString(base + 1, record.secid());
                    ps.setString(base + 2, record.timeframe().toString());
                }
                ps.executeUpdate();
            }
        };
    }

    private static void copyRows(Connection c, String stage, String columns, int values, int rows,
            BulkWriter.RowSource source, Runnable chunkSent) throws SQLException {
        CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
        try (PostgresBinaryCopy out = new PostgresBinaryCopy(
                cm.copyIn("COPY " + stage + " (" + columns + ") FROM STDIN (FORMAT binary)"), chunkSent)) {
            BulkWriter.RowSink sink = new BulkWriter.RowSink() {
                @Override
                public void number(double value) throws SQLException {
                    out.float8(value);
                }

                @Override
                public void category(short value) throws SQLException {
                    out.int2(value);
                }
            };
            for (int r = 0; r < rows; r++) {
                out.startRow(2 + values);
                out.int8(source.ts(r));
                out.int8(source.availableAt(r));
                source.values(r, sink);
            }
            out.finish();
        }
    }

    private void batchRows(Connection c, String stage, String columns, int values, int rows,
            BulkWriter.RowSource source) throws SQLException {
        StringBuilder marks = new StringBuilder("?, ?");
        for (int v = 0; v < values; v++) {
            marks.append(", ?");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + stage + " (" + columns + ") VALUES ("
                + marks + ")")) {
            int[] next = new int[1];
            BulkWriter.RowSink sink = new BulkWriter.RowSink() {
                @Override
                public void number(double value) throws SQLException {
                    ps.setDouble(next[0]++, value);
                }

                @Override
                public void category(short value) throws SQLException {
                    ps.setShort(next[0]++, value);
                }
            };
            for (int r = 0; r < rows; r++) {
                ps.setLong(1, source.ts(r));
                ps.setLong(2, source.availableAt(r));
                next[0] = 3;
                source.values(r, sink);
                ps.addBatch();
                if ((r + 1) % batchSize == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
