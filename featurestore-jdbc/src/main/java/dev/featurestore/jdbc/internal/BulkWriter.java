package dev.featurestore.jdbc.internal;

import dev.featurestore.api.storage.BuildRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A dialect's bulk path for feature rows: makes the stored rows of one fact table for a build's
 * series and range equal the rows a {@link RowSource} gives (SQLite: a delete and multi-row
 * inserts; PostgreSQL: binary {@code COPY} or batches into a staging table, then a merge). Each
 * row is keyed by {@code (secid, timeframe, ts)} and has an {@code available_at} and the
 * table's value columns. Not public API.
 */
@FunctionalInterface
public interface BulkWriter {

    /**
     * Replaces the rows of {@code table} for {@code record}'s series with
     * {@code record.fromTs() <= ts < record.toTs()} by the {@code rows} rows of {@code source}.
     *
     * @param c the connection, inside the build's transaction
     * @param table the table and its value columns
     * @param record the build: its feature set, timeframe, secid and range
     * @param rows the number of rows {@code source} gives
     * @param source the rows, in ts order
     * @throws SQLException when the database fails
     */
    void replace(Connection c, Table table, BuildRecord record, int rows, RowSource source) throws SQLException;

    /**
     * A fact table: its name and its value columns with their SQL types, after the key
     * {@code (secid, timeframe, ts)} and {@code available_at}.
     *
     * @param name the table's name, quoted as SQL needs it
     * @param valueColumns the value columns, quoted, in the order {@link RowSource#values} writes them
     * @param numeric for each value column, true when it holds doubles ({@code DOUBLE PRECISION}),
     *     false when it holds categories ({@code SMALLINT})
     */
    record Table(String name, List<String> valueColumns, List<Boolean> numeric) {
        /**
         * Copies the column lists.
         *
         * @param name the table's name
         * @param valueColumns the value columns
         * @param numeric the kind of each value column
         */
        public Table {
            valueColumns = List.copyOf(valueColumns);
            numeric = List.copyOf(numeric);
            if (numeric.size() != valueColumns.size()) {
                throw new IllegalArgumentException(valueColumns.size() + " columns but " + numeric.size() + " kinds");
            }
        }
    }

    /** The rows of one bulk write, read by index. */
    interface RowSource {
        /**
         * The open time of row {@code r}.
         *
         * @param r the row
         * @return its ts
         */
        long ts(int r);

        /**
         * The {@code available_at} of row {@code r}.
         *
         * @param r the row
         * @return its available_at
         */
        long availableAt(int r);

        /**
         * Writes the value columns of row {@code r}, in the table's order, to {@code sink}.
         *
         * @param r the row
         * @param sink where the values go
         * @throws SQLException when the sink fails
         */
        void values(int r, RowSink sink) throws SQLException;
    }

    /** Takes the value columns of one row, in order. */
    interface RowSink {
        /**
         * The next column, a double.
         *
         * @param value the value, bit for bit
         * @throws SQLException when the value cannot be sent
         */
        void number(double value) throws SQLException;

        /**
         * The next column, a category.
         *
         * @param value the category
         * @throws SQLException when the value cannot be sent
         */
        void category(short value) throws SQLException;
    }
}
