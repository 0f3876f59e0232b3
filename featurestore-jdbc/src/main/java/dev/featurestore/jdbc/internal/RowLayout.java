package dev.featurestore.jdbc.internal;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * How feature values are laid out in the fact-layer tables: the one place that knows the
 * encoding of a stored row, shared by every dialect. {@link JdbcStorage} calls it inside its
 * transactions; the dialect's bulk path ({@link BulkWriter}) moves the rows it produces. Not
 * public API.
 */
public interface RowLayout {

    /**
     * Prepares a feature set for a build, inside the build's write transaction: records its
     * columns on its first build, checks a later build's features against them.
     *
     * @param c the connection, inside the build's transaction
     * @param featureSet the feature set
     * @param names the build's feature names, in order
     * @param kinds the kinds of those features
     * @return the set's stored columns, for {@link #write}
     * @throws SQLException when the database fails
     * @throws dev.featurestore.api.StorageException when the features differ from the stored ones
     */
    SetColumnsLayout prepare(Connection c, String featureSet, List<String> names, List<FeatureKind> kinds)
            throws SQLException;

    /**
     * Replaces the stored rows of the build's series with {@code fromTs <= ts < toTs} by the
     * frame's rows, through {@code bulk}, telling {@code listener} of each row staged.
     *
     * @param c the connection, inside the build's transaction
     * @param columns the set's columns, as {@link #prepare} returned them in this transaction
     * @param record the build
     * @param frame the rows, features in the set's order
     * @param availableAt each row's {@code available_at} from its {@code ts}
     * @param listener told of each row staged
     * @param bulk the dialect's bulk path
     * @throws SQLException when the database fails
     */
    void write(Connection c, SetColumnsLayout columns, BuildRecord record, FeatureFrame frame,
            LongUnaryOperator availableAt, BuildListener listener, BulkWriter bulk) throws SQLException;

    /**
     * The stored rows of a series with {@code fromTs <= ts < toTs}, in ts order.
     *
     * @param c the connection
     * @param featureSet the feature set
     * @param features the wanted features, in the wanted order
     * @param secid the secid
     * @param timeframe the timeframe
     * @param fromTs the first open time (inclusive)
     * @param toTs the end of the range (exclusive)
     * @return the rows (an empty frame when the set has none stored)
     * @throws SQLException when the database fails
     */
    FeatureFrame read(Connection c, String featureSet, List<String> features, String secid, Timeframe timeframe,
            long fromTs, long toTs) throws SQLException;

    /**
     * The {@code size} newest stored rows with {@code ts <= lastTs}, oldest first.
     *
     * @param c the connection
     * @param featureSet the feature set
     * @param features the wanted features, in the wanted order
     * @param secid the secid
     * @param timeframe the timeframe
     * @param lastTs the newest open time to include
     * @param size the number of rows, at least 1
     * @return the window
     * @throws SQLException when the database fails
     * @throws dev.featurestore.api.InsufficientHistoryException when fewer rows are stored
     */
    FeatureWindow window(Connection c, String featureSet, List<String> features, String secid, Timeframe timeframe,
            long lastTs, int size) throws SQLException;
}
