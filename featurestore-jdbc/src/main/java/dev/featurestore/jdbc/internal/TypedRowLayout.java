package dev.featurestore.jdbc.internal;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;

/**
 * The typed layout: each feature set's rows in its own table, one column per feature (see
 * {@link FeatureTable}), created with the set's columns and the long-form view inside the set's
 * first build transaction. Committed tables are cached (they never change: a changed list is a new
 * feature set). Thread-safe. Not public API.
 */
public final class TypedRowLayout implements RowLayout {
    private final Migrations.Vendor vendor;
    private final Map<String, FeatureTable> cache = new ConcurrentHashMap<>();

    /**
     * A layout with an empty cache of tables.
     *
     * @param vendor the database, for the tables' DDL
     */
    public TypedRowLayout(Migrations.Vendor vendor) {
        this.vendor = vendor;
    }

    @Override
    public SetColumnsLayout prepare(Connection c, String featureSet, List<String> names, List<FeatureKind> kinds)
            throws SQLException {
        FeatureTable known = committed(c, featureSet);
        if (known == null && vendor == Migrations.Vendor.POSTGRESQL) {
            // First builds of one set in several sessions (builds of other secids run in parallel)
            // take turns here: the one that waited then finds the table the first committed.
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "featurestore feature table " + featureSet);
                lock.execute();
            }
            known = FeatureTable.find(c, featureSet);
        }
        if (known == null) {
            // Not cached: the transaction may yet roll back. On SQLite, BEGIN IMMEDIATE already
            // keeps every other writer out.
            known = FeatureTable.create(c, vendor, SetColumnsLayout.of(featureSet, names, kinds));
        }
        if (!known.layout().matches(names, kinds)) {
            throw known.layout().mismatch(names, kinds);
        }
        return known.layout();
    }

    /** The set's table, cached once read; null when the set has none. */
    private FeatureTable committed(Connection c, String featureSet) throws SQLException {
        FeatureTable known = cache.get(featureSet);
        if (known == null) {
            known = FeatureTable.find(c, featureSet);
            if (known != null) {
                cache.putIfAbsent(featureSet, known);
            }
        }
        return known;
    }

    /**
     * The table of a set prepared in this transaction: from the cache, else looked up and not
     * cached, since this transaction may have created it and may yet roll back.
     */
    private FeatureTable table(Connection c, SetColumnsLayout columns) throws SQLException {
        FeatureTable t = cache.get(columns.featureSet());
        if (t == null) {
            t = FeatureTable.find(c, columns.featureSet());
        }
        if (t == null) {
            throw new IllegalStateException("feature set '" + columns.featureSet() + "' was not prepared");
        }
        return t;
    }

    @Override
    public void write(Connection c, SetColumnsLayout columns, BuildRecord record, FeatureFrame frame,
            LongUnaryOperator availableAt, BuildListener listener, BulkWriter bulk) throws SQLException {
        FeatureTable table = table(c, columns);
        int n = frame.size();
        int f = table.width();
        long[] ts = frame.timestamps();
        long[] available = new long[n];
        for (int r = 0; r < n; r++) {
            available[r] = availableAt.applyAsLong(ts[r]);
        }
        double[][] values = new double[f][];
        List<String> quoted = new ArrayList<>(f);
        List<Boolean> numeric = new ArrayList<>(f);
        boolean[] isNumeric = new boolean[f];
        for (int j = 0; j < f; j++) {
            values[j] = frame.column(j);
            quoted.add(FeatureTable.quote(columns.names().get(j)));
            isNumeric[j] = table.numeric(j);
            numeric.add(isNumeric[j]);
        }
        BulkWriter.Table target = new BulkWriter.Table(FeatureTable.quote(table.table()), quoted, numeric);
        bulk.replace(c, target, record, n, new BulkWriter.RowSource() {
            @Override
            public long ts(int r) {
                return ts[r];
            }

            @Override
            public long availableAt(int r) {
                return available[r];
            }

            @Override
            public void values(int r, BulkWriter.RowSink sink) throws SQLException {
                for (int j = 0; j < f; j++) {
                    if (isNumeric[j]) {
                        sink.number(values[j][r]);
                    } else {
                        sink.category((short) values[j][r]);
                    }
                }
                listener.rowStaged(r);
            }
        });
    }

    @Override
    public FeatureFrame read(Connection c, String featureSet, List<String> features, String secid,
            Timeframe timeframe, long fromTs, long toTs) throws SQLException {
        List<String> names = List.copyOf(features);
        FeatureTable table = committed(c, featureSet);
        FeatureTable.Select select = table == null ? null : table.select(names);
        int[] idx = select == null ? null : select.positions();
        List<FeatureKind> kinds = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            kinds.add(idx == null ? FeatureKind.NUMERIC : table.layout().kinds().get(idx[i]));
        }
        if (table == null || fromTs >= toTs) {
            return Columns.frame(secid, featureSet, timeframe, names, kinds, new long[0],
                    new double[names.size()][0], 0, 0);
        }
        long[] ts = new long[1024];
        double[][] out = new double[idx.length][1024];
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(select.rangeSql())) {
            ps.setFetchSize(10_000);
            ps.setString(1, secid);
            ps.setString(2, timeframe.toString());
            ps.setLong(3, fromTs);
            ps.setLong(4, toTs);
            try (ResultSet rs = ps.executeQuery()) {
                RowReader reader = reader(rs, table, idx);
                double[] row = new double[idx.length];
                while (rs.next()) {
                    if (n == ts.length) {
                        ts = Arrays.copyOf(ts, n * 2);
                        for (int j = 0; j < out.length; j++) {
                            out[j] = Arrays.copyOf(out[j], n * 2);
                        }
                    }
                    ts[n] = reader.read(row, 0);
                    for (int j = 0; j < idx.length; j++) {
                        out[j][n] = row[j];
                    }
                    n++;
                }
            }
        }
        return Columns.frame(secid, featureSet, timeframe, names, kinds, ts, out, 0, n);
    }

    @Override
    public FeatureWindow window(Connection c, String featureSet, List<String> features, String secid,
            Timeframe timeframe, long lastTs, int size) throws SQLException {
        List<String> names = List.copyOf(features);
        FeatureTable table = committed(c, featureSet);
        if (table == null) {
            throw new InsufficientHistoryException(windowName(featureSet, secid, timeframe, lastTs), size, 0);
        }
        FeatureTable.Select select = table.select(names);
        int[] idx = select.positions();
        long[] ts = new long[size];
        double[] values = new double[size * idx.length];
        int got = 0;
        PreparedStatement kept = vendor == Migrations.Vendor.SQLITE ? SqliteRowReader.prepared(c, select.windowSql())
                : null;
        try (PreparedStatement own = kept == null ? c.prepareStatement(select.windowSql()) : null) {
            PreparedStatement ps = kept != null ? kept : own;
            ps.setString(1, secid);
            ps.setString(2, timeframe.toString());
            ps.setLong(3, lastTs);
            ps.setInt(4, size);
            try (ResultSet rs = ps.executeQuery()) {
                RowReader reader = reader(rs, table, idx);
                while (rs.next()) {
                    int r = size - 1 - got;
                    ts[r] = reader.read(values, r * idx.length);
                    got++;
                }
            }
        }
        if (got < size) {
            throw new InsufficientHistoryException(windowName(featureSet, secid, timeframe, lastTs), size, got);
        }
        return Columns.window(secid, featureSet, timeframe, names, ts, values);
    }

    /**
     * Reads the current row of a feature read: {@code ts} (column 1) and the values (columns 2
     * onwards) into {@code into[offset + j]}.
     */
    interface RowReader {
        /** {@return the row's {@code ts}, its values put into {@code into}} */
        long read(double[] into, int offset) throws SQLException;
    }

    /** Straight from the SQLite statement where it can, else through {@code rs} and the table's kinds. */
    private RowReader reader(ResultSet rs, FeatureTable table, int[] idx) throws SQLException {
        if (vendor == Migrations.Vendor.SQLITE) {
            boolean[] numeric = new boolean[idx.length];
            for (int j = 0; j < idx.length; j++) {
                numeric[j] = table.numeric(idx[j]);
            }
            RowReader direct = SqliteRowReader.of(rs, numeric);
            if (direct != null) {
                return direct;
            }
        }
        return (into, offset) -> {
            for (int j = 0; j < idx.length; j++) {
                into[offset + j] = table.read(rs, 2 + j, idx[j]);
            }
            return rs.getLong(1);
        };
    }

    private static String windowName(String featureSet, String secid, Timeframe timeframe, long lastTs) {
        return "feature set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe + ", opened by "
                + Instant.ofEpochMilli(lastTs);
    }
}
