package dev.featurestore.api.storage;

import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The saved state of the feature stream of one (feature set, timeframe, secid), as a storage keeps
 * it ({@code stream_states}): saved with each build and with each row a stored stream writes, the
 * last one replacing the one before, so that a stream restarts from it instead of replaying the
 * whole stored history. The state bytes are opaque to the storage; core writes and checks them.
 *
 * @param featureSet the feature set, e.g. {@code tech_v2}
 * @param timeframe the timeframe of the stream's rows
 * @param secid the instrument
 * @param lastCandleTs open time of the last source candle the state has taken, epoch ms UTC
 * @param fingerprint the feature set's fingerprint the state was computed with (64 lower-case hex
 *     digits)
 * @param state the state, bytes in core's versioned format; kept as given
 * @param savedAt when the state was saved
 */
public record StreamCheckpoint(String featureSet, Timeframe timeframe, String secid, long lastCandleTs,
        String fingerprint, byte[] state, Instant savedAt) {

    /**
     * Checks the fields and copies the state.
     *
     * @param featureSet the feature set; not null
     * @param timeframe the timeframe of the stream's rows; not null
     * @param secid the instrument; not null
     * @param lastCandleTs open time of the last source candle the state has taken, epoch ms UTC
     * @param fingerprint the feature set's fingerprint, 64 lower-case hex digits
     * @param state the state bytes; not null, copied
     * @param savedAt when the state was saved; not null
     * @throws NullPointerException when a part is null
     * @throws IllegalArgumentException when the fingerprint is not 64 lower-case hex digits
     */
    public StreamCheckpoint {
        Objects.requireNonNull(featureSet, "featureSet");
        Objects.requireNonNull(timeframe, "timeframe");
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(savedAt, "savedAt");
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint must be 64 lower-case hex digits, got '" + fingerprint
                    + "'");
        }
        state = Objects.requireNonNull(state, "state").clone();
    }

    /** {@return a copy of the state bytes} */
    @Override
    public byte[] state() {
        return state.clone();
    }

    /**
     * Equal when every field is, the state compared by content.
     *
     * @param o the other object
     * @return whether {@code o} is an equal checkpoint
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof StreamCheckpoint c && featureSet.equals(c.featureSet) && timeframe.equals(c.timeframe)
                && secid.equals(c.secid) && lastCandleTs == c.lastCandleTs && fingerprint.equals(c.fingerprint)
                && Arrays.equals(state, c.state) && savedAt.equals(c.savedAt);
    }

    /** {@return a hash of every field, the state by content} */
    @Override
    public int hashCode() {
        return Objects.hash(featureSet, timeframe, secid, lastCandleTs, fingerprint, savedAt) * 31
                + Arrays.hashCode(state);
    }

    /** {@return the key, the last candle's time, the size of the state and when it was saved} */
    @Override
    public String toString() {
        return "StreamCheckpoint[" + featureSet + ", " + timeframe + ", " + secid + ", last candle "
                + Instant.ofEpochMilli(lastCandleTs) + ", " + state.length + " bytes, saved " + savedAt + "]";
    }
}
