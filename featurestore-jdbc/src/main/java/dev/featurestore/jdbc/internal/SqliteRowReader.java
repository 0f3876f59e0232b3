package dev.featurestore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.SafeStmtPtr;

/**
 * Reads the rows of a feature read straight from sqlite-jdbc's statement: {@code ts} and every
 * value of a row under one lock, one native call per column ({@code sqlite3_column_int64},
 * {@code _double}, {@code _int}). {@link ResultSet#getDouble} makes two per value (the column's
 * type first, for a NULL, which a feature row never holds: its columns are {@code NOT NULL}), and
 * in a window fetch those calls are most of the time. The values are the same calls' results, bit
 * for bit. Loaded only for SQLite, whose driver is an optional dependency.
 */
final class SqliteRowReader implements TypedRowLayout.RowReader {
    /** Statements kept per connection; past this many, a connection's are closed and made anew. */
    private static final int MAX_PER_CONNECTION = 32;
    /** The window reads prepared on each physical connection, kept while it is open. */
    private static final Map<SQLiteConnection, Map<String, PreparedStatement>> PREPARED = new IdentityHashMap<>();

    private final SafeStmtPtr pointer;
    private final boolean[] numeric;

    private SqliteRowReader(SafeStmtPtr pointer, boolean[] numeric) {
        this.pointer = pointer;
        this.numeric = numeric;
    }

    /**
     * The reader of {@code rs}'s rows, or null when its statement is not sqlite-jdbc's (a pool or
     * driver that does not unwrap to it); the caller then reads through {@link ResultSet}.
     *
     * @param rs the result of a feature read, {@code ts} then the values
     * @param numeric per value column (the result's columns 2 onwards), numeric or categorical
     */
    static TypedRowLayout.RowReader of(ResultSet rs, boolean[] numeric) throws SQLException {
        Statement st = rs.getStatement();
        if (st == null || !st.isWrapperFor(CoreStatement.class)) {
            return null;
        }
        SafeStmtPtr pointer = st.unwrap(CoreStatement.class).pointer;
        return pointer == null ? null : new SqliteRowReader(pointer, numeric.clone());
    }

    @Override
    public long read(double[] into, int offset) throws SQLException {
        return pointer.safeRunLong((db, ptr) -> {
            for (int j = 0; j < numeric.length; j++) {
                into[offset + j] = numeric[j] ? db.column_double(ptr, 1 + j) : (short) db.column_int(ptr, 1 + j);
            }
            return db.column_long(ptr, 0);
        });
    }

    /**
     * The statement of {@code sql} prepared once on {@code c}'s own SQLite connection and kept
     * for the next read on it, or null when {@code c} does not unwrap to one. Preparing the
     * query and reading its column names is about a quarter of a window fetch. The statement is
     * the caller's only while it holds {@code c} (a pooled connection serves one thread at a
     * time); it must close every result set it opens, which resets the statement, so no read
     * transaction stays open. Not to be closed by the caller: it lives until the connection
     * closes, which finalizes it.
     */
    static PreparedStatement prepared(Connection c, String sql) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) {
            return null;
        }
        SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
        Map<String, PreparedStatement> mine;
        synchronized (PREPARED) {
            mine = PREPARED.get(raw);
            if (mine == null) {
                // A connection the pool has closed keeps no entry.
                for (Iterator<SQLiteConnection> it = PREPARED.keySet().iterator(); it.hasNext();) {
                    if (it.next().isClosed()) {
                        it.remove();
                    }
                }
                mine = new HashMap<>();
                PREPARED.put(raw, mine);
            }
        }
        PreparedStatement ps = mine.get(sql);
        if (ps == null || ps.isClosed()) {
            if (mine.size() >= MAX_PER_CONNECTION) {
                for (PreparedStatement old : mine.values()) {
                    old.close();
                }
                mine.clear();
            }
            ps = raw.prepareStatement(sql);
            mine.put(sql, ps);
        }
        return ps;
    }
}
