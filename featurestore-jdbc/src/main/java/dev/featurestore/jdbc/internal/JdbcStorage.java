package dev.featurestore.jdbc.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.storage.internal.SnapshotRows;
import dev.featurestore.core.storage.internal.StorageChecks;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;

/**
 * The fact layer over JDBC, one implementation for every database: candles, builds, feature
 * reads and the snapshot audit log, each call one transaction on a pooled connection, values laid
 * out by a {@link RowLayout}. A dialect (SQLite, PostgreSQL) extends it with a few hooks: how a
 * transaction starts and ends, the candle upsert and the bulk path of feature rows, the locks that
 * serialize writers of one series, which text it can store, and what a failure does to the pool.
 * Thread-safe. Not public API: open it through the providers.
 *
 * <p>Shared rules: unknown options are refused when opening ({@link #checkOptions}); every call
 * after {@link #close()} fails with {@link IllegalStateException}; a build is recorded with its
 * record's own {@code finishedAt} (a failed write with the time it failed); builds are listed in
 * the order they were recorded ({@code build_seq}); a stream's writes keep one record, extended in
 * place.
 */
public abstract class JdbcStorage implements FeatureStorage {
    private final String description;
    private final Pool pool;
    private final RowLayout layout;
    private volatile boolean closed;

    /** How a call uses its connection. */
    private enum Mode {
        /** Auto-commit reads: one statement, or statements over rows that never change once written. */
        READ,
        /** Reads in one read transaction (one snapshot; PostgreSQL streams large results only in one). */
        READ_TRANSACTION,
        /** One write transaction. */
        WRITE
    }

    /**
     * A storage over an open, migrated pool.
     *
     * @param description names the database in messages, e.g. {@code SQLite database jdbc:sqlite:x.db}
     * @param pool the pool, closed by {@link #close()}
     * @param vendor the database, for the DDL of the feature tables
     */
    protected JdbcStorage(String description, Pool pool, Migrations.Vendor vendor) {
        this.description = Objects.requireNonNull(description, "description");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.layout = new TypedRowLayout(Objects.requireNonNull(vendor, "vendor"));
    }

    /**
     * Refuses options the storage does not know, as the file storages do.
     *
     * @param options the options given
     * @param known the options the storage knows
     * @param storageName the storage's name in the message, e.g. {@code SQLite}
     * @throws IllegalArgumentException naming the first unknown option and the known ones
     */
    public static void checkOptions(Map<String, String> options, Set<String> known, String storageName) {
        for (String key : new TreeSet<>(options.keySet())) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "' of a " + storageName
                        + " storage; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /**
     * The pool, for a dialect's diagnostics and recovery.
     *
     * @return the pool
     */
    protected final Pool pool() {
        return pool;
    }

    /**
     * The database as messages name it.
     *
     * @return the description given to the constructor
     */
    protected final String description() {
        return description;
    }

    // ---------------------------------------------------------------- dialect hooks

    /**
     * Starts a transaction on {@code c}.
     *
     * @param c a connection in auto-commit mode
     * @param write whether the transaction writes (SQLite takes the write lock at once)
     * @throws SQLException when the database refuses
     */
    protected abstract void begin(Connection c, boolean write) throws SQLException;

    /**
     * Commits the transaction {@link #begin} started.
     *
     * @param c the connection
     * @throws SQLException when the commit fails
     */
    protected abstract void commit(Connection c) throws SQLException;

    /**
     * Rolls back the transaction {@link #begin} started.
     *
     * @param c the connection
     * @throws SQLException when the rollback fails (the connection is then evicted)
     */
    protected abstract void rollback(Connection c) throws SQLException;

    /**
     * Inserts or replaces the candles of a series and counts what changed, inside a write
     * transaction (the dialect's upsert).
     *
     * @param c the connection, inside the transaction
     * @param series the candles, in ts order, at least one
     * @param timeframe their timeframe
     * @param what the call's description, as its errors name it
     * @return inserted, replaced and unchanged rows
     * @throws SQLException when the database fails
     */
    protected abstract UpsertResult mergeCandles(Connection c, CandleSeries series, Timeframe timeframe, String what)
            throws SQLException;

    /**
     * The dialect's bulk path for the feature rows of one build.
     *
     * @param what the call's description, as its errors name it
     * @return the writer, used inside the build's transaction
     */
    protected abstract BulkWriter bulkWriter(String what);

    /**
     * Serializes the writers of one (feature set, timeframe, secid) until the transaction ends;
     * nothing by default (a dialect whose write transactions exclude each other needs nothing).
     *
     * @param c the connection, inside the build's transaction
     * @param record the build
     * @throws SQLException when the lock cannot be taken
     */
    protected void lockSeries(Connection c, BuildRecord record) throws SQLException {
    }

    /**
     * Serializes the recorders of the given snapshot paths until the transaction ends; nothing by
     * default.
     *
     * @param c the connection, inside the transaction
     * @param paths the snapshot paths, sorted
     * @throws SQLException when a lock cannot be taken
     */
    protected void lockSnapshotPaths(Connection c, SortedSet<String> paths) throws SQLException {
    }

    /**
     * Refuses text the database cannot store; accepts everything by default.
     *
     * @param field what the text is, for the message (e.g. {@code secid})
     * @param value the text
     * @throws IllegalArgumentException when the database cannot store {@code value}
     */
    protected void checkText(String field, String value) {
        Objects.requireNonNull(value, field);
    }

    /**
     * Whether the database can store {@code value}; true by default.
     *
     * @param value the text
     * @return false when no stored row can hold it
     */
    protected boolean storesText(String value) {
        return true;
    }

    /**
     * Told of every failed call before its error is thrown, on the calling thread; nothing by
     * default (PostgreSQL discards the pool's idle connections when the server is gone).
     *
     * @param e the failure
     */
    protected void failed(SQLException e) {
    }

    /**
     * Told when a write transaction has run every statement, before its commit; nothing by default.
     *
     * @param what the call's description
     */
    protected void beforeCommit(String what) {
    }

    // ---------------------------------------------------------------- candles

    @Override
    public UpsertResult upsertCandles(CandleSeries series) {
        Objects.requireNonNull(series, "series");
        Timeframe tf = series.timeframe().orElseThrow(() -> new IllegalArgumentException("series '" + series.secid()
                + "' has no timeframe; candles are stored keyed by (secid, timeframe, ts)"));
        checkText("secid", series.secid());
        if (series.size() == 0) {
            return new UpsertResult(0, 0, 0);
        }
        String what = "upsert " + series.size() + " candles of secid '" + series.secid() + "', timeframe " + tf;
        return run(what, Mode.WRITE, c -> mergeCandles(c, series, tf, what));
    }

    @Override
    public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        checkText("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return run("read candles of secid '" + secid + "', timeframe " + timeframe, Mode.READ_TRANSACTION, c -> {
            if (fromTs >= toTs) {
                return CandleSeries.builder(secid).timeframe(timeframe).build();
            }
            return FactLayerSql.readCandles(c, secid, timeframe, fromTs, toTs);
        });
    }

    @Override
    public OptionalLong firstCandleTs(String secid, Timeframe timeframe) {
        checkText("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return run("read the first candle of secid '" + secid + "', timeframe " + timeframe, Mode.READ,
                c -> FactLayerSql.firstCandleTs(c, secid, timeframe));
    }

    @Override
    public List<String> secids() {
        return run("list the secids of the stored candles", Mode.READ, FactLayerSql::candleSecids);
    }

    @Override
    public List<Timeframe> candleTimeframes(String secid) {
        checkText("secid", secid);
        return run("list the candle timeframes of secid '" + secid + "'", Mode.READ,
                c -> FactLayerSql.candleTimeframes(c, secid));
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
        StorageChecks.checkBuild(record, frame);
        write(record, frame, availableAt, listener, "write the build of", false, null);
    }

    /**
     * Rows of a stream in one write transaction: the rows as a build of their range writes them,
     * the stream's record extended in place ({@code feature_windows}, the row of the series' highest
     * {@code build_seq}) or added, and the checkpoint ({@code stream_states}).
     */
    @Override
    public void writeStreamRows(BuildRecord record, FeatureFrame rows, LongUnaryOperator availableAt,
            StreamCheckpoint checkpoint) {
        Objects.requireNonNull(availableAt, "availableAt");
        StorageChecks.checkStreamRows(record, rows, checkpoint);
        write(record, rows, availableAt, BuildListener.NONE, "write stream rows of", true, checkpoint);
    }

    /**
     * The write transaction of a build or of a stream's rows; a failure is recorded as a failed
     * build before it is thrown.
     */
    private void write(BuildRecord record, FeatureFrame frame, LongUnaryOperator availableAt, BuildListener listener,
            String verb, boolean stream, StreamCheckpoint checkpoint) {
        checkText("feature set", record.featureSet());
        checkText("secid", record.secid());
        for (String f : frame.featureNames()) {
            checkText("feature name", f);
        }
        String what = verb + " feature set '" + record.featureSet() + "', secid '" + record.secid() + "', timeframe "
                + record.timeframe();
        try {
            run(what, Mode.WRITE, c -> {
                lockSeries(c, record);
                SetColumnsLayout columns = layout.prepare(c, record.featureSet(), frame.featureNames(),
                        frame.kinds());
                layout.write(c, columns, record, frame, availableAt, listener, bulkWriter(what));
                if (stream) {
                    FactLayerSql.extendOrInsertBuild(c, record);
                } else {
                    FactLayerSql.insertBuild(c, record);
                }
                if (checkpoint != null) {
                    FactLayerSql.saveCheckpoint(c, checkpoint);
                }
                return null;
            });
        } catch (RuntimeException e) {
            recordFailure(record, e);
            throw e;
        }
    }

    /** True: checkpoints are the table {@code stream_states}, one row per series. */
    @Override
    public boolean keepsStreamCheckpoints() {
        return true;
    }

    @Override
    public void saveStreamCheckpoint(StreamCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        checkText("feature set", checkpoint.featureSet());
        checkText("secid", checkpoint.secid());
        run("save the stream checkpoint of feature set '" + checkpoint.featureSet() + "', secid '"
                + checkpoint.secid() + "', timeframe " + checkpoint.timeframe(), Mode.WRITE, c -> {
                    FactLayerSql.saveCheckpoint(c, checkpoint);
                    return null;
                });
    }

    @Override
    public Optional<StreamCheckpoint> streamCheckpoint(String featureSet, Timeframe timeframe, String secid) {
        checkText("feature set", featureSet);
        checkText("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return run("read the stream checkpoint of feature set '" + featureSet + "', secid '" + secid
                + "', timeframe " + timeframe, Mode.READ, c -> FactLayerSql.checkpoint(c, featureSet, timeframe, secid));
    }

    /**
     * Records a build whose write failed as FAILED at the time of the failure (no rows), in a
     * transaction of its own; a failure to record it is attached to the original one.
     */
    private void recordFailure(BuildRecord record, RuntimeException failure) {
        if (closed) {
            return;
        }
        try {
            run("record the failed build of feature set '" + record.featureSet() + "', secid '" + record.secid()
                    + "'", Mode.WRITE, c -> {
                        FactLayerSql.insertBuild(c, record.failed(Instant.now()));
                        return null;
                    });
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public FeatureFrame readFeatures(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long fromTs, long toTs) {
        checkText("feature set", featureSet);
        checkText("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return run("read features of set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe,
                Mode.READ_TRANSACTION, c -> layout.read(c, featureSet, features, secid, timeframe, fromTs, toTs));
    }

    @Override
    public FeatureWindow readWindow(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long lastTs, int size) {
        checkText("feature set", featureSet);
        checkText("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        if (size < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + size);
        }
        return run("read a window of " + size + " rows of feature set '" + featureSet + "', secid '" + secid
                + "', timeframe " + timeframe, Mode.READ,
                c -> layout.window(c, featureSet, features, secid, timeframe, lastTs, size));
    }

    /** The recorded builds, in the order they were recorded. */
    @Override
    public List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        checkText("feature set", featureSet);
        checkText("secid", secid);
        Objects.requireNonNull(timeframe, "timeframe");
        return run("read the builds of set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe,
                Mode.READ, c -> FactLayerSql.builds(c, featureSet, timeframe, secid));
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
            checkText("secid", r.secid());
            checkText("feature set", r.featureSet());
            checkText("snapshot path", r.path());
            checkText("snapshot format", r.format());
            checkText("library version", r.libraryVersion());
        }
        SortedSet<String> paths = new TreeSet<>();
        records.forEach(r -> paths.add(r.path()));
        run("record " + records.size() + " snapshot audit rows of " + records.get(0).path(), Mode.WRITE, c -> {
            // Recorders of the same paths take turns until commit, so that of two exports of the
            // same content at once only the first adds rows (see SnapshotLogSql.insert).
            lockSnapshotPaths(c, paths);
            SnapshotLogSql.insert(c, records);
            return null;
        });
    }

    @Override
    public List<SnapshotRecord> snapshots(SnapshotQuery query) {
        Objects.requireNonNull(query, "query");
        for (String text : new String[] {query.featureSet(), query.secid(), query.sha256()}) {
            if (text != null && !storesText(text)) {
                return List.of(); // text that is never stored matches nothing
            }
        }
        return run("find snapshot audit rows", Mode.READ, c -> SnapshotLogSql.select(c, query));
    }

    // ---------------------------------------------------------------- plumbing

    /** Work on a connection that may throw SQLException. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String what, Mode mode, SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("the " + description + " is closed");
        }
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            throw failure(what, e);
        }
        try {
            if (mode == Mode.READ) {
                return work.run(c);
            }
            begin(c, mode == Mode.WRITE);
            T result;
            try {
                result = work.run(c);
                if (mode == Mode.WRITE) {
                    beforeCommit(what);
                }
                commit(c);
            } catch (SQLException | RuntimeException | Error e) {
                rollbackAfter(c, e);
                throw e;
            }
            return result;
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                // the pool has already dropped it
            }
        }
    }

    private StorageException failure(String what, SQLException e) {
        failed(e);
        return new StorageException("cannot " + what + " in " + description + ": " + e.getMessage(), e.getSQLState(),
                e);
    }

    private void rollbackAfter(Connection c, Throwable failure) {
        try {
            rollback(c);
        } catch (SQLException e) {
            failure.addSuppressed(e);
            // A connection whose transaction state is unknown must not be reused.
            pool.evictConnection(c);
        }
    }

    /** Closes the pool; every later call fails with {@link IllegalStateException}. Idempotent. */
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
