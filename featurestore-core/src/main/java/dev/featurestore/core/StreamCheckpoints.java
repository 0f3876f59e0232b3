package dev.featurestore.core;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.core.stream.Candle;
import dev.featurestore.core.stream.FeatureStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint a store keeps of a stored stream ({@link StreamCheckpoint}) and the checks
 * before a stream resumes from one. Its state bytes are an envelope of their own format version
 * around {@link FeatureStream#state()}: the source timeframe, the open time of the first stored
 * candle the state started from (the history start) and the window size. A checkpoint is used
 * only when every part matches the store as it is now: the set's fingerprint, both format
 * versions, the source timeframe, the history start, the window size, and the stored candle at
 * the checkpoint's last candle time, bit for bit (so a stream that took candles that were never
 * ingested, or whose last candle was replaced, replays the stored history instead).
 */
final class StreamCheckpoints {
    private static final Logger LOG = LoggerFactory.getLogger(StreamCheckpoints.class);
    private static final int MAGIC = 0x46534350; // "FSCP"
    private static final int VERSION = 1;

    private StreamCheckpoints() {
    }

    /**
     * The checkpoint of a stream that started from the stored history at {@code historyStart}.
     *
     * @return the checkpoint, or null when the stream has taken no candle
     */
    static StreamCheckpoint of(FeatureStream s, Timeframe tf, long historyStart, String fingerprint) {
        Optional<Candle> last = s.lastCandle();
        if (last.isEmpty()) {
            return null;
        }
        byte[] state = s.state();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(state.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(s.sourceTimeframe().orElseThrow().toString());
            out.writeLong(historyStart);
            out.writeInt(s.windowSize());
            out.writeInt(state.length);
            out.write(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StreamCheckpoint(s.featureSet(), tf, s.secid(), last.get().ts(), fingerprint, bytes.toByteArray(),
                Instant.now());
    }

    /**
     * The stream resumed from a checkpoint and the stored candles after it, or null when the
     * checkpoint does not match (the reason is logged at debug level).
     *
     * @param empty the stream before any candle, of the query's set, timeframe, source and window
     * @param historyStart the open time of the first stored source candle now
     */
    static FeatureStream resume(FeatureStream empty, StreamCheckpoint cp, FeatureStorage storage, long historyStart,
            String fingerprint) {
        String refusal = refusal(empty, cp, historyStart, fingerprint);
        if (refusal != null) {
            LOG.debug("stream of {} {} {} replays the stored history: its checkpoint {}", empty.featureSet(),
                    cp.timeframe(), empty.secid(), refusal);
            return null;
        }
        FeatureStream s;
        try {
            s = empty.restore(streamState(cp.state()));
        } catch (FeatureStoreException e) {
            LOG.debug("stream of {} {} {} replays the stored history: {}", empty.featureSet(), cp.timeframe(),
                    empty.secid(), e.getMessage());
            return null;
        }
        Timeframe source = empty.sourceTimeframe().orElseThrow();
        Candle last = s.lastCandle().orElse(null);
        if (last == null || last.ts() != cp.lastCandleTs()) {
            return null;
        }
        CandleSeries stored = storage.readCandles(empty.secid(), source, last.ts(), last.ts() + 1);
        if (stored.size() != 1 || !sameBits(stored, last)) {
            LOG.debug("stream of {} {} {} replays the stored history: the stored {} candle at {} is not the "
                    + "checkpoint's last", empty.featureSet(), cp.timeframe(), empty.secid(), source,
                    Instant.ofEpochMilli(last.ts()));
            return null;
        }
        CandleSeries after = storage.readCandles(empty.secid(), source, last.ts() + 1, Long.MAX_VALUE);
        for (int i = 0; i < after.size(); i++) {
            s.offer(after.ts(i), after.open(i), after.high(i), after.low(i), after.close(i), after.volume(i));
        }
        return s;
    }

    /** Why the checkpoint's envelope does not fit, or null when it does. */
    private static String refusal(FeatureStream empty, StreamCheckpoint cp, long historyStart, String fingerprint) {
        if (!cp.fingerprint().equals(fingerprint)) {
            return "was saved with another fingerprint of the set (" + cp.fingerprint() + ")";
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(cp.state()))) {
            if (in.readInt() != MAGIC) {
                return "is not a featurestore checkpoint (no FSCP header)";
            }
            int version = in.readInt();
            if (version != VERSION) {
                return "is of format version " + version + "; this release reads " + VERSION;
            }
            String source = in.readUTF();
            if (!source.equals(empty.sourceTimeframe().orElseThrow().toString())) {
                return "took " + source + " candles, not " + empty.sourceTimeframe().orElseThrow();
            }
            long start = in.readLong();
            if (start != historyStart) {
                return "started from the history at " + Instant.ofEpochMilli(start) + ", which now starts at "
                        + Instant.ofEpochMilli(historyStart);
            }
            int window = in.readInt();
            if (window != empty.windowSize()) {
                return "has a window of " + window + " rows, not " + empty.windowSize();
            }
            return null;
        } catch (IOException e) {
            return "is cut short or corrupt (" + e + ")";
        }
    }

    private static byte[] streamState(byte[] envelope) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope))) {
            in.readInt();
            in.readInt();
            in.readUTF();
            in.readLong();
            in.readInt();
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                return new byte[0];
            }
            byte[] state = new byte[length];
            in.readFully(state);
            return state;
        } catch (IOException e) {
            return new byte[0]; // refused by restore as cut short
        }
    }

    private static boolean sameBits(CandleSeries stored, Candle c) {
        return bits(stored.open(0)) == bits(c.open()) && bits(stored.high(0)) == bits(c.high())
                && bits(stored.low(0)) == bits(c.low()) && bits(stored.close(0)) == bits(c.close())
                && bits(stored.volume(0)) == bits(c.volume());
    }

    private static long bits(double x) {
        return Double.doubleToRawLongBits(x);
    }
}
