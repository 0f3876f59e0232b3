package dev.featurestore.jdbc.internal;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.DatasetInfo;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.storage.internal.SnapshotRows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of the snapshot audit log ({@code train_data_snapshots}), the same on SQLite and
 * PostgreSQL: every value is a bound parameter, never part of the statement text. The caller
 * runs {@link #insert} inside its own transaction. Not public API.
 */
public final class SnapshotLogSql {
    private static final String COLUMNS = "snapshot_id, secid, timeframe, feature_set, rows_count, path, format, "
            + "sha256, min_ts, max_ts, history_start, created_at, library_version, replaced_sha256, fingerprint, "
            + "split, split_from, split_to, label_definition, normalization_id, normalization_sha256, normalization, "
            + "dataset_fingerprint";

    private SnapshotLogSql() {
    }

    /**
     * Inserts the rows, keyed by {@link SnapshotRows#id}, except those {@link SnapshotRows#notYetRecorded}
     * leaves out (the same content recorded as newest at the path by an export of the same moment);
     * a row already recorded fails the batch. The caller's transaction must keep other writers of
     * the paths out between the check and the insert.
     */
    public static void insert(Connection c, List<SnapshotRecord> records) throws SQLException {
        SnapshotRows.checkBatch(records);
        List<SnapshotRecord> recorded = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM train_data_snapshots WHERE path = ?")) {
            for (String path : records.stream().map(SnapshotRecord::path).distinct().toList()) {
                ps.setString(1, path);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        recorded.add(record(rs));
                    }
                }
            }
        }
        Set<String> ids = new HashSet<>();
        for (SnapshotRecord r : recorded) {
            ids.add(SnapshotRows.id(r));
        }
        if (records.stream().noneMatch(r -> ids.contains(SnapshotRows.id(r)))) {
            records = SnapshotRows.notYetRecorded(records, recorded);
            if (records.isEmpty()) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO train_data_snapshots (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SnapshotRecord r : records) {
                ps.setString(1, SnapshotRows.id(r));
                ps.setString(2, r.secid());
                ps.setString(3, r.timeframe().toString());
                ps.setString(4, r.featureSet());
                ps.setLong(5, r.rowsCount());
                ps.setString(6, r.path());
                ps.setString(7, r.format());
                ps.setString(8, r.sha256());
                ps.setLong(9, r.minTs());
                ps.setLong(10, r.maxTs());
                ps.setLong(11, r.historyStartTs());
                ps.setLong(12, r.createdAt().toEpochMilli());
                ps.setString(13, r.libraryVersion());
                setNullable(ps, 14, r.replacedSha256());
                setNullable(ps, 15, r.fingerprint());
                DatasetInfo d = r.dataset();
                setNullable(ps, 16, d == null ? null : d.split());
                setNullableLong(ps, 17, d == null ? null : d.splitFromTs());
                setNullableLong(ps, 18, d == null ? null : d.splitToTs());
                setNullable(ps, 19, d == null ? null : d.labels());
                setNullable(ps, 20, d == null ? null : d.normalizationId());
                setNullable(ps, 21, d == null ? null : d.normalizationSha256());
                setNullable(ps, 22, d == null ? null : d.normalizationJson());
                setNullable(ps, 23, d == null ? null : d.datasetFingerprint());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The rows matching the query, oldest {@code created_at} first (then by path and secid). Set,
     * timeframe, secid and hash are filtered in SQL; the date, which is part of the path, here.
     */
    public static List<SnapshotRecord> select(Connection c, SnapshotQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM train_data_snapshots WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (q.featureSet() != null) {
            sql.append(" AND feature_set = ?");
            args.add(q.featureSet());
        }
        if (q.timeframe() != null) {
            sql.append(" AND timeframe = ?");
            args.add(q.timeframe().toString());
        }
        if (q.secid() != null) {
            sql.append(" AND secid = ?");
            args.add(q.secid());
        }
        if (q.sha256() != null) {
            sql.append(" AND sha256 = ?");
            args.add(q.sha256());
        }
        sql.append(" ORDER BY created_at, path, secid, snapshot_id");
        List<SnapshotRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SnapshotRecord r = record(rs);
                    if (q.matches(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static SnapshotRecord record(ResultSet rs) throws SQLException {
        return new SnapshotRecord(rs.getString(2), Timeframe.parse(rs.getString(3)), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                Instant.ofEpochMilli(rs.getLong(12)), rs.getString(13), rs.getString(14), rs.getString(15),
                dataset(rs));
    }

    private static DatasetInfo dataset(ResultSet rs) throws SQLException {
        String split = rs.getString(16);
        if (split == null) {
            return null;
        }
        return new DatasetInfo(split, rs.getLong(17), rs.getLong(18), rs.getString(19), rs.getString(20),
                rs.getString(21), rs.getString(22), rs.getString(23));
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
