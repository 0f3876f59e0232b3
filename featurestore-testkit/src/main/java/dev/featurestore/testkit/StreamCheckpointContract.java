package dev.featurestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.ForwardingFeatureStorage;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.stream.FeatureStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of stream checkpoints, for a storage that keeps them ({@link
 * FeatureStorage#keepsStreamCheckpoints()}): a stored stream resumes from the state saved with a
 * build or with its last row, reading only the stored candles after it, and gives the same rows,
 * bit for bit, as a stream replayed from the whole history and as the batch computation, over
 * many seeded series (a restart at a random point included).
 *
 * <p>Extend it and implement {@link #openStorage(Path)}; the contract wraps the storage to see
 * which candles each stream reads.
 */
public abstract class StreamCheckpointContract {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");

    /** A fresh temporary directory for each test, for a subclass to open its storage in. */
    @TempDir
    protected Path dir;

    /** A contract; JUnit makes one per test. */
    protected StreamCheckpointContract() {
    }

    /**
     * A fresh, empty storage of the implementation under test, with files (if any) under
     * {@code dir}; the contract closes it.
     *
     * @param dir a fresh directory for the storage's files
     * @return the storage
     * @throws Exception when the storage cannot be opened
     */
    protected abstract FeatureStorage openStorage(Path dir) throws Exception;

    /** {@return the seeds of the property, 1 to 40} */
    protected static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    /** Notes where each read of candles starts. */
    private static final class Reads extends ForwardingFeatureStorage {
        final List<Long> from = new ArrayList<>();

        Reads(FeatureStorage delegate) {
            super(delegate);
        }

        @Override
        public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
            from.add(fromTs);
            return super.readCandles(secid, timeframe, fromTs, toTs);
        }
    }

    private static boolean offer(FeatureStream s, CandleSeries c, int i) {
        return s.offer(c.ts(i), c.open(i), c.high(i), c.low(i), c.close(i), c.volume(i));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Resumed from saved state, reading only the candles after it: the rows of a stream replayed from all history and of batch, bit for bit")
    void resumedEqualsReplayedAndBatch(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        CandleSeries all = RandomCandles.series("RESUME", M1, 900 + random.nextInt(300), seed);
        int cut = 300 + random.nextInt(400);
        int restart = cut + 20 + random.nextInt(all.size() - cut - 40);
        Reads storage = new Reads(openStorage(dir));
        try (Store store = FeatureStore.builder().registry(FeatureRegistry.builtin()).storage(storage).build()) {
            assertThat(storage.keepsStreamCheckpoints()).as("the storage keeps stream checkpoints").isTrue();
            store.candles().upsert(all.slice(0, cut));
            StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid(all.secid());
            q.build();
            storage.from.clear();
            FeatureStream resumed = q.stream();
            assertThat(storage.from).as("seed %d: no read from the history start", seed).doesNotContain(all.ts(0));
            FeatureStream replayed = store.forSet("tech_v2").timeframe(M5).stream(all.slice(0, cut));
            assertThat(resumed.state()).as("seed %d", seed).isEqualTo(replayed.state());
            FeatureFrame batch = store.forSet("tech_v2").timeframe(M5).computeAllRows(all);
            int rows = 0;
            for (int i = cut; i < all.size(); i++) {
                if (i == restart) {
                    storage.from.clear();
                    resumed = q.stream();
                    assertThat(storage.from).as("seed %d: restart at %d", seed, i).doesNotContain(all.ts(0));
                }
                store.candles().upsert(all.slice(i, i + 1));
                boolean emitted = offer(resumed, all, i);
                assertThat(emitted).isEqualTo(offer(replayed, all, i));
                if (!emitted) {
                    continue;
                }
                rows++;
                int r = Arrays.binarySearch(batch.timestamps(), resumed.lastTs());
                assertThat(resumed.lastTs()).as("seed %d", seed).isEqualTo(replayed.lastTs());
                assertThat(r).as("seed %d: batch row of %d", seed, resumed.lastTs()).isGreaterThanOrEqualTo(0);
                for (int j = 0; j < batch.featureNames().size(); j++) {
                    String what = "seed " + seed + ", candle " + i + ", " + batch.featureNames().get(j);
                    long bits = Double.doubleToRawLongBits(resumed.lastValue(j));
                    assertThat(bits).as(what).isEqualTo(Double.doubleToRawLongBits(replayed.lastValue(j)));
                    assertThat(bits).as(what).isEqualTo(Double.doubleToRawLongBits(batch.value(r, j)));
                }
            }
            assertThat(rows).as("seed %d", seed).isGreaterThan(10);
        }
    }
}
