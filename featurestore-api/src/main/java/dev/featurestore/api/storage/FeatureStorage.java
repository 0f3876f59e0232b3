package dev.featurestore.api.storage;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;

/**
 * The fact layer as a storage backend sees it: candles keyed by (secid, timeframe, ts), feature
 * values keyed by (secid, timeframe, feature set, ts), and the record of builds.
 *
 * <p>Implementations are thread-safe. Every write is transactional: it is applied whole or not
 * at all. Times are epoch milliseconds UTC; a candle's {@code ts} is its open time and its
 * features are available at its end ({@code ts + timeframe}; for {@code 1d}, the start of the next
 * trading day in the exchange's zone, which the caller works out: see
 * {@link #readWindow(String, List, String, Timeframe, long, int)}). Every range is half-open,
 * {@code fromTs <= ts < toTs}, in reads, builds and records alike; {@code fromTs == toTs} is empty.
 */
public interface FeatureStorage extends AutoCloseable {

    /**
     * Stores candles idempotently, keyed by (secid, timeframe, ts): a candle already stored with
     * equal values is left alone, a different one replaces it.
     *
     * @param candles a series with a timeframe
     * @return how many of the candles were new, replaced a different stored candle, or were
     *     stored already with equal values
     * @throws IllegalArgumentException when {@code candles} has no timeframe
     * @throws dev.featurestore.api.StorageException when the backend fails; nothing is stored then
     */
    UpsertResult upsertCandles(CandleSeries candles);

    /**
     * Stored candles with {@code fromTs <= ts < toTs}, in ts order (empty series when none).
     *
     * @param secid the instrument
     * @param timeframe the timeframe the candles are stored at
     * @param fromTs the earliest open time read, epoch ms UTC, inclusive
     * @param toTs the end of the range, epoch ms UTC, exclusive
     * @return a series of {@code secid} and {@code timeframe}, holding the candles bit for bit as
     *     stored
     * @throws dev.featurestore.api.StorageException when the backend fails
     */
    CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs);

    /**
     * {@return the open time (epoch ms UTC) of the first stored candle, empty when none is
     * stored}
     *
     * @param secid the instrument
     * @param timeframe the timeframe the candles are stored at
     * @throws dev.featurestore.api.StorageException when the backend fails
     */
    OptionalLong firstCandleTs(String secid, Timeframe timeframe);

    /**
     * {@return the timeframes at which candles of {@code secid} are stored, finest first (empty
     * when none)}
     *
     * @param secid the instrument
     * @throws dev.featurestore.api.StorageException when the backend fails
     */
    List<Timeframe> candleTimeframes(String secid);

    /**
     * The secids of which candles are stored, sorted (empty when none): lets the library tell an
     * unknown secid from an empty store in its messages.
     *
     * @return the secids with at least one stored candle, at any timeframe
     * @throws UnsupportedOperationException when the implementation cannot list them (the
     *     default); messages are then less precise, nothing else changes
     */
    default List<String> secids() {
        throw new UnsupportedOperationException(getClass().getName() + " does not list its secids");
    }

    /**
     * In one transaction: replaces the stored values of {@code frame}'s feature set, timeframe and
     * secid for every ts with {@code record.fromTs() <= ts < record.toTs()} by the frame's rows, and
     * records the build. On any failure nothing of it remains.
     *
     * @param record the build to record, of the frame's feature set, timeframe and secid; its
     *     {@code [fromTs, toTs)} is the range replaced
     * @param frame the clean rows to store; its feature names fix the column order
     * @throws dev.featurestore.api.StorageException when the frame's feature list differs from
     *     the one stored for its feature set, or the backend fails
     */
    default void writeBuild(BuildRecord record, FeatureFrame frame) {
        writeBuild(record, frame, BuildListener.NONE);
    }

    /**
     * Like {@link #writeBuild(BuildRecord, FeatureFrame)}, telling {@code listener} of each row
     * staged in the transaction (before the commit). When the listener throws, the build fails
     * and nothing of it remains; the exception is rethrown as it is (a {@link RuntimeException})
     * or wrapped in a {@link dev.featurestore.api.StorageException}.
     *
     * @param record the build to record, of the frame's feature set, timeframe and secid; its
     *     {@code [fromTs, toTs)} is the range replaced
     * @param frame the clean rows to store; its feature names fix the column order
     * @param listener told of each row staged; {@link BuildListener#NONE} for none
     * @throws dev.featurestore.api.StorageException when the frame's feature list differs from
     *     the one stored for its feature set, or the backend fails
     */
    void writeBuild(BuildRecord record, FeatureFrame frame, BuildListener listener);

    /**
     * Like {@link #writeBuild(BuildRecord, FeatureFrame, BuildListener)}, with each row's
     * {@code available_at} computed by {@code availableAt} from its {@code ts} (the store passes its
     * exchange calendar, so a {@code 1d} row is known at the next trading day's start). A storage
     * that keeps an {@code available_at} column stores these values; the default ignores them
     * (its reads bound open times only, see {@link #readWindow}).
     *
     * @param record the build to record, of the frame's feature set, timeframe and secid; its
     *     {@code [fromTs, toTs)} is the range replaced
     * @param frame the clean rows to store; its feature names fix the column order
     * @param availableAt maps a row's open time to the time its values are known, both epoch ms
     *     UTC; not null
     * @param listener told of each row staged; {@link BuildListener#NONE} for none
     * @throws NullPointerException when {@code availableAt} is null
     * @throws dev.featurestore.api.StorageException when the frame's feature list differs from
     *     the one stored for its feature set, or the backend fails
     */
    default void writeBuild(BuildRecord record, FeatureFrame frame, LongUnaryOperator availableAt,
            BuildListener listener) {
        Objects.requireNonNull(availableAt, "availableAt");
        writeBuild(record, frame, listener);
    }

    /**
     * Stored values with {@code fromTs <= ts < toTs}, in ts order, features in the given order
     * (a subset or the whole set as written).
     *
     * @param featureSet the feature set, e.g. {@code tech_v2}
     * @param features the features to read, in the column order wanted; each one stored for the
     *     set
     * @param secid the instrument
     * @param timeframe the timeframe built
     * @param fromTs the earliest open time read, epoch ms UTC, inclusive
     * @param toTs the end of the range, epoch ms UTC, exclusive
     * @return a frame of {@code features} in the given order, empty when no row is stored in the
     *     range (or the set has never been built)
     * @throws dev.featurestore.api.StorageException when a feature is not stored for the set, or
     *     the backend fails
     */
    FeatureFrame readFeatures(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long fromTs, long toTs);

    /**
     * The {@code size} newest stored rows with {@code ts <= lastTs}, oldest first. An as-of read
     * ("rows with {@code available_at <= T}") is turned into this bound on open times by the
     * caller, with the exchange calendar (core's {@code ExchangeCalendar.lastOpenAvailableBy}:
     * {@code T - timeframe} below a day, one millisecond before the trading day of {@code T} for
     * {@code 1d}), so a storage compares open times only and needs no time zone.
     *
     * @param featureSet the feature set, e.g. {@code tech_v2}
     * @param features the features to read, in the column order wanted; each one stored for the
     *     set
     * @param secid the instrument
     * @param timeframe the timeframe built
     * @param lastTs the newest open time to include; {@link Long#MAX_VALUE} for the newest rows
     * @param size W, the rows wanted, 1 or more
     * @return a window of exactly {@code size} rows, oldest first, features in the given order
     * @throws dev.featurestore.api.InsufficientHistoryException when fewer rows are stored
     * @throws dev.featurestore.api.StorageException when a feature is not stored for the set, or
     *     the backend fails
     */
    FeatureWindow readWindow(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long lastTs, int size);

    /**
     * {@return the recorded builds of a (feature set, timeframe, secid), completed and failed,
     * oldest first (empty when none)}
     *
     * @param featureSet the feature set, e.g. {@code tech_v2}
     * @param timeframe the timeframe built
     * @param secid the instrument
     * @throws dev.featurestore.api.StorageException when the backend fails
     */
    List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid);

    /**
     * Stores rows a stream emitted, in one transaction with the record of the stream's build and,
     * when given, its checkpoint: replaces the stored values of the series for every ts in
     * {@code record}'s range by the rows, as {@link #writeBuild(BuildRecord, FeatureFrame,
     * LongUnaryOperator, BuildListener)} does; when the newest recorded build of the series is one
     * {@code record} {@linkplain BuildRecord#continues continues} (an earlier write of the same
     * stream), extends that record (its range to {@code record}'s end, its rows by {@code record}'s,
     * its finish time to {@code record}'s) instead of adding one; and saves {@code checkpoint} as
     * {@link #saveStreamCheckpoint} does. So a stream that writes a row a minute keeps one build
     * record, and {@link #builds} stays short.
     *
     * <p>The default writes the rows as a build ({@code writeBuild}, one record per call) and then
     * saves the checkpoint when {@link #keepsStreamCheckpoints()}; the storages of this project
     * override it.
     *
     * @param record the build of these rows: their range and count, and the stream's start time,
     *     history start, window size and fingerprint, the same in every write of one stream
     * @param rows the clean rows, in the record's range
     * @param availableAt maps a row's open time to the time its values are known, both epoch ms UTC
     * @param checkpoint the stream's state after these rows, or null to leave the saved one
     * @throws IllegalArgumentException when a row is outside the record's range, or the checkpoint
     *     is of another series
     * @throws dev.featurestore.api.StorageException when the feature list differs from the one
     *     stored for the set, or the backend fails; nothing of the call remains then
     */
    default void writeStreamRows(BuildRecord record, FeatureFrame rows, LongUnaryOperator availableAt,
            StreamCheckpoint checkpoint) {
        writeBuild(record, rows, availableAt, BuildListener.NONE);
        if (checkpoint != null && keepsStreamCheckpoints()) {
            saveStreamCheckpoint(checkpoint);
        }
    }

    /**
     * Whether this storage keeps stream checkpoints ({@link #saveStreamCheckpoint} and {@link
     * #streamCheckpoint}). False unless an implementation says otherwise; a store then replays
     * the stored history to start a stream.
     *
     * @return true when the checkpoint methods are implemented
     */
    default boolean keepsStreamCheckpoints() {
        return false;
    }

    /**
     * Saves the checkpoint of its (feature set, timeframe, secid), replacing the one saved before.
     *
     * @param checkpoint the checkpoint
     * @throws UnsupportedOperationException when {@link #keepsStreamCheckpoints()} is false
     * @throws dev.featurestore.api.StorageException when the backend fails; the checkpoint saved
     *     before stays then
     */
    default void saveStreamCheckpoint(StreamCheckpoint checkpoint) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no stream checkpoints");
    }

    /**
     * {@return the checkpoint saved last for the (feature set, timeframe, secid), empty when none
     * is (always, when {@link #keepsStreamCheckpoints()} is false)}
     *
     * @param featureSet the feature set, e.g. {@code tech_v2}
     * @param timeframe the timeframe of the stream's rows
     * @param secid the instrument
     * @throws dev.featurestore.api.StorageException when the backend fails
     */
    default Optional<StreamCheckpoint> streamCheckpoint(String featureSet, Timeframe timeframe, String secid) {
        return Optional.empty();
    }

    /**
     * Whether this storage keeps the snapshot audit log ({@code train_data_snapshots}), that is,
     * implements {@link #recordSnapshots(List)} and {@link #snapshots(SnapshotQuery)}. False
     * unless an implementation says otherwise.
     *
     * @return true when the snapshot log methods are implemented
     */
    default boolean keepsSnapshotLog() {
        return false;
    }

    /**
     * Appends audit rows of exported snapshots, all or none in one transaction, keeping every
     * field (including {@link SnapshotRecord#replacedSha256()}) as given. Rows are never changed
     * afterwards; exporting over a snapshot on purpose adds rows for the new file, which name the
     * replaced file's hash. A row whose (path, sha256, secid, created_at) is already recorded is
     * refused, and with it the whole batch.
     *
     * @param records the rows of one export, in the order they are to be read back
     * @throws UnsupportedOperationException when {@link #keepsSnapshotLog()} is false
     * @throws dev.featurestore.api.StorageException when a row is already recorded or the backend
     *     fails; nothing of the batch is recorded then
     */
    default void recordSnapshots(List<SnapshotRecord> records) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no snapshot audit log");
    }

    /**
     * The recorded snapshot rows matching the query ({@link SnapshotQuery#matches}), oldest
     * {@code created_at} first (rows of one export, which share it, in secid order). Names in
     * the query are data: a name no row has matches nothing.
     *
     * @param query the criteria; {@link SnapshotQuery#all()} for every row
     * @return the matching rows, each as it was recorded (empty when none)
     * @throws UnsupportedOperationException when {@link #keepsSnapshotLog()} is false
     */
    default List<SnapshotRecord> snapshots(SnapshotQuery query) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no snapshot audit log");
    }

    /** Releases connections and files. */
    @Override
    void close();
}
