package dev.featurestore.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.ForwardingFeatureStorage;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.storage.InMemoryStorage;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of saved stream states; the resume property is the testkit's StreamCheckpointContract. */
@DisplayName("A stored stream resumes from the state saved with a build or a streamed row")
class StreamCheckpointTest {
    private static final Timeframe M5 = Timeframe.parse("5m");

    /** Counts the stored candles each read asks for from the start of the history. */
    private static final class CountingStorage extends ForwardingFeatureStorage {
        final List<Long> readsFrom = new ArrayList<>();

        CountingStorage() {
            super(new InMemoryStorage());
        }

        @Override
        public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
            readsFrom.add(fromTs);
            return super.readCandles(secid, timeframe, fromTs, toTs);
        }
    }

    private static boolean offer(FeatureStream s, CandleSeries c, int i) {
        return s.offer(c.ts(i), c.open(i), c.high(i), c.low(i), c.close(i), c.volume(i));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"last candle replaced", "older candles ingested", "corrupt state", "other window"})
    @DisplayName("a checkpoint that does not match the store is not used: the stream replays the stored history")
    void mismatchReplays(String change) {
        CandleSeries all = TestCandles.randomWalk(5, 1000, Timeframe.ONE_MINUTE, false);
        CountingStorage storage = new CountingStorage();
        try (Store store = FeatureStore.builder().registry(FeatureRegistry.builtin()).storage(storage).build()) {
            int from = change.equals("older candles ingested") ? 100 : 0;
            store.candles().upsert(all.slice(from, 700));
            StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid(all.secid());
            q.build();
            StreamCheckpoint saved = storage.streamCheckpoint("tech_v2", M5, all.secid()).orElseThrow();
            CandleSeries history = all.slice(0, 700);
            switch (change) {
                case "last candle replaced" -> {
                    int i = 699;
                    CandleSeries changed = CandleSeries.of(all.secid(), Timeframe.ONE_MINUTE, new long[] {all.ts(i)},
                            new double[] {all.open(i)}, new double[] {all.high(i) * 1.01},
                            new double[] {all.low(i)}, new double[] {all.close(i)}, new double[] {all.volume(i)});
                    store.candles().upsert(changed);
                    history = store.candles().readAll(all.secid(), Timeframe.ONE_MINUTE);
                }
                case "older candles ingested" -> store.candles().upsert(all.slice(0, 100));
                case "corrupt state" -> storage.saveStreamCheckpoint(new StreamCheckpoint(saved.featureSet(),
                        saved.timeframe(), saved.secid(), saved.lastCandleTs(), saved.fingerprint(),
                        java.util.Arrays.copyOf(saved.state(), saved.state().length / 2), saved.savedAt()));
                default -> q = q.window(7);
            }
            storage.readsFrom.clear();
            FeatureStream s = q.stream();
            assertThat(storage.readsFrom).as(change).contains(all.ts(0));
            FeatureStream replayed = store.forSet("tech_v2").timeframe(M5).window(q.windowSize()).stream(history);
            assertThat(s.state()).as(change).isEqualTo(replayed.state());
        }
    }

    @Test
    @DisplayName("a checkpoint is saved with each build and each streamed row, the last one winning")
    void savedWithBuildsAndRows() {
        CandleSeries all = TestCandles.randomWalk(8, 900, Timeframe.ONE_MINUTE, false);
        try (Store store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build()) {
            store.candles().upsert(all.slice(0, 600));
            StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid(all.secid());
            assertThat(store.storage().streamCheckpoint("tech_v2", M5, all.secid())).isEmpty();
            q.build();
            StreamCheckpoint built = store.storage().streamCheckpoint("tech_v2", M5, all.secid()).orElseThrow();
            assertThat(built.lastCandleTs()).isEqualTo(all.ts(599));
            assertThat(built.fingerprint()).isEqualTo(store.registry().fingerprint("tech_v2"));
            FeatureStream s = q.stream();
            long lastRowCandle = Long.MIN_VALUE;
            for (int i = 600; i < 700; i++) {
                store.candles().upsert(all.slice(i, i + 1));
                if (offer(s, all, i)) {
                    lastRowCandle = all.ts(i);
                }
            }
            assertThat(store.storage().streamCheckpoint("tech_v2", M5, all.secid()).orElseThrow().lastCandleTs())
                    .isEqualTo(lastRowCandle);
            q.build(); // a build over the stored candles saves its state: the last one wins
            assertThat(store.storage().streamCheckpoint("tech_v2", M5, all.secid()).orElseThrow().lastCandleTs())
                    .isEqualTo(all.ts(699));
            assertThat(Instant.ofEpochMilli(built.lastCandleTs())).isBefore(Instant.ofEpochMilli(all.ts(699)));
        }
    }
}
