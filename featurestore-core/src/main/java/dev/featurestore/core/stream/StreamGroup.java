package dev.featurestore.core.stream;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.registry.FeatureRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Streams of one feature set and timeframe for many instruments, keyed by secid: a candle of any
 * secid goes to that secid's {@link FeatureStream}, made on its first candle (or from a history
 * with {@link #from(CandleSeries)}).
 *
 * <pre>{@code
 * StreamGroup g = FeatureStore.forSet("tech_v2").timeframe("1m").streamGroup();
 * Optional<FeatureRow> row = g.accept("SBER", candle);
 * List<FeatureRow> closed = g.closeThrough(Instant.parse("2024-01-08T10:05:00Z"));
 * }</pre>
 *
 * <p>Each stream keeps its own state (see {@link FeatureStream#state()} for its size); the group
 * adds a map entry per secid. Not thread-safe: give each thread its own group, or partition the
 * secids over groups.
 */
public final class StreamGroup {
    private static final int MAGIC = 0x46535347; // "FSSG"
    private static final int VERSION = 1;

    private final FeatureRegistry registry;
    private final String featureSet;
    private final Timeframe timeframe;
    private final Timeframe source;
    private final int windowSize;
    private final Map<String, FeatureStream> streams = new LinkedHashMap<>();

    /**
     * An empty group; {@code FeatureQuery.streamGroup()} is the usual way in.
     *
     * @param registry the registry defining the feature set; not null
     * @param featureSet the feature set, e.g. {@code tech_v2}
     * @param timeframe the timeframe of the rows, or null for candles taken as rows at any spacing
     * @param source the timeframe of the candles taken (see {@link FeatureStream#open})
     * @param windowSize W of every stream's window, at least 1
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry has no such set
     * @throws dev.featurestore.api.InvalidQueryException when the set does not allow the timeframe,
     *     or the source timeframe is not a divisor of it
     * @throws IllegalArgumentException when the window size is below 1
     */
    public StreamGroup(FeatureRegistry registry, String featureSet, Timeframe timeframe, Timeframe source,
            int windowSize) {
        // fails here, not at the first candle, when the parts do not fit together
        FeatureStream.open(registry, featureSet, timeframe, source, "check", windowSize);
        this.registry = registry;
        this.featureSet = featureSet;
        this.timeframe = timeframe;
        this.source = source;
        this.windowSize = windowSize;
    }

    /**
     * The stream of one instrument, made empty when the group has none yet.
     *
     * @param secid the instrument, not blank
     * @return its stream, owned by the group
     * @throws IllegalArgumentException when the secid is blank
     */
    public FeatureStream stream(String secid) {
        FeatureStream s = streams.get(secid);
        if (s == null) {
            s = FeatureStream.open(registry, featureSet, timeframe, source, secid, windowSize);
            streams.put(secid, s);
        }
        return s;
    }

    /**
     * The stream of an instrument, if the group has one.
     *
     * @param secid the instrument
     * @return its stream, or empty
     */
    public Optional<FeatureStream> find(String secid) {
        return Optional.ofNullable(streams.get(secid));
    }

    /**
     * Starts (or starts again) the stream of the history's instrument from that history.
     *
     * @param history candles of one instrument at the source timeframe
     * @return the stream after the history, now the group's stream of that secid
     * @throws dev.featurestore.api.InvalidQueryException when the history's timeframe is not the
     *     source timeframe
     */
    public FeatureStream from(CandleSeries history) {
        FeatureStream s = FeatureStream.open(registry, featureSet, timeframe, source, history.secid(), windowSize)
                .from(history);
        streams.put(history.secid(), s);
        return s;
    }

    /** {@return the secids with a stream, in the order their streams were made} */
    public Set<String> secids() {
        return java.util.Collections.unmodifiableSet(streams.keySet());
    }

    /**
     * Takes a closed candle of one instrument (see {@link FeatureStream#accept}).
     *
     * @param secid the instrument
     * @param candle the candle
     * @return the row of the bucket it closed, or empty
     * @throws dev.featurestore.api.InvalidCandleException when the candle is refused; that
     *     instrument's stream is unchanged
     */
    public Optional<FeatureRow> accept(String secid, Candle candle) {
        return stream(secid).accept(candle);
    }

    /**
     * {@link FeatureStream#offer} on the instrument's stream: no allocation once the stream exists.
     *
     * @param secid the instrument
     * @param ts the candle's open time, epoch milliseconds UTC
     * @param open the open price
     * @param high the high price
     * @param low the low price
     * @param close the close price
     * @param volume the volume
     * @return true when a row was emitted; read it from {@link #stream(String)}
     * @throws dev.featurestore.api.InvalidCandleException when the candle is refused
     */
    public boolean offer(String secid, long ts, double open, double high, double low, double close, double volume) {
        return stream(secid).offer(ts, open, high, low, close, volume);
    }

    /**
     * {@link FeatureStream#closeThrough} on every stream.
     *
     * @param time the end of the complete source data, for every instrument
     * @return the rows of the buckets closed, in the order of the streams
     */
    public List<FeatureRow> closeThrough(Instant time) {
        Objects.requireNonNull(time, "time");
        List<FeatureRow> closed = new ArrayList<>();
        for (FeatureStream s : streams.values()) {
            s.closeThrough(time).ifPresent(closed::add);
        }
        return closed;
    }

    /**
     * The state of every stream, in one versioned block: the count, then each secid and its
     * {@link FeatureStream#state()}.
     *
     * @return the states, a new array
     */
    public byte[] state() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(streams.size());
            for (Map.Entry<String, FeatureStream> e : streams.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] one = e.getValue().state();
                out.writeInt(one.length);
                out.write(one);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Replaces every stream of this group by those {@link #state()} saved.
     *
     * @param bytes a state saved by {@link #state()} of a group of the same set and timeframes
     * @throws StreamStateException when the bytes are not a group state, or a stream's state does
     *     not restore (see {@link FeatureStream#restore})
     */
    public void restore(byte[] bytes) {
        Map<String, FeatureStream> restored = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new StreamStateException("not a featurestore stream group state (no FSSG header)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new StreamStateException("stream group state of format version " + version
                        + "; this release reads version " + VERSION);
            }
            int n = in.readInt();
            if (n < 0) {
                throw new StreamStateException("stream group state of " + n + " streams");
            }
            for (int i = 0; i < n; i++) {
                String secid = in.readUTF();
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new StreamStateException("stream group state is cut short in the state of '" + secid + "'");
                }
                byte[] one = in.readNBytes(length);
                restored.put(secid, FeatureStream.open(registry, featureSet, timeframe, source, secid, windowSize)
                        .restore(one));
            }
        } catch (EOFException e) {
            throw new StreamStateException("stream group state is cut short", e);
        } catch (IOException e) {
            throw new StreamStateException("corrupt stream group state: " + e.getMessage(), e);
        }
        streams.clear();
        streams.putAll(restored);
    }

    @Override
    public String toString() {
        return "StreamGroup[" + featureSet + (timeframe == null ? "" : ", " + timeframe) + ", " + streams.size()
                + " secids]";
    }
}
