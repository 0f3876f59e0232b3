package dev.featurestore.core.storage.files;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One file of a {@link FileStorage} as its {@link TableCodec} writes and reads it: a {@code ts}
 * column (epoch ms UTC, increasing), named double columns of the same length, and string
 * key-value metadata kept in the file (Parquet footer, Arrow schema metadata).
 *
 * <p>The arrays are handed over, not copied: neither the codec nor the storage changes them after
 * the table is made.
 *
 * @param metadata string key-value pairs kept in the file
 * @param ts the row times, epoch ms UTC, increasing
 * @param columnNames names of the double columns, distinct, none {@code ts}
 * @param columns one array per name, each as long as {@code ts}
 */
public record ColumnTable(Map<String, String> metadata, List<String> columnNames, long[] ts, double[][] columns) {

    /** The name of the time column every table has first. */
    public static final String TS = "ts";

    /**
     * Checks the shape and copies the metadata and names (not the arrays).
     *
     * @param metadata string key-value pairs kept in the file
     * @param columnNames names of the double columns, none {@code ts}
     * @param ts the row times, epoch ms UTC, increasing
     * @param columns one array per name, each as long as {@code ts}
     * @throws NullPointerException when {@code ts} or {@code columns} is null
     * @throws IllegalArgumentException when there is not one column per name, a column is not as long
     *     as {@code ts}, or a value column is named {@code ts}
     */
    public ColumnTable {
        metadata = Map.copyOf(metadata);
        columnNames = List.copyOf(columnNames);
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(columns, "columns");
        if (columns.length != columnNames.size()) {
            throw new IllegalArgumentException(columnNames.size() + " column names but " + columns.length + " columns");
        }
        for (int j = 0; j < columns.length; j++) {
            if (columns[j].length != ts.length) {
                throw new IllegalArgumentException("column '" + columnNames.get(j) + "' has " + columns[j].length
                        + " values but ts has " + ts.length);
            }
            if (columnNames.get(j).equals(TS)) {
                throw new IllegalArgumentException("a value column cannot be named '" + TS + "'");
            }
        }
    }

    /** {@return the number of rows, the length of {@code ts} and of every column} */
    public int rows() {
        return ts.length;
    }
}
