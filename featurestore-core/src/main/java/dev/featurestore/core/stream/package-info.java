/**
 * Streaming: the features of one feature set updated one closed candle at a time, bit-identical
 * to the batch computation over the same history. A {@link dev.featurestore.core.stream.FeatureStream}
 * follows one instrument (resampling on the fly, with the batch bucket rules), a
 * {@link dev.featurestore.core.stream.StreamGroup} many, keyed by secid; the state of either
 * serialises to versioned bytes and restores exactly.
 *
 * <pre>{@code
 * FeatureStream s = FeatureStore.forSet("tech_v2").timeframe("5m").stream("SBER").from(history);
 * Optional<FeatureRow> row = s.accept(new Candle(ts, open, high, low, close, volume));
 * FeatureWindow w = s.window();    // the newest 120 x 20 window, without recomputing history
 * byte[] saved = s.state();        // ... and after a restart:
 * FeatureStream again = FeatureStore.forSet("tech_v2").timeframe("5m").stream("SBER").restore(saved);
 * }</pre>
 */
package dev.featurestore.core.stream;
