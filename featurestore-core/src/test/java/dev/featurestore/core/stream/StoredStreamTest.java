package dev.featurestore.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A stream over the store: from the stored history, each row into the fact layer")
class StoredStreamTest {

    private static void assertSameFrames(FeatureFrame got, FeatureFrame want) {
        assertThat(got.size()).isEqualTo(want.size());
        assertThat(got.timestamps()).isEqualTo(want.timestamps());
        for (int j = 0; j < want.featureNames().size(); j++) {
            assertThat(StreamPropertiesTest.bits(got.column(j))).as(want.featureNames().get(j))
                    .isEqualTo(StreamPropertiesTest.bits(want.column(j)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    @DisplayName("rows streamed after the stored history are readable at once, and an ingest plus build changes none of them")
    void streamThenBuild(long seed) {
        CandleSeries all = TestCandles.randomWalk(seed, 900, Timeframe.ONE_MINUTE, seed % 2 == 0);
        int cut = 400 + (int) seed * 37;
        try (Store store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build()) {
            store.candles().upsert(all.slice(0, cut));
            StoredQuery q = store.forSet("tech_v2").timeframe("5m").secid(all.secid());
            q.build();
            FeatureStream stream = q.stream();
            List<FeatureRow> rows = new ArrayList<>();
            for (int i = cut; i < all.size(); i++) {
                stream.accept(new Candle(all.ts(i), all.open(i), all.high(i), all.low(i), all.close(i),
                        all.volume(i))).ifPresent(rows::add);
            }
            assertThat(rows).isNotEmpty();
            long firstStreamed = rows.get(0).ts();
            Instant from = Instant.ofEpochMilli(firstStreamed);
            Instant end = Instant.ofEpochMilli(rows.get(rows.size() - 1).ts() + 300_000);
            FeatureFrame streamed = q.between(from, end).frame();
            assertThat(streamed.size()).isEqualTo(rows.size());
            for (int r = 0; r < rows.size(); r++) {
                StreamPropertiesTest.assertSameRow("stored row " + r, rows.get(r), streamed, r);
            }
            FeatureFrame before = q.between(Instant.EPOCH, end).frame();
            // the batch over the same candles gives the same rows
            FeatureFrame batch = store.forSet("tech_v2").timeframe("5m").compute(all);
            int offset = batch.size() - before.size();
            assertSameFrames(before, batch.rows(offset, batch.size()));
            // ingest the same candles and build: nothing changes
            store.candles().upsert(all);
            q.build();
            assertSameFrames(q.between(Instant.EPOCH, end).frame(), before);
        }
    }

    @Test
    @DisplayName("without stored candles the stream starts empty; its rows equal a later ingest plus build")
    void emptyStore() {
        CandleSeries all = TestCandles.randomWalk(9, 600, Timeframe.ONE_MINUTE, true);
        try (Store store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build()) {
            StoredQuery q = store.forSet("tech_v2").timeframe("5m").secid(all.secid());
            FeatureStream stream = q.stream();
            for (int i = 0; i < all.size(); i++) {
                stream.offer(all.ts(i), all.open(i), all.high(i), all.low(i), all.close(i), all.volume(i));
            }
            FeatureFrame streamed = q.frame();
            FeatureFrame batch = store.forSet("tech_v2").timeframe("5m").compute(all);
            assertSameFrames(streamed, batch);
            assertThat(store.storage().builds("tech_v2", Timeframe.parse("5m"), all.secid()))
                    .allSatisfy(b -> assertThat(b.historyStartTs()).isEqualTo(Math.floorDiv(all.ts(0), 300_000L)
                            * 300_000L));
            store.candles().upsert(all);
            q.build();
            assertSameFrames(q.frame(), streamed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"between", "two secids", "no timeframe"})
    @DisplayName("the parts a stored stream does not use are refused")
    void refusesParts(String part) {
        try (Store store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build()) {
            store.candles().upsert(TestCandles.randomWalk(1, 100, Timeframe.ONE_MINUTE, false));
            StoredQuery q = switch (part) {
                case "between" -> store.forSet("tech_v2").timeframe("5m").secid("RND1").between(Instant.EPOCH,
                        Instant.now());
                case "two secids" -> store.forSet("tech_v2").timeframe("5m").secids("RND1", "RND2");
                default -> store.forSet("tech_v2").secid("RND1");
            };
            assertThatThrownBy(q::stream).isInstanceOf(InvalidQueryException.class);
        }
    }
}
