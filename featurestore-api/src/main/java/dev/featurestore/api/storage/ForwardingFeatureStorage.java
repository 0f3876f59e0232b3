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
 * A storage that hands every call to another one: the base for a wrapper that counts, times,
 * logs or fails some calls and leaves the rest alone.
 *
 * <pre>{@code
 * FeatureStorage counting = new ForwardingFeatureStorage(new InMemoryStorage()) {
 *     @Override
 *     public CandleSeries readCandles(String secid, Timeframe tf, long fromTs, long toTs) {
 *         reads.incrementAndGet();
 *         return super.readCandles(secid, tf, fromTs, toTs);
 *     }
 * };
 * }</pre>
 *
 * <p>Every method, the default ones included, goes to the same method of the delegate, so the
 * wrapper keeps what the delegate can do (its secid listing, its {@code available_at} column, its
 * snapshot log, its stream checkpoints). A wrapper that watches builds overrides both {@code
 * writeBuild} methods it does not forward (the store calls the one with {@code availableAt}) and
 * {@code writeStreamRows}, which a stored stream calls for its rows. {@link #close()} closes the
 * delegate.
 */
public abstract class ForwardingFeatureStorage implements FeatureStorage {
    private final FeatureStorage delegate;

    /**
     * A storage forwarding to this one.
     *
     * @param delegate the storage every call goes to
     */
    protected ForwardingFeatureStorage(FeatureStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** {@return the storage every call goes to, as given to the constructor} */
    protected final FeatureStorage delegate() {
        return delegate;
    }

    @Override
    public UpsertResult upsertCandles(CandleSeries candles) {
        return delegate.upsertCandles(candles);
    }

    @Override
    public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
        return delegate.readCandles(secid, timeframe, fromTs, toTs);
    }

    @Override
    public OptionalLong firstCandleTs(String secid, Timeframe timeframe) {
        return delegate.firstCandleTs(secid, timeframe);
    }

    @Override
    public List<Timeframe> candleTimeframes(String secid) {
        return delegate.candleTimeframes(secid);
    }

    @Override
    public List<String> secids() {
        return delegate.secids();
    }

    @Override
    public void writeBuild(BuildRecord record, FeatureFrame frame, BuildListener listener) {
        delegate.writeBuild(record, frame, listener);
    }

    @Override
    public void writeBuild(BuildRecord record, FeatureFrame frame, LongUnaryOperator availableAt,
            BuildListener listener) {
        delegate.writeBuild(record, frame, availableAt, listener);
    }

    @Override
    public FeatureFrame readFeatures(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long fromTs, long toTs) {
        return delegate.readFeatures(featureSet, features, secid, timeframe, fromTs, toTs);
    }

    @Override
    public FeatureWindow readWindow(String featureSet, List<String> features, String secid, Timeframe timeframe,
            long lastTs, int size) {
        return delegate.readWindow(featureSet, features, secid, timeframe, lastTs, size);
    }

    @Override
    public List<BuildRecord> builds(String featureSet, Timeframe timeframe, String secid) {
        return delegate.builds(featureSet, timeframe, secid);
    }

    @Override
    public void writeStreamRows(BuildRecord record, FeatureFrame rows, LongUnaryOperator availableAt,
            StreamCheckpoint checkpoint) {
        delegate.writeStreamRows(record, rows, availableAt, checkpoint);
    }

    @Override
    public boolean keepsStreamCheckpoints() {
        return delegate.keepsStreamCheckpoints();
    }

    @Override
    public void saveStreamCheckpoint(StreamCheckpoint checkpoint) {
        delegate.saveStreamCheckpoint(checkpoint);
    }

    @Override
    public Optional<StreamCheckpoint> streamCheckpoint(String featureSet, Timeframe timeframe, String secid) {
        return delegate.streamCheckpoint(featureSet, timeframe, secid);
    }

    @Override
    public boolean keepsSnapshotLog() {
        return delegate.keepsSnapshotLog();
    }

    @Override
    public void recordSnapshots(List<SnapshotRecord> records) {
        delegate.recordSnapshots(records);
    }

    @Override
    public List<SnapshotRecord> snapshots(SnapshotQuery query) {
        return delegate.snapshots(query);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
