package dev.featurestore.jdbc.postgres;

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
import dev.featurestore.jdbc.internal.FactLayerSql;
import dev.featurestore.jdbc.internal.Migrations;
import dev.featurestore.jdbc.internal.Pool;
import dev.featurestore.jdbc.internal.Pools;
import dev.featurestore.jdbc.internal.SetColumnsLayout;
import dev.featurestore.jdbc.internal.SnapshotLogSql;
import dev.featurestore.jdbc.internal.ValueCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongUnaryOperator;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The fact layer in PostgreSQL: the shared schema (migrated by Flyway), a HikariCP pool, and bulk
 * writes through {@code COPY} into a temporary staging table followed by one merge statement, in
 * one transaction per call. Opened by {@link PostgresStorageProvider}; thread-safe.
 *
 * <p>Feature values are stored one wide row per candle (see the migration): {@code vals} holds
 * the numeric features as little-endian doubles in slot order, the categories as little-endian
 * 16-bit integers, so that a window of W rows is W index entries and W small rows.
 */
final class PostgresStorage implements FeatureStorage {
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
        /** Every statement of a transaction has run; the commit is next. */
        BEFORE_COMMIT
    }

    /** Told on the calling thread when a call reaches a {@link Step}. */
    @FunctionalInterface
    interface StepListener {
        /** {@code operation} is the call's description, as its errors name it ("write the build of ..."). */
        void reached(Step step, String operation);
    }

    private static final String TEMP_BUFFERS = "64MB";

    private final String description;
    private final Pool pool;
    private final WriteMethod writeMethod;
    private final int batchSize;
    private final Map<String, SetColumnsLayout> columnsCache = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile StepListener steps = (step, operation) -> {
    };

    PostgresStorage(StorageConfig config) {
        this.description = "PostgreSQL storage " + PostgresStorageProvider.redact(config.url());
        Map<String, String> options = config.options();
        this.writeMethod = parseWriteMethod(options.getOrDefault(PostgresStorageProvider.WRITE_METHOD, "copy"));
        this.batchSize = Pools.intOption(options, PostgresStorageProvider.BATCH_SIZE, 1000, 1);
        int poolSize = Pools.intOption(options, PostgresStorageProvider.POOL_SIZE, 8, 1);
        int connectionTimeout = Pools.intOption(options, PostgresStorageProvider.CONNECTION_TIMEOUT,
                Pools.DEFAULT_CONNECTION_TIMEOUT_MS, Pools.MIN_CONNECTION_TIMEOUT_MS);
        // Staging tables live in temp_buffers (8MB by default): room for a large build's rows.
        this.pool = Pools.open("featurestore-postgres", config.url(), config.user(), config.password(), poolSize,
                Map.of("options", "-c temp_buffers=" + TEMP_BUFFERS), connectionTimeout, description);
        try {
            Migrations.migrate(pool, Migrations.Vendor.POSTGRESQL, description);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
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
        return pool.idleConnections();
    }

    /** For tests: the callers waiting for a pooled connection. */
    int callersWaitingForConnection() {
        return pool.threadsAwaitingConnection();
    }

    /** The write method in use (for tests and benchmarks). */
    WriteMethod writeMethod() {
        return writeMethod;
    }

    // ---------------------------------------------------------------- candles

    @Override
    public UpsertResult upsertCandles(CandleSeries series) {
        Objects.requireNonNull(series, "series");
        Timeframe tf = series.timeframe().orElseThrow(() -> new IllegalArgumentException("series '" + series.secid()
                + "' has no timeframe; candles are stored keyed by (secid, timeframe, ts)"));
        PostgresText.check("secid", series.secid());
        if (series.size() == 0) {
            return new UpsertResult(0, 0, 0);
        }
        String what = "upsert " + series.size() + " candles of secid '" + series.secid() + "', timeframe " + tf;
        return inTransaction(what,
                c -> {
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
                });
    }

    /** Tells the step listener of each chunk a COPY of {@code what} sends. */
    private Runnable chunkSent(String what) {
        return () -> steps.reached(Step.COPY_CHUNK_SENT, what);
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

    @Override
    public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        PostgresText.check("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return inTransaction("read candles of secid '" + secid + "', timeframe " + timeframe, c -> {
            if (fromTs >= toTs) {
                return CandleSeries.builder(secid).timeframe(timeframe).build();
            }
            return FactLayerSql.readCandles(c, secid, timeframe, fromTs, toTs);
        });
    }

    @Override
    public OptionalLong firstCandleTs(String secid, Timeframe timeframe) {
        PostgresText.check("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return autoCommitted("first candle of secid '" + secid + "', timeframe " + timeframe,
                c -> FactLayerSql.firstCandleTs(c, secid, timeframe));
    }

    @Override
    public List<String> secids() {
        return autoCommitted("list the secids of the stored candles", FactLayerSql::candleSecids);
    }

    @Override
    public List<Timeframe> candleTimeframes(String secid) {
        PostgresText.check("secid", secid);
        return autoCommitted("candle timeframes of secid '" + secid + "'", c -> {
            TreeSet<Timeframe> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT timeframe FROM candles WHERE secid = ?")) {
                ps.setString(1, secid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Timeframe.parse(rs.getString(1)));
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    // ---------------------------------------------------------------- builds

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
        PostgresText.check("feature set", record.featureSet());
        PostgresText.check("secid", record.secid());
        for (String f : frame.featureNames()) {
            PostgresText.check("feature name", f);
        }
        StorageChecks.checkBuild(record, frame);
        Timeframe tf = record.timeframe();
        String what = "write the build of feature set '" + record.featureSet() + "', secid '" + record.secid()
                + "', timeframe " + tf;
        try {
            inTransaction(what, c -> {
                lockSeries(c, record);
                SetColumnsLayout cols = setColumns(c, record.featureSet(), frame.featureNames(), frame.kinds());
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS fs_stage_features (ts BIGINT NOT NULL,"
                            + " available_at BIGINT NOT NULL, num BYTEA NOT NULL, cat BYTEA) ON COMMIT DELETE ROWS");
                }
                if (writeMethod == WriteMethod.COPY) {
                    copyFeatures(c, cols, frame, availableAt, listener, chunkSent(what));
                } else {
                    batchFeatures(c, cols, frame, availableAt, listener);
                }
                mergeFeatures(c, "feature_numeric", "num", record);
                if (cols.categoricalCount() > 0) {
                    mergeFeatures(c, "feature_categorical", "cat", record);
                }
                insertBuild(c, record, record.status());
                return null;
            });
        } catch (RuntimeException e) {
            recordFailure(record, e);
            throw e;
        }
    }

    private static void insertBuild(Connection c, BuildRecord record, BuildRecord.Status status)
            throws SQLException {
        Instant finished = status == BuildRecord.Status.FAILED || record.finishedAt() == null ? Instant.now()
                : record.finishedAt();
        FactLayerSql.insertBuild(c, record, status, finished);
    }

    /**
     * Records a build whose write failed as FAILED (no rows), in a transaction of its own, as the
     * SQLite storage does; a failure to record it is attached to the original one.
     */
    private void recordFailure(BuildRecord record, RuntimeException failure) {
        if (closed) {
            return;
        }
        try {
            inTransaction("record the failed build of feature set '" + record.featureSet() + "', secid '"
                    + record.secid() + "'", c -> {
                        insertBuild(c, record, BuildRecord.Status.FAILED);
                        return null;
                    });
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void copyFeatures(Connection c, SetColumnsLayout cols, FeatureFrame frame,
            LongUnaryOperator availableAt, BuildListener listener, Runnable chunkSent) throws SQLException {
        CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
        PostgresRowCodec codec = new PostgresRowCodec(cols, frame);
        try (PostgresBinaryCopy out = new PostgresBinaryCopy(
                cm.copyIn("COPY fs_stage_features (ts, available_at, num, cat) FROM STDIN (FORMAT binary)"),
                chunkSent)) {
            for (int r = 0; r < frame.size(); r++) {
                long ts = frame.ts(r);
                out.startRow(4);
                out.int8(ts);
                out.int8(availableAt.applyAsLong(ts));
                codec.encodeNumeric(r);
                out.bytes(codec.numeric(), 0, -1);
                if (cols.categoricalCount() > 0) {
                    codec.encodeCategorical(r);
                    out.bytes(codec.categorical(), 0, -1);
                } else {
                    out.nullField();
                }
                listener.rowStaged(r);
            }
            out.finish();
        }
    }

    private void batchFeatures(Connection c, SetColumnsLayout cols, FeatureFrame frame,
            LongUnaryOperator availableAt, BuildListener listener) throws SQLException {
        PostgresRowCodec codec = new PostgresRowCodec(cols, frame);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fs_stage_features (ts, available_at, num, cat) VALUES (?, ?, ?, ?)")) {
            for (int r = 0; r < frame.size(); r++) {
                long ts = frame.ts(r);
                ps.setLong(1, ts);
                ps.setLong(2, availableAt.applyAsLong(ts));
                codec.encodeNumeric(r);
                ps.setBytes(3, codec.numeric().clone());
                if (cols.categoricalCount() > 0) {
                    codec.encodeCategorical(r);
                    ps.setBytes(4, codec.categorical().clone());
                } else {
                    ps.setNull(4, java.sql.Types.BINARY);
                }
                ps.addBatch();
                listener.rowStaged(r);
                if ((r + 1) % batchSize == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * Makes the stored rows of the build's range equal the staged ones, in two set-based
     * statements: rows of the range that differ from the staged row of their ts, or that the
     * build no longer has, are deleted; then the staged rows not stored are inserted (an
     * anti-join, about twice as fast as {@code INSERT ... ON CONFLICT DO UPDATE}, whose
     * speculative insertion costs a second index probe per row). Identical rows are left alone,
     * so a rebuild of the same range writes nothing. Safe because writes of one series are
     * serialized by {@link #lockSeries}.
     */
    private static void mergeFeatures(Connection c, String table, String column, BuildRecord record)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " f WHERE f.feature_set = ?"
                + " AND f.timeframe = ? AND f.secid = ? AND f.ts >= ? AND f.ts < ?"
                + " AND NOT EXISTS (SELECT 1 FROM fs_stage_features s WHERE s.ts = f.ts"
                + " AND s.available_at = f.available_at AND s." + column + " = f.vals)")) {
            ps.setString(1, record.featureSet());
            ps.setString(2, record.timeframe().toString());
            ps.setString(3, record.secid());
            ps.setLong(4, record.fromTs());
            ps.setLong(5, record.toTs());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (feature_set, timeframe, secid, ts, available_at, vals)"
                + " SELECT ?, ?, ?, s.ts, s.available_at, s." + column + " FROM fs_stage_features s"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " f WHERE f.feature_set = ? AND f.timeframe = ?"
                + " AND f.secid = ? AND f.ts = s.ts)")) {
            for (int base : new int[] {0, 3}) {
                ps.setString(base + 1, record.featureSet());
                ps.setString(base + 2, record.timeframe().toString());
                ps.setString(base + 3, record.secid());
            }
            ps.executeUpdate();
        }
    }

    /**
     * Serializes writes of one (feature set, timeframe, secid) until the transaction ends, so
     * that the delete-then-insert merge never races another build of the same series; builds of
     * other series (another set, another secid) run in parallel.
     */
    private static void lockSeries(Connection c, BuildRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "featurestore\u001f" + record.featureSet() + "\u001f" + record.timeframe() + "\u001f"
                    + record.secid());
            ps.executeQuery().close();
        }
    }

    /**
     * The stored columns of a feature set, recorded by its first build; a later build must have
     * the same features in the same order and kinds.
     */
    private SetColumnsLayout setColumns(Connection c, String featureSet, List<String> names, List<FeatureKind> kinds)
            throws SQLException {
        SetColumnsLayout known = columnsCache.get(featureSet);
        if (known == null) {
            known = loadColumns(c, featureSet);
            if (known != null) {
                remember(featureSet, known);
            } else {
                SetColumnsLayout fresh = SetColumnsLayout.of(featureSet, names, kinds);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_set_columns"
                        + " (feature_set, position, feature, kind, slot) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING")) {
                    for (int i = 0; i < names.size(); i++) {
                        ps.setString(1, featureSet);
                        ps.setInt(2, i);
                        ps.setString(3, names.get(i));
                        ps.setString(4, SetColumnsLayout.kindName(kinds.get(i)));
                        ps.setInt(5, fresh.slot(i));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                // A concurrent first build of the same set may have won: read back what is stored.
                known = loadColumns(c, featureSet);
            }
        }
        if (!known.matches(names, kinds)) {
            throw known.mismatch(names, kinds);
        }
        return known;
    }

    private SetColumnsLayout cachedColumns(Connection c, String featureSet) throws SQLException {
        SetColumnsLayout known = columnsCache.get(featureSet);
        return known != null ? known : loadColumns(c, featureSet);
    }

    /**
     * Reads a set's stored columns; null when none are stored. Callers cache only what they read
     * before writing, so an insert that is rolled back is never cached.
     */
    private SetColumnsLayout loadColumns(Connection c, String featureSet) throws SQLException {
        return FactLayerSql.readColumns(c, featureSet);
    }

    /** Whether any of the features at {@code positions} is categorical. */
    private static boolean anyCategorical(SetColumnsLayout cols, int[] positions) {
        for (int p : positions) {
            if (cols.kinds().get(p) == FeatureKind.CATEGORICAL) {
                return true;
            }
        }
        return false;
    }

    private static List<FeatureKind> kindsOf(SetColumnsLayout cols, int[] positions) {
        List<FeatureKind> out = new ArrayList<>(positions.length);
        for (int p : positions) {
            out.add(cols.kinds().get(p));
        }
        return out;
    }

    /** The value of the feature at {@code position} from a row's blobs ({@code cat} may be null: NaN). */
    private static double decode(SetColumnsLayout cols, int position, byte[] num, byte[] cat) {
        if (cols.kinds().get(position) == FeatureKind.NUMERIC) {
            return ValueCodec.getDouble(num, cols.slot(position));
        }
        return cat == null ? Double.NaN : ValueCodec.getCategory(cat, cols.slot(position));
    }

    // ---------------------------------------------------------------- reads

    @Override
    public FeatureFrame readFeatures(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long fromTs, long toTs) {
        PostgresText.check("feature set", featureSet);
        PostgresText.check("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        List<String> names = List.copyOf(features);
        return inTransaction("read features of set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe,
                c -> {
                    SetColumnsLayout cols = cachedColumns(c, featureSet);
                    if (cols == null) {
                        List<FeatureKind> numeric = new ArrayList<>();
                        names.forEach(n -> numeric.add(FeatureKind.NUMERIC));
                        return Columns.frame(secid, featureSet, timeframe, names, numeric, new long[0],
                                new double[names.size()][0], 0, 0);
                    }
                    remember(featureSet, cols);
                    int[] idx = cols.positions(names);
                    boolean needCat = anyCategorical(cols, idx);
                    String sql = needCat
                            // The range is given to both sides, so that each is an index range scan
                            // whatever the planner's statistics say.
                            ? "SELECT n.ts, n.vals, k.vals FROM feature_numeric n LEFT JOIN feature_categorical k"
                                    + " ON k.feature_set = ? AND k.timeframe = ? AND k.secid = ? AND k.ts >= ?"
                                    + " AND k.ts < ? AND k.ts = n.ts"
                                    + " WHERE n.feature_set = ? AND n.timeframe = ? AND n.secid = ? AND n.ts >= ?"
                                    + " AND n.ts < ? ORDER BY n.ts"
                            : "SELECT ts, vals FROM feature_numeric WHERE feature_set = ? AND timeframe = ?"
                                    + " AND secid = ? AND ts >= ? AND ts < ? ORDER BY ts";
                    long[] ts = new long[1024];
                    double[][] out = new double[idx.length][1024];
                    int n = 0;
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setFetchSize(10_000);
                        for (int base = 0; base < (needCat ? 10 : 5); base += 5) {
                            ps.setString(base + 1, featureSet);
                            ps.setString(base + 2, timeframe.toString());
                            ps.setString(base + 3, secid);
                            ps.setLong(base + 4, fromTs);
                            ps.setLong(base + 5, toTs);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                if (n == ts.length) {
                                    ts = java.util.Arrays.copyOf(ts, n * 2);
                                    for (int j = 0; j < out.length; j++) {
                                        out[j] = java.util.Arrays.copyOf(out[j], n * 2);
                                    }
                                }
                                ts[n] = rs.getLong(1);
                                byte[] num = rs.getBytes(2);
                                byte[] cat = needCat ? rs.getBytes(3) : null;
                                for (int j = 0; j < idx.length; j++) {
                                    out[j][n] = decode(cols, idx[j], num, cat);
                                }
                                n++;
                            }
                        }
                    }
                    return Columns.frame(secid, featureSet, timeframe, names, kindsOf(cols, idx), ts, out, 0, n);
                });
    }

    @Override
    public FeatureWindow readWindow(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long lastTs, int size) {
        PostgresText.check("feature set", featureSet);
        PostgresText.check("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        List<String> names = List.copyOf(features);
        String what = "feature set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe
                + ", opened by " + Instant.ofEpochMilli(lastTs);
        return autoCommitted("read a window of " + size + " rows of " + what, c -> {
            SetColumnsLayout cols = cachedColumns(c, featureSet);
            if (cols == null) {
                throw new InsufficientHistoryException(what, size, 0);
            }
            remember(featureSet, cols);
            int[] idx = cols.positions(names);
            boolean needCat = anyCategorical(cols, idx);
            String sql = needCat
                    // A scalar subquery per row: W primary-key lookups, a plan no statistics can spoil
                    // (a plain join may be planned as a hash join over the whole categorical table:
                    // 7 s per fetch on a fresh million-row table; a CTE restricted to the window's
                    // ts range measured 2.8 ms with a generic plan, the lookups 0.6 ms).
                    ? "SELECT n.ts, n.vals, (SELECT k.vals FROM feature_categorical k"
                            + " WHERE k.feature_set = n.feature_set AND k.timeframe = n.timeframe"
                            + " AND k.secid = n.secid AND k.ts = n.ts) FROM feature_numeric n"
                            + " WHERE n.feature_set = ? AND n.timeframe = ? AND n.secid = ? AND n.ts <= ?"
                            + " ORDER BY n.ts DESC LIMIT ?"
                    : "SELECT ts, vals FROM feature_numeric WHERE feature_set = ? AND timeframe = ? AND secid = ?"
                            + " AND ts <= ? ORDER BY ts DESC LIMIT ?";
            long[] ts = new long[size];
            double[] values = new double[size * idx.length];
            int got = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, featureSet);
                ps.setString(2, timeframe.toString());
                ps.setString(3, secid);
                ps.setLong(4, lastTs);
                ps.setInt(5, size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int r = size - 1 - got;
                        ts[r] = rs.getLong(1);
                        byte[] num = rs.getBytes(2);
                        byte[] cat = needCat ? rs.getBytes(3) : null;
                        for (int j = 0; j < idx.length; j++) {
                            values[r * idx.length + j] = decode(cols, idx[j], num, cat);
                        }
                        got++;
                    }
                }
            }
            if (got < size) {
                throw new InsufficientHistoryException(what, size, got);
            }
            return Columns.window(secid, featureSet, timeframe, names, ts, values);
        });
    }

    private void remember(String featureSet, SetColumnsLayout cols) {
        columnsCache.putIfAbsent(featureSet, cols);
    }

    @Override
    public List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        PostgresText.check("feature set", featureSet);
        PostgresText.check("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return autoCommitted("builds of set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe,
                c -> FactLayerSql.builds(c, featureSet, timeframe, secid, "started_at, finished_at"));
    }

    // ---------------------------------------------------------------- snapshot audit log

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
        for (SnapshotRecord r : records) {
            PostgresText.check("secid", r.secid());
            PostgresText.check("feature set", r.featureSet());
            PostgresText.check("snapshot path", r.path());
            PostgresText.check("snapshot format", r.format());
            PostgresText.check("library version", r.libraryVersion());
        }
        inTransaction("record " + records.size() + " snapshot audit rows of " + records.get(0).path(), c -> {
            // Recorders of the same paths take turns until commit, so that of two exports of the
            // same content at once only the first adds rows (see SnapshotLogSql.insert).
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                for (String path : new java.util.TreeSet<>(records.stream().map(SnapshotRecord::path).toList())) {
                    lock.setString(1, "train_data_snapshots " + path);
                    lock.execute();
                }
            }
            SnapshotLogSql.insert(c, records);
            return null;
        });
    }

    @Override
    public List<SnapshotRecord> snapshots(SnapshotQuery query) {
        Objects.requireNonNull(query, "query");
        for (String text : new String[] {query.featureSet(), query.secid(), query.sha256()}) {
            if (text != null && text.indexOf('\0') >= 0) {
                return List.of(); // text with NUL is never stored, so nothing matches
            }
        }
        return autoCommitted("find snapshot audit rows", c -> SnapshotLogSql.select(c, query));
    }

    // ---------------------------------------------------------------- plumbing

    /** Work done on one connection inside one transaction. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        return run(what, false, work);
    }

    /**
     * Runs reads whose result does not depend on seeing one snapshot across statements (one
     * statement, or statements over rows that never change once written) in auto-commit mode:
     * no BEGIN/COMMIT round trips.
     */
    private <T> T autoCommitted(String what, Work<T> work) {
        return run(what, true, work);
    }

    private <T> T run(String what, boolean autoCommit, Work<T> work) {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(autoCommit);
            if (autoCommit) {
                return work.run(c);
            }
            try {
                T result = work.run(c);
                steps.reached(Step.BEFORE_COMMIT, what);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            if (connectionLost(e)) {
                // The server dropped this connection (HikariCP discards it), so it has most likely
                // dropped the idle ones too (a restart): discard those now, rather than have the
                // next calls fail one by one on connections used too recently to be checked.
                pool.softEvictConnections();
            }
            throw new StorageException("cannot " + what + " in " + description + ": " + e.getMessage(),
                    e.getSQLState(), e);
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

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
