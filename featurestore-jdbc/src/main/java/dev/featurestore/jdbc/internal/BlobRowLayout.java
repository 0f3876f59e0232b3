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
 * The value-blob layout: one wide row per candle, {@code feature_numeric.vals} holding the
 * numeric features as little-endian doubles and {@code feature_categorical.vals} the categories
 * as little-endian 16-bit integers, each at its slot of {@code feature_set_columns} (see
 * {@link ValueCodec}, {@link SetColumnsLayout}). Committed column lists are cached (they never
 * change: a changed list is a new feature set). Thread-safe. Not public API.
 */
public final class BlobRowLayout implements RowLayout {
    private static final BulkWriter.Table NUMERIC = new BulkWriter.Table("feature_numeric", List.of("vals"));
    private static final BulkWriter.Table CATEGORICAL = new BulkWriter.Table("feature_categorical", List.of("vals"));

    private final Map<String, SetColumnsLayout> cache = new ConcurrentHashMap<>();

    /** A layout with an empty cache of column lists. */
    public BlobRowLayout() {
    }

    @Override
    public SetColumnsLayout prepare(Connection c, String featureSet, List<String> names, List<FeatureKind> kinds)
            throws SQLException {
        SetColumnsLayout known = committed(c, featureSet);
        if (known == null) {
            SetColumnsLayout fresh = SetColumnsLayout.of(featureSet, names, kinds);
            // ON CONFLICT: a concurrent first build of the same set may win; what is stored is read back.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feature_set_columns"
                    + " (feature_set, position, feature, kind, slot) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
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
            // Not cached: the transaction may yet roll back.
            known = FactLayerSql.readColumns(c, featureSet);
        }
        if (!known.matches(names, kinds)) {
            throw known.mismatch(names, kinds);
        }
        return known;
    }

    /** The set's stored columns, cached once read; null when none are stored. */
    private SetColumnsLayout committed(Connection c, String featureSet) throws SQLException {
        SetColumnsLayout known = cache.get(featureSet);
        if (known == null) {
            known = FactLayerSql.readColumns(c, featureSet);
            if (known != null) {
                cache.putIfAbsent(featureSet, known);
            }
        }
        return known;
    }

    @Override
    public void write(Connection c, SetColumnsLayout columns, BuildRecord record, FeatureFrame frame,
            LongUnaryOperator availableAt, BuildListener listener, BulkWriter bulk) throws SQLException {
        int n = frame.size();
        long[] ts = frame.timestamps();
        long[] available = new long[n];
        for (int r = 0; r < n; r++) {
            available[r] = availableAt.applyAsLong(ts[r]);
        }
        Encoder encoder = new Encoder(columns, frame);
        bulk.replace(c, NUMERIC, record, n, new BulkWriter.RowSource() {
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
                sink.blob(encoder.numeric(r));
                listener.rowStaged(r);
            }
        });
        if (columns.categoricalCount() > 0) {
            bulk.replace(c, CATEGORICAL, record, n, new BulkWriter.RowSource() {
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
                    sink.blob(encoder.categorical(r));
                }
            });
        }
    }

    @Override
    public FeatureFrame read(Connection c, String featureSet, List<String> features, String secid,
            Timeframe timeframe, long fromTs, long toTs) throws SQLException {
        List<String> names = List.copyOf(features);
        SetColumnsLayout cols = committed(c, featureSet);
        if (cols == null || fromTs >= toTs) {
            List<FeatureKind> kinds = new ArrayList<>();
            int[] pos = cols == null ? null : cols.positions(names);
            for (int i = 0; i < names.size(); i++) {
                kinds.add(pos == null ? FeatureKind.NUMERIC : cols.kinds().get(pos[i]));
            }
            return Columns.frame(secid, featureSet, timeframe, names, kinds, new long[0],
                    new double[names.size()][0], 0, 0);
        }
        int[] idx = cols.positions(names);
        Decoder decoder = new Decoder(cols, idx);
        String sql = decoder.needsCategorical()
                // The range is given to both sides, so that each is an index range scan whatever
                // the planner's statistics say.
                ? "SELECT n.ts, n.vals, k.vals FROM feature_numeric n LEFT JOIN feature_categorical k"
                        + " ON k.feature_set = ? AND k.timeframe = ? AND k.secid = ? AND k.ts >= ?"
                        + " AND k.ts < ? AND k.ts = n.ts"
                        + " WHERE n.feature_set = ? AND n.timeframe = ? AND n.secid = ? AND n.ts >= ?"
                        + " AND n.ts < ? ORDER BY n.ts"
                : "SELECT ts, vals FROM feature_numeric WHERE feature_set = ? AND timeframe = ?"
                        + " AND secid = ? AND ts >= ? AND ts < ? ORDER BY ts";
        long[] ts = new long[1024];
        double[][] out = new double[idx.length][1024];
        double[] row = new double[idx.length];
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            for (int base = 0; base < (decoder.needsCategorical() ? 10 : 5); base += 5) {
                ps.setString(base + 1, featureSet);
                ps.setString(base + 2, timeframe.toString());
                ps.setString(base + 3, secid);
                ps.setLong(base + 4, fromTs);
                ps.setLong(base + 5, toTs);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == ts.length) {
                        ts = Arrays.copyOf(ts, n * 2);
                        for (int j = 0; j < out.length; j++) {
                            out[j] = Arrays.copyOf(out[j], n * 2);
                        }
                    }
                    ts[n] = rs.getLong(1);
                    decoder.decode(rs.getBytes(2), decoder.needsCategorical() ? rs.getBytes(3) : null, row);
                    for (int j = 0; j < row.length; j++) {
                        out[j][n] = row[j];
                    }
                    n++;
                }
            }
        }
        return Columns.frame(secid, featureSet, timeframe, names, decoder.kinds(), ts, out, 0, n);
    }

    @Override
    public FeatureWindow window(Connection c, String featureSet, List<String> features, String secid,
            Timeframe timeframe, long lastTs, int size) throws SQLException {
        List<String> names = List.copyOf(features);
        String what = "feature set '" + featureSet + "', secid '" + secid + "', timeframe " + timeframe
                + ", opened by " + Instant.ofEpochMilli(lastTs);
        SetColumnsLayout cols = committed(c, featureSet);
        if (cols == null) {
            throw new InsufficientHistoryException(what, size, 0);
        }
        int[] idx = cols.positions(names);
        Decoder decoder = new Decoder(cols, idx);
        String sql = decoder.needsCategorical()
                // A scalar subquery per row: W primary-key lookups, a plan no statistics can spoil
                // (a plain join may be planned as a hash join over the whole categorical table:
                // 7 s per fetch on a fresh million-row PostgreSQL table; a CTE restricted to the
                // window's ts range measured 2.8 ms with a generic plan, the lookups 0.6 ms).
                ? "SELECT n.ts, n.vals, (SELECT k.vals FROM feature_categorical k"
                        + " WHERE k.feature_set = n.feature_set AND k.timeframe = n.timeframe"
                        + " AND k.secid = n.secid AND k.ts = n.ts) FROM feature_numeric n"
                        + " WHERE n.feature_set = ? AND n.timeframe = ? AND n.secid = ? AND n.ts <= ?"
                        + " ORDER BY n.ts DESC LIMIT ?"
                : "SELECT ts, vals FROM feature_numeric WHERE feature_set = ? AND timeframe = ? AND secid = ?"
                        + " AND ts <= ? ORDER BY ts DESC LIMIT ?";
        long[] ts = new long[size];
        double[] values = new double[size * idx.length];
        double[] row = new double[idx.length];
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
                    decoder.decode(rs.getBytes(2), decoder.needsCategorical() ? rs.getBytes(3) : null, row);
                    System.arraycopy(row, 0, values, r * idx.length, idx.length);
                    got++;
                }
            }
        }
        if (got < size) {
            throw new InsufficientHistoryException(what, size, got);
        }
        return Columns.window(secid, featureSet, timeframe, names, ts, values);
    }

    /** Encodes the rows of a frame into the blobs of each kind, reusing one buffer per kind; not thread-safe. */
    private static final class Encoder {
        private final double[][] numericColumns;
        private final int[] numericSlots;
        private final double[][] categoricalColumns;
        private final int[] categoricalSlots;
        private final byte[] numeric;
        private final byte[] categorical;

        Encoder(SetColumnsLayout cols, FeatureFrame frame) {
            numericColumns = new double[cols.numericCount()][];
            numericSlots = new int[cols.numericCount()];
            categoricalColumns = new double[cols.categoricalCount()][];
            categoricalSlots = new int[cols.categoricalCount()];
            int n = 0;
            int k = 0;
            for (int p = 0; p < cols.names().size(); p++) {
                if (cols.kinds().get(p) == FeatureKind.NUMERIC) {
                    numericColumns[n] = frame.column(p);
                    numericSlots[n++] = cols.slot(p);
                } else {
                    categoricalColumns[k] = frame.column(p);
                    categoricalSlots[k++] = cols.slot(p);
                }
            }
            numeric = new byte[cols.numericCount() * Double.BYTES];
            categorical = new byte[cols.categoricalCount() * Short.BYTES];
        }

        byte[] numeric(int r) {
            for (int j = 0; j < numericColumns.length; j++) {
                ValueCodec.putDouble(numeric, numericSlots[j], numericColumns[j][r]);
            }
            return numeric;
        }

        byte[] categorical(int r) {
            for (int j = 0; j < categoricalColumns.length; j++) {
                ValueCodec.putCategory(categorical, categoricalSlots[j], categoricalColumns[j][r]);
            }
            return categorical;
        }
    }

    /** Decodes the wanted features of one stored row (a missing categorical blob reads as NaN). */
    private static final class Decoder {
        private final boolean[] numeric;
        private final int[] slots;
        private final List<FeatureKind> kinds;
        private final boolean needsCategorical;

        Decoder(SetColumnsLayout cols, int[] positions) {
            numeric = new boolean[positions.length];
            slots = new int[positions.length];
            List<FeatureKind> k = new ArrayList<>(positions.length);
            boolean cat = false;
            for (int i = 0; i < positions.length; i++) {
                FeatureKind kind = cols.kinds().get(positions[i]);
                k.add(kind);
                numeric[i] = kind == FeatureKind.NUMERIC;
                cat |= !numeric[i];
                slots[i] = cols.slot(positions[i]);
            }
            kinds = List.copyOf(k);
            needsCategorical = cat;
        }

        boolean needsCategorical() {
            return needsCategorical;
        }

        List<FeatureKind> kinds() {
            return kinds;
        }

        void decode(byte[] numericBlob, byte[] categoricalBlob, double[] out) {
            for (int i = 0; i < slots.length; i++) {
                if (numeric[i]) {
                    out[i] = ValueCodec.getDouble(numericBlob, slots[i]);
                } else {
                    out[i] = categoricalBlob == null ? Double.NaN : ValueCodec.getCategory(categoricalBlob, slots[i]);
                }
            }
        }
    }
}
