package dev.featurestore.jdbc.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.StreamCheckpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The SQL of the fact layer that SQLite and PostgreSQL share: reading candles, recording and
 * listing builds ({@code feature_windows}), stream checkpoints ({@code stream_states}), and reading a feature set's stored columns
 * ({@code feature_set_columns}). Every value is a bound parameter; the caller supplies the
 * connection and its transaction. Not public API.
 */
public final class FactLayerSql {

    private FactLayerSql() {
    }

    /**
     * The candles of a series with {@code fromTs <= ts < toTs}, in time order.
     *
     * @param c the connection
     * @param secid the secid
     * @param timeframe the candles' timeframe
     * @param fromTs the first open time (inclusive)
     * @param toTs the end of the range (exclusive)
     * @return the candles
     * @throws SQLException when the query fails
     */
    public static CandleSeries readCandles(Connection c, String secid, Timeframe timeframe, long fromTs, long toTs)
            throws SQLException {
        CandleSeries.Builder b = CandleSeries.builder(secid).timeframe(timeframe);
        try (PreparedStatement ps = c.prepareStatement("SELECT ts, open, high, low, close, volume FROM candles "
                + "WHERE secid = ? AND timeframe = ? AND ts >= ? AND ts < ? ORDER BY ts")) {
            ps.setString(1, secid);
            ps.setString(2, timeframe.toString());
            ps.setLong(3, fromTs);
            ps.setLong(4, toTs);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    b.add(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                            rs.getDouble(6));
                }
            }
        }
        return b.build();
    }

    /**
     * The secids with stored candles, sorted: one index seek per secid (a loose index scan that
     * SQLite and PostgreSQL both run), not a scan of every candle.
     *
     * @param c the connection
     * @return the secids
     * @throws SQLException when the query fails
     */
    public static List<String> candleSecids(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE s(secid) AS (SELECT MIN(secid) FROM candles "
                + "UNION ALL SELECT (SELECT MIN(secid) FROM candles WHERE secid > s.secid) FROM s "
                + "WHERE s.secid IS NOT NULL) SELECT secid FROM s WHERE secid IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * The time of the first stored candle of a series.
     *
     * @param c the connection
     * @param secid the secid
     * @param timeframe the candles' timeframe
     * @return the open time, empty when no candle is stored
     * @throws SQLException when the query fails
     */
    public static OptionalLong firstCandleTs(Connection c, String secid, Timeframe timeframe) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MIN(ts) FROM candles WHERE secid = ? AND timeframe = ?")) {
            ps.setString(1, secid);
            ps.setString(2, timeframe.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        }
    }

    /**
     * Records a build in {@code feature_windows} under a new build id, every field as given (a
     * build that did not complete records no rows); the database numbers it with the next
     * {@code build_seq}, which orders {@link #builds}.
     *
     * @param c the connection, inside the caller's write transaction
     * @param record the build to record; its {@code finishedAt} may be null
     * @throws SQLException when the insert fails
     */
    public static void insertBuild(Connection c, BuildRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_windows (build_id, feature_set, timeframe, "
                + "secid, from_ts, to_ts, history_start_ts, rows_count, window_size, started_at, finished_at, status, "
                + "fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, record.featureSet());
            ps.setString(3, record.timeframe().toString());
            ps.setString(4, record.secid());
            ps.setLong(5, record.fromTs());
            ps.setLong(6, record.toTs());
            ps.setLong(7, record.historyStartTs());
            ps.setLong(8, record.status() == BuildRecord.Status.COMPLETED ? record.rows() : 0);
            ps.setInt(9, record.windowSize());
            ps.setLong(10, record.startedAt().toEpochMilli());
            if (record.finishedAt() == null) {
                ps.setNull(11, Types.BIGINT);
            } else {
                ps.setLong(11, record.finishedAt().toEpochMilli());
            }
            ps.setString(12, record.status().name());
            if (record.fingerprint() == null) {
                ps.setNull(13, Types.VARCHAR);
            } else {
                ps.setString(13, record.fingerprint());
            }
            ps.executeUpdate();
        }
    }

    /**
     * Records a stream's build: when {@code record} {@linkplain BuildRecord#continues continues}
     * the series' newest recorded build, extends that one (its range end and finish time become
     * {@code record}'s, its row count grows by {@code record}'s); else inserts it as {@link
     * #insertBuild} does.
     *
     * @param c the connection, inside the caller's write transaction
     * @param record the stream's build so far
     * @throws SQLException when a statement fails
     */
    public static void extendOrInsertBuild(Connection c, BuildRecord record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT build_seq, from_ts, to_ts, history_start_ts, "
                + "rows_count, window_size, started_at, finished_at, status, fingerprint FROM feature_windows "
                + "WHERE feature_set = ? AND timeframe = ? AND secid = ? ORDER BY build_seq DESC LIMIT 1")) {
            ps.setString(1, record.featureSet());
            ps.setString(2, record.timeframe().toString());
            ps.setString(3, record.secid());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long seq = rs.getLong(1);
                    BuildRecord last = build(rs, 2, record.featureSet(), record.timeframe(), record.secid());
                    if (record.continues(last)) {
                        try (PreparedStatement up = c.prepareStatement("UPDATE feature_windows SET to_ts = ?, "
                                + "rows_count = rows_count + ?, finished_at = ? WHERE build_seq = ?")) {
                            up.setLong(1, record.toTs());
                            up.setLong(2, record.rows());
                            if (record.finishedAt() == null) {
                                up.setNull(3, Types.BIGINT);
                            } else {
                                up.setLong(3, record.finishedAt().toEpochMilli());
                            }
                            up.setLong(4, seq);
                            up.executeUpdate();
                        }
                        return;
                    }
                }
            }
        }
        insertBuild(c, record);
    }

    /** The build record in the columns from {@code first} on: from_ts .. fingerprint. */
    private static BuildRecord build(ResultSet rs, int first, String featureSet, Timeframe timeframe, String secid)
            throws SQLException {
        long finished = rs.getLong(first + 6);
        Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new BuildRecord(featureSet, timeframe, secid, rs.getLong(first), rs.getLong(first + 1),
                rs.getLong(first + 2), rs.getLong(first + 3), rs.getInt(first + 4),
                Instant.ofEpochMilli(rs.getLong(first + 5)), finishedAt,
                BuildRecord.Status.valueOf(rs.getString(first + 7)), rs.getString(first + 8));
    }

    /**
     * Saves a stream checkpoint in {@code stream_states}, replacing the series' row.
     *
     * @param c the connection, inside the caller's write transaction
     * @param cp the checkpoint
     * @throws SQLException when the statement fails
     */
    public static void saveCheckpoint(Connection c, StreamCheckpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stream_states (feature_set, timeframe, secid, "
                + "last_candle_ts, fingerprint, state, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (feature_set, timeframe, secid) DO UPDATE SET last_candle_ts = excluded.last_candle_ts, "
                + "fingerprint = excluded.fingerprint, state = excluded.state, saved_at = excluded.saved_at")) {
            ps.setString(1, cp.featureSet());
            ps.setString(2, cp.timeframe().toString());
            ps.setString(3, cp.secid());
            ps.setLong(4, cp.lastCandleTs());
            ps.setString(5, cp.fingerprint());
            ps.setBytes(6, cp.state());
            ps.setLong(7, cp.savedAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    /**
     * The stream checkpoint of a series.
     *
     * @param c the connection
     * @param featureSet the feature set
     * @param timeframe the timeframe
     * @param secid the secid
     * @return the checkpoint, empty when none is saved
     * @throws SQLException when the query fails
     */
    public static Optional<StreamCheckpoint> checkpoint(Connection c, String featureSet, Timeframe timeframe,
            String secid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_candle_ts, fingerprint, state, saved_at "
                + "FROM stream_states WHERE feature_set = ? AND timeframe = ? AND secid = ?")) {
            ps.setString(1, featureSet);
            ps.setString(2, timeframe.toString());
            ps.setString(3, secid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StreamCheckpoint(featureSet, timeframe, secid, rs.getLong(1), rs.getString(2),
                        rs.getBytes(3), Instant.ofEpochMilli(rs.getLong(4))));
            }
        }
    }

    /**
     * The builds recorded for a series in the order they were recorded ({@code build_seq}), as
     * an unmodifiable list.
     *
     * @param c the connection
     * @param featureSet the feature set
     * @param timeframe the timeframe
     * @param secid the secid
     * @return the builds, oldest first
     * @throws SQLException when the query fails
     */
    public static List<BuildRecord> builds(Connection c, String featureSet, Timeframe timeframe, String secid)
            throws SQLException {
        List<BuildRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT from_ts, to_ts, history_start_ts, rows_count, "
                + "window_size, started_at, finished_at, status, fingerprint FROM feature_windows WHERE feature_set = ? "
                + "AND timeframe = ? AND secid = ? ORDER BY build_seq")) {
            ps.setString(1, featureSet);
            ps.setString(2, timeframe.toString());
            ps.setString(3, secid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(build(rs, 1, featureSet, timeframe, secid));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The timeframes at which candles of {@code secid} are stored, finest first: one index seek
     * per stored timeframe rather than a scan of every candle of the secid.
     *
     * @param c the connection
     * @param secid the secid
     * @return the timeframes, sorted
     * @throws SQLException when the query fails
     */
    public static List<Timeframe> candleTimeframes(Connection c, String secid) throws SQLException {
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
    }

    /**
     * The stored columns of a feature set, in position order.
     *
     * @param c the connection
     * @param featureSet the feature set
     * @return the columns, or null when none are stored
     * @throws SQLException when the query fails
     */
    public static SetColumnsLayout readColumns(Connection c, String featureSet) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT feature, kind, slot FROM feature_set_columns "
                + "WHERE feature_set = ? ORDER BY position")) {
            ps.setString(1, featureSet);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    kinds.add(rs.getString(2));
                    slots.add(rs.getInt(3));
                }
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        return SetColumnsLayout.stored(featureSet, names, kinds, slots.stream().mapToInt(Integer::intValue).toArray());
    }
}
