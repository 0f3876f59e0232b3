package dev.featurestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.stream.FeatureStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every storage implementation fulfils, as seen through the public API of a
 * {@link Store}: idempotent candle ingest, exact read-back, builds equal to the in-memory
 * computation, incremental builds equal to one full build bit for bit, rows streamed from the
 * stored history equal to a later build and kept under one build record per stream, streams
 * resumed from saved state equal to streams replayed from all history, as-of window reads that
 * respect {@code available_at}, hostile names stored verbatim or rejected (never executed),
 * atomic builds under an injected failure, concurrent builds of two feature sets, and the rules
 * every storage shares: an unknown option refused, every call after close refused, a build's own
 * {@code finished_at} kept, builds listed in the order they were recorded.
 *
 * <p>Extend it and implement {@link #openStore(Path, Map)}; JUnit runs every test against your
 * storage. Random series are seeded; the seed is in each test's display name. Set the system
 * property {@value #SEED_PROPERTY} to add a seed of your own (by default one is drawn and printed).
 */
public abstract class FeatureStorageContract {
    /** A system property adding one seed to the fixed ones. */
    public static final String SEED_PROPERTY = "featurestore.seed";

    /** Names that would break a query built by string concatenation. */
    protected static final List<String> HOSTILE_NAMES = List.of("O'Brien", "\"quoted\"", "semi;colon",
            "x'; DROP TABLE candles; --", "x' OR '1'='1", "-- comment", "../../etc/passwd", "nul\u0000byte",
            "back\\slash", "%_like*", "\u00fcn\u00ef\u00e7\u00f8d\u00e9 \u4e2d");

    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");

    /** A fresh temporary directory for each test, for a subclass to open its storage in. */
    @TempDir
    protected Path dir;

    /** The store under test, opened before each test on a fresh database. */
    protected Store store;

    /**
     * A store on a fresh, empty database of the implementation under test, with files (if any)
     * under {@code dir}. Called once before each test; the contract closes it. By default
     * {@link #openStore(Path, Map)} with no options.
     *
     * @param dir a fresh directory for the storage's files
     * @return the store
     * @throws Exception when the store cannot be opened
     */
    protected Store openStore(Path dir) throws Exception {
        return openStore(dir, Map.of());
    }

    /**
     * Like {@link #openStore(Path)}, with {@code options} given to the store's builder as
     * {@code option(key, value)} on top of the implementation's own (an in-memory store passes
     * them too: its builder refuses them). The contract checks that an unknown option is refused.
     *
     * @param dir a fresh directory for the storage's files
     * @param options backend options to add
     * @return the store
     * @throws Exception when the store cannot be opened, e.g. for an unknown option
     */
    protected abstract Store openStore(Path dir, Map<String, String> options) throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore(dir);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /**
     * {@return the seeds of the property tests: fixed ones plus one drawn (or given in
     * {@value #SEED_PROPERTY}) and printed}
     */
    protected static Stream<Long> seeds() {
        String given = System.getProperty(SEED_PROPERTY);
        long extra = given != null ? Long.parseLong(given) : System.nanoTime();
        System.out.println("FeatureStorageContract: extra seed " + extra + " (rerun with -D" + SEED_PROPERTY + "="
                + extra + ")");
        return Stream.of(1L, 42L, 20240102L, extra);
    }

    // ---------------------------------------------------------------- candles

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Upserting the same candles twice stores them once")
    void upsertIsIdempotent(long seed) {
        CandleSeries series = RandomCandles.series("SBER", M1, 500, seed);
        UpsertResult first = store.candles().upsert(series);
        UpsertResult second = store.candles().upsert(series);
        assertThat(first).as("seed %d", seed).isEqualTo(new UpsertResult(500, 0, 0));
        assertThat(second).as("seed %d", seed).isEqualTo(new UpsertResult(0, 0, 500));
        assertThat(store.candles().readAll("SBER", M1).size()).isEqualTo(500);
        assertSameCandles(store.candles().readAll("SBER", M1), series);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A changed candle replaces the stored one and is counted as replaced")
    void changedCandleReplaces(long seed) {
        CandleSeries series = RandomCandles.series("SBER", M1, 300, seed);
        store.candles().upsert(series.slice(0, 200));
        CandleSeries changed = RandomCandles.withChangedClose(RandomCandles.withChangedClose(series, 17, 1.01), 150,
                0.99);
        UpsertResult result = store.candles().upsert(changed);
        assertThat(result).as("seed %d", seed).isEqualTo(new UpsertResult(100, 2, 198));
        assertSameCandles(store.candles().readAll("SBER", M1), changed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Candles read back bit for bit, by secid, timeframe and a half-open time range")
    void candlesReadBackExactly(long seed) {
        CandleSeries a = RandomCandles.series("SBER", M1, 400, seed);
        CandleSeries b = RandomCandles.series("GAZP", M1, 100, seed + 1);
        CandleSeries c = RandomCandles.series("SBER", M5, 50, seed + 2);
        store.candles().upsert(a);
        store.candles().upsert(b);
        store.candles().upsert(c);
        assertSameCandles(store.candles().readAll("SBER", M1), a);
        assertSameCandles(store.candles().readAll("GAZP", M1), b);
        assertSameCandles(store.candles().readAll("SBER", M5), c);
        Instant from = Instant.ofEpochMilli(a.ts(100));
        Instant to = Instant.ofEpochMilli(a.ts(250));
        assertSameCandles(store.candles().read("SBER", M1, from, to), a.slice(100, 250));
        assertThat(store.candles().read("LKOH", M1, from, to).size()).isZero();
        assertThat(store.candles().timeframes("SBER")).containsExactly(M1, M5);
    }

    // ---------------------------------------------------------------- builds

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A build stores exactly what the in-memory computation gives, native and resampled")
    void buildEqualsInMemoryComputation(long seed) {
        CandleSeries fiveMinute = RandomCandles.series("NATIVE", M5, 400, seed);
        CandleSeries oneMinute = RandomCandles.series("RESAMPLED", M1, 2003, seed + 1);
        store.candles().upsert(fiveMinute);
        store.candles().upsert(oneMinute);

        List<BuildRecord> records = store.forSet("tech_v1").timeframe(M5).secids("NATIVE", "RESAMPLED").build();
        assertThat(records).extracting(BuildRecord::secid).containsExactly("NATIVE", "RESAMPLED");

        FeatureFrame expectedNative = store.forSet("tech_v1").timeframe(M5).compute(fiveMinute);
        FeatureFrame expectedResampled = store.forSet("tech_v1").timeframe(M5).compute(oneMinute);
        assertSameFrame(store.forSet("tech_v1").timeframe(M5).secid("NATIVE").frame(), expectedNative);
        assertSameFrame(store.forSet("tech_v1").timeframe(M5).secid("RESAMPLED").frame(), expectedResampled);
        assertThat(records.get(0).rows()).isEqualTo(expectedNative.size()).isEqualTo(400 - 33);
        assertThat(records.get(0).historyStartTs()).isEqualTo(fiveMinute.ts(0));
        assertThat(records.get(1).rows()).isEqualTo(expectedResampled.size());
        // 2003 one-minute candles: 400 full buckets and a still-forming one that is never stored;
        // the range built ends (exclusive) where the last full bucket closes
        assertThat(records.get(1).toTs()).isEqualTo(oneMinute.ts(1995) + M5.millis());
        assertThat(records.get(0).toTs()).isEqualTo(fiveMinute.ts(399) + M5.millis());
    }

    @Test
    @DisplayName("A build records its half-open range, history start, row count and window size")
    void buildIsRecorded() {
        CandleSeries series = RandomCandles.series("SBER", M5, 200, 5);
        store.candles().upsert(series);
        Instant from = Instant.ofEpochMilli(series.ts(50));
        Instant to = Instant.ofEpochMilli(series.ts(120));
        BuildRecord record = store.forSet("tech_v2").timeframe(M5).window(30).secid("SBER").between(from, to).build()
                .get(0);
        assertThat(record.featureSet()).isEqualTo("tech_v2");
        assertThat(record.timeframe()).isEqualTo(M5);
        assertThat(record.fromTs()).isEqualTo(series.ts(50));
        assertThat(record.toTs()).isEqualTo(series.ts(120));
        assertThat(record.historyStartTs()).isEqualTo(series.ts(0));
        assertThat(record.rows()).isEqualTo(70); // open times ts[50] .. ts[119]
        assertThat(record.windowSize()).isEqualTo(30);
        assertThat(record.status()).isEqualTo(BuildRecord.Status.COMPLETED);
        List<BuildRecord> stored = store.storage().builds("tech_v2", M5, "SBER");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).fromTs()).isEqualTo(record.fromTs());
        assertThat(stored.get(0).toTs()).isEqualTo(record.toTs());
        assertThat(stored.get(0).rows()).isEqualTo(70);
        assertThat(stored.get(0).historyStartTs()).isEqualTo(record.historyStartTs());
        assertThat(stored.get(0).windowSize()).isEqualTo(30);
        FeatureFrame built = store.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
        assertThat(built.size()).isEqualTo(70);
        assertThat(built.ts(0)).isEqualTo(series.ts(50));
        assertThat(built.ts(69)).isEqualTo(series.ts(119));
    }

    @Test
    @DisplayName("A build keeps the feature set's fingerprint, and a build record's fingerprint (or none) reads back as written")
    void buildKeepsFingerprint() {
        CandleSeries series = RandomCandles.series("SBER", M5, 200, 9);
        store.candles().upsert(series);
        String fingerprint = store.registry().fingerprint("tech_v2");
        assertThat(store.forSet("tech_v2").timeframe(M5).secid("SBER").build().get(0).fingerprint())
                .isEqualTo(fingerprint);
        assertThat(store.storage().builds("tech_v2", M5, "SBER")).extracting(BuildRecord::fingerprint)
                .containsExactly(fingerprint);
        FeatureFrame frame = store.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
        Instant at = Instant.now().plusSeconds(60);
        String other = "0123456789abcdef".repeat(4);
        for (String fp : new String[] {other, null}) {
            at = at.plusSeconds(60);
            store.storage().writeBuild(new BuildRecord("tech_v2", M5, "SBER", frame.ts(0), frame.ts(frame.size() - 1) + 1,
                    series.ts(0), frame.size(), 120, at, at.plusSeconds(1), BuildRecord.Status.COMPLETED, fp), frame);
        }
        assertThat(store.storage().builds("tech_v2", M5, "SBER")).extracting(BuildRecord::fingerprint)
                .containsExactly(fingerprint, other, null);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Rebuilding the same range changes nothing")
    void rebuildChangesNothing(long seed) {
        CandleSeries series = RandomCandles.series("SBER", M1, 1500, seed);
        store.candles().upsert(series);
        Instant from = Instant.ofEpochMilli(series.ts(400));
        Instant to = Instant.ofEpochMilli(series.ts(1200));
        StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid("SBER");
        BuildRecord first = q.between(from, to).build().get(0);
        FeatureFrame before = q.frame();
        BuildRecord second = q.between(from, to).build().get(0);
        assertSameFrame(q.frame(), before);
        assertThat(second.rows()).isEqualTo(first.rows());
        assertThat(store.storage().builds("tech_v2", M5, "SBER")).hasSize(2);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("An earlier range then a later one, candles arriving in between, equals one full build bit for bit")
    void incrementalEqualsFullBuild(long seed) {
        int n = 3000;
        CandleSeries incremental = RandomCandles.series("INC", M1, n, seed);
        CandleSeries full = RandomCandles.series("FULL", M1, n, seed);
        store.candles().upsert(full);
        store.forSet("tech_v2").timeframe(M5).secid("FULL").build();

        int firstPart = 1200 + new java.util.SplittableRandom(seed).nextInt(1200);
        store.candles().upsert(incremental.slice(0, firstPart));
        long cut = Math.floorDiv(incremental.ts(firstPart - 20), M5.millis()) * M5.millis();
        StoredQuery inc = store.forSet("tech_v2").timeframe(M5).secid("INC");
        inc.between(Instant.ofEpochMilli(incremental.ts(0)), Instant.ofEpochMilli(cut)).build();
        store.candles().upsert(incremental.slice(firstPart - 100, n));
        // the two half-open ranges [first, cut) and [cut, end) meet without a gap or an overlap
        BuildRecord later = inc.between(Instant.ofEpochMilli(cut), Instant.ofEpochMilli(incremental.ts(n - 1) + 1))
                .build().get(0);
        assertThat(later.fromTs()).isEqualTo(cut);
        assertThat(later.historyStartTs()).isEqualTo(incremental.ts(0));

        FeatureFrame expected = store.forSet("tech_v2").timeframe(M5).secid("FULL").frame();
        FeatureFrame actual = inc.frame();
        assertThat(actual.size()).as("seed %d", seed).isEqualTo(expected.size()).isGreaterThan(500);
        assertSameValues(actual, expected, "seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A stream from the stored history writes each row at once, all under one build record per stream; an ingest plus build afterwards changes none")
    void streamKeepsOneBuildRecord(long seed) {
        int n = 1400;
        CandleSeries series = RandomCandles.series("ONE", M1, n, seed);
        int cut = 500 + new java.util.SplittableRandom(seed).nextInt(300);
        store.candles().upsert(series.slice(0, cut));
        StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid("ONE");
        BuildRecord built = q.build().get(0);
        FeatureStream stream = q.stream();
        long firstRow = Long.MIN_VALUE;
        int rows = 0;
        int half = cut + (n - cut) / 2;
        for (int i = cut; i < half; i++) {
            if (offer(stream, series, i)) {
                firstRow = rows == 0 ? stream.lastTs() : firstRow;
                rows++;
                // in the fact layer before offer returned
                FeatureWindow w = q.window(1).asOf(Instant.ofEpochMilli(stream.lastTs() + M5.millis())).fetch();
                assertThat(w.ts(0)).as("seed %d", seed).isEqualTo(stream.lastTs());
                for (int j = 0; j < w.features(); j++) {
                    assertThat(Double.doubleToRawLongBits(w.get(0, j)))
                            .isEqualTo(Double.doubleToRawLongBits(stream.lastValue(j)));
                }
            }
        }
        assertThat(rows).as("seed %d", seed).isGreaterThan(40);
        List<BuildRecord> builds = store.storage().builds("tech_v2", M5, "ONE");
        assertThat(builds).as("seed %d: the build and one record for the stream", seed).hasSize(2);
        BuildRecord streamed = builds.get(1);
        assertThat(streamed.rows()).isEqualTo(rows);
        assertThat(streamed.fromTs()).isEqualTo(firstRow);
        assertThat(streamed.toTs()).isEqualTo(stream.lastTs() + M5.millis());
        assertThat(streamed.historyStartTs()).isEqualTo(built.historyStartTs());
        assertThat(streamed.fingerprint()).isEqualTo(built.fingerprint());
        assertThat(streamed.status()).isEqualTo(BuildRecord.Status.COMPLETED);
        assertThat(dev.featurestore.core.snapshot.SnapshotLog.historyStarts(store.storage(), List.of(q.frame())))
                .as("seed %d: the history start an export records", seed)
                .containsEntry("ONE", built.historyStartTs());
        // a build in between: the stream's next rows start a record of their own
        store.candles().upsert(series.slice(0, half));
        q.build();
        FeatureStream again = q.stream();
        for (int i = half; i < n; i++) {
            offer(again, series, i);
        }
        assertThat(store.storage().builds("tech_v2", M5, "ONE")).as("seed %d", seed).hasSize(4);
        FeatureFrame before = q.frame();
        store.candles().upsert(series);
        q.build();
        assertSameFrame(q.frame(), before);
        assertSameValues(before, store.forSet("tech_v2").timeframe(M5).compute(series), "seed " + seed);
        assertThat(store.storage().builds("tech_v2", M5, "ONE")).hasSize(5);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A stream resumes from the state saved with a build or a stream's row: the same rows, bit for bit, as one replayed from all history and as batch")
    void streamResumesFromSavedState(long seed) {
        int n = 1500;
        CandleSeries series = RandomCandles.series("CKPT", M1, n, seed);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int cut = 400 + random.nextInt(400);
        int restart = cut + 50 + random.nextInt(n - cut - 100);
        store.candles().upsert(series.slice(0, cut));
        StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid("CKPT");
        q.build();
        FeatureStorage storage = store.storage();
        if (storage.keepsStreamCheckpoints()) {
            assertThat(storage.streamCheckpoint("tech_v2", M5, "CKPT")).as("seed %d: saved with the build", seed)
                    .hasValueSatisfying(c -> assertThat(c.lastCandleTs()).isEqualTo(series.ts(cut - 1)));
        }
        // the stream that never stopped, from the whole history, without a store
        FeatureStream replayed = store.forSet("tech_v2").timeframe(M5).stream(series.slice(0, cut));
        FeatureStream resumed = q.stream();
        assertThat(resumed.state()).as("seed %d: resumed state", seed).isEqualTo(replayed.state());
        for (int i = cut; i < n; i++) {
            if (i == restart) {
                resumed = q.stream(); // a restart: from the state the last row saved
                assertThat(resumed.state()).as("seed %d: state after a restart at %d", seed, i)
                        .isEqualTo(replayed.state());
            }
            store.candles().upsert(series.slice(i, i + 1));
            boolean emitted = offer(resumed, series, i);
            assertThat(emitted).isEqualTo(offer(replayed, series, i));
            if (emitted) {
                assertThat(resumed.lastTs()).isEqualTo(replayed.lastTs());
                for (int j = 0; j < replayed.featureNames().size(); j++) {
                    assertThat(Double.doubleToRawLongBits(resumed.lastValue(j))).as("seed %d, candle %d, %s", seed,
                            i, replayed.featureNames().get(j))
                            .isEqualTo(Double.doubleToRawLongBits(replayed.lastValue(j)));
                }
            }
        }
        if (storage.keepsStreamCheckpoints()) {
            assertThat(storage.streamCheckpoint("tech_v2", M5, "CKPT")).as("seed %d: saved with the last row", seed)
                    .hasValueSatisfying(c -> assertThat(c.lastCandleTs()).isGreaterThan(series.ts(restart)));
        }
        FeatureFrame stored = q.frame();
        assertSameValues(stored, store.forSet("tech_v2").timeframe(M5).compute(series), "seed " + seed);
        q.build();
        assertSameFrame(q.frame(), stored);
    }

    /** Hands candle {@code i} of {@code c} to the stream; true when a row was emitted. */
    private static boolean offer(FeatureStream s, CandleSeries c, int i) {
        return s.offer(c.ts(i), c.open(i), c.high(i), c.low(i), c.close(i), c.volume(i));
    }

    // ---------------------------------------------------------------- reads

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("fetch() as of T returns the rows available by T, never a still-forming candle")
    void fetchRespectsAvailableAt(long seed) {
        CandleSeries series = RandomCandles.series("SBER", M5, 600, seed);
        store.candles().upsert(series);
        store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
        FeatureFrame all = store.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
        int w = 120;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int k = 0; k < 20; k++) {
            int row = w + random.nextInt(all.size() - w);
            long ts = all.ts(row);
            StoredQuery q = store.forSet("tech_v2").timeframe(M5).window(w).secid("SBER");
            FeatureWindow justBefore = q.asOf(Instant.ofEpochMilli(ts + M5.millis() - 1)).fetch();
            FeatureWindow atClose = q.asOf(Instant.ofEpochMilli(ts + M5.millis())).fetch();
            assertThat(justBefore.ts(w - 1)).as("seed %d row %d", seed, row).isEqualTo(all.ts(row - 1));
            assertThat(atClose.ts(w - 1)).as("seed %d row %d", seed, row).isEqualTo(ts);
            assertWindowMatchesFrame(atClose, all, row);
            FeatureWindow computed = store.forSet("tech_v2").timeframe(M5).window(w)
                    .asOf(Instant.ofEpochMilli(ts + M5.millis() + M5.millis() / 2)).latest(series);
            assertThat(bits(atClose.toFlatArray())).isEqualTo(bits(computed.toFlatArray()));
            assertThat(atClose.timestamps()).isEqualTo(computed.timestamps());
        }
    }

    @Test
    @DisplayName("A resampled build never stores the still-forming last bucket")
    void resampledBuildDropsFormingBucket() {
        CandleSeries oneMinute = RandomCandles.series("SBER", M1, 1000 + 3, 9);
        store.candles().upsert(oneMinute);
        store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
        FeatureWindow latest = store.forSet("tech_v2").timeframe(M5).window(10).secid("SBER").fetchLatest();
        long formingBucket = Math.floorDiv(oneMinute.ts(1002), M5.millis()) * M5.millis();
        assertThat(latest.ts(9)).isEqualTo(formingBucket - M5.millis());
    }

    @Test
    @DisplayName("Too few stored rows for the window is an error that says how many there are")
    void insufficientRows() {
        CandleSeries series = RandomCandles.series("SBER", M5, 33 + 50, 3);
        store.candles().upsert(series);
        store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
        StoredQuery q = store.forSet("tech_v1").timeframe(M5).secid("SBER").window(60);
        assertThatThrownBy(q::fetchLatest).isInstanceOfSatisfying(InsufficientHistoryException.class, e -> {
            assertThat(e.required()).isEqualTo(60);
            assertThat(e.available()).isEqualTo(50);
        }).hasMessageContaining("60").hasMessageContaining("50");
        Instant early = Instant.ofEpochMilli(series.ts(40));
        assertThatThrownBy(() -> q.asOf(early).fetch()).isInstanceOfSatisfying(InsufficientHistoryException.class,
                e -> assertThat(e.available()).isEqualTo(40 - 33));
        assertThat(q.window(50).fetchLatest().rows()).isEqualTo(50);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("frame() between two times returns the stored rows of that half-open range")
    void frameBetween(long seed) {
        CandleSeries series = RandomCandles.series("SBER", M5, 500, seed);
        store.candles().upsert(series);
        store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
        FeatureFrame all = store.forSet("tech_v1").timeframe(M5).secid("SBER").frame();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int k = 0; k < 10; k++) {
            int a = random.nextInt(all.size());
            int b = a + random.nextInt(all.size() - a);
            FeatureFrame part = store.forSet("tech_v1").timeframe(M5).secid("SBER")
                    .between(all.openTime(a), all.openTime(b)).frame();
            assertSameFrame(part, all.rows(a, b));
            assertThat(part.size()).as("seed %d", seed).isEqualTo(b - a);
            FeatureFrame through = store.forSet("tech_v1").timeframe(M5).secid("SBER")
                    .between(all.openTime(a), all.openTime(b).plusMillis(1)).frame();
            assertSameFrame(through, all.rows(a, b + 1));
            if (b > a) {
                FeatureFrame inner = store.forSet("tech_v1").timeframe(M5).secid("SBER")
                        .between(all.openTime(a).plusMillis(1), all.openTime(b).minusMillis(1)).frame();
                assertThat(inner.size()).as("seed %d, rows %d..%d", seed, a, b).isEqualTo(b - a - 1);
            }
        }
        assertThat(all.kinds()).endsWith(FeatureKind.CATEGORICAL, FeatureKind.CATEGORICAL);
        assertThat(all.featureNames()).isEqualTo(store.forSet("tech_v1").featureNames());
    }

    @Test
    @DisplayName("Terminals check the query: timeframe, secids, a timeframe the set allows, stored candles")
    void terminalsCheckTheQuery() {
        store.candles().upsert(RandomCandles.series("SBER", Timeframe.parse("1h"), 100, 1));
        assertThatThrownBy(() -> store.forSet("tech_v1").secid("SBER").build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("timeframe");
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe(M1).secid("SBER").build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("1m").hasMessageContaining("5m");
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe(M5).secid("SBER").build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("SBER").hasMessageContaining("1h");
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe(M5).secids("SBER", "GAZP").fetchLatest())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("one secid");
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe(M5).secid("NOPE").build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("NOPE");
    }

    // ---------------------------------------------------------------- hostile input

    @Test
    @DisplayName("Hostile secids are stored verbatim and read back exactly, or rejected clearly; never executed")
    void hostileSecids() {
        CandleSeries safe = RandomCandles.series("SAFE", M5, 200, 11);
        store.candles().upsert(safe);
        store.forSet("tech_v1").timeframe(M5).secid("SAFE").build();
        FeatureFrame safeFrame = store.forSet("tech_v1").timeframe(M5).secid("SAFE").frame();
        for (String name : HOSTILE_NAMES) {
            CandleSeries hostile = rename(safe, name);
            Throwable failure = catchThrowable(() -> {
                store.candles().upsert(hostile);
                assertSameCandles(store.candles().readAll(name, M5), hostile);
                store.forSet("tech_v1").timeframe(M5).secid(name).build();
                FeatureFrame back = store.forSet("tech_v1").timeframe(M5).secid(name).frame();
                assertThat(back.secid()).isEqualTo(name);
                assertSameValues(back, safeFrame, name);
                assertThat(store.forSet("tech_v1").timeframe(M5).window(20).secid(name).fetch().secid())
                        .isEqualTo(name);
            });
            assertRejectedClearlyOrNothing(failure, name);
        }
        assertSameCandles(store.candles().readAll("SAFE", M5), safe);
        assertSameFrame(store.forSet("tech_v1").timeframe(M5).secid("SAFE").frame(), safeFrame);
    }

    @Test
    @DisplayName("Hostile feature-set and feature names are stored verbatim and read back exactly, or rejected clearly")
    void hostileSetAndFeatureNames() {
        for (String name : HOSTILE_NAMES) {
            List<String> features = List.of(name, name + "_2", "plain");
            long[] ts = {RandomCandles.START, RandomCandles.START + M5.millis()};
            double[][] columns = {{1.5, -2.25}, {Math.PI, Double.MIN_VALUE}, {0, 1}};
            FeatureFrame frame = FeatureFrame.of("SBER", name, M5, features,
                    List.of(FeatureKind.NUMERIC, FeatureKind.NUMERIC, FeatureKind.CATEGORICAL), ts, columns);
            BuildRecord record = new BuildRecord(name, M5, "SBER", ts[0], ts[1] + 1, ts[0], 2, 2, Instant.now(),
                    Instant.now(), BuildRecord.Status.COMPLETED, store.registry().fingerprint("tech_v2"));
            Throwable failure = catchThrowable(() -> {
                store.storage().writeBuild(record, frame);
                FeatureFrame back = store.storage().readFeatures(name, features, "SBER", M5, Long.MIN_VALUE,
                        Long.MAX_VALUE);
                assertSameFrame(back, frame);
                assertThat(back.kinds()).isEqualTo(frame.kinds());
                FeatureWindow window = store.storage().readWindow(name, List.of("plain", name), "SBER", M5,
                        ts[1], 2);
                assertThat(window.featureNames()).containsExactly("plain", name);
                assertThat(window.get(1, 1)).isEqualTo(-2.25);
                assertThat(store.storage().builds(name, M5, "SBER")).extracting(BuildRecord::featureSet)
                        .containsExactly(name);
            });
            assertRejectedClearlyOrNothing(failure, name);
        }
        CandleSeries safe = RandomCandles.series("SAFE", M5, 100, 12);
        assertThat(store.candles().upsert(safe).inserted()).isEqualTo(100);
    }

    private static void assertRejectedClearlyOrNothing(Throwable failure, String name) {
        if (failure == null) {
            return;
        }
        if (failure instanceof AssertionError) {
            throw (AssertionError) failure;
        }
        assertThat(failure).as("failure for name %s", printable(name))
                .isInstanceOfAny(FeatureStoreException.class, IllegalArgumentException.class);
        assertThat(failure.getMessage()).as("message for name %s", printable(name)).isNotBlank();
    }

    private static String printable(String s) {
        return s.replace("\u0000", "\\0");
    }

    // ---------------------------------------------------------------- faults and concurrency

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A build failing after half its rows leaves the previous state intact")
    void failedBuildLeavesPreviousState(long seed) {
        CandleSeries series = RandomCandles.series("SBER", M5, 400, seed);
        store.candles().upsert(series);
        StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid("SBER");
        q.build();
        FeatureFrame before = q.frame();
        FeatureWindow windowBefore = q.window(50).fetchLatest();

        double[][] changed = new double[before.featureNames().size()][];
        for (int j = 0; j < changed.length; j++) {
            changed[j] = before.column(j);
            if (before.kinds().get(j) == FeatureKind.NUMERIC) {
                for (int r = 0; r < changed[j].length; r++) {
                    changed[j][r] = changed[j][r] * 2 + 1;
                }
            }
        }
        FeatureFrame replacement = FeatureFrame.of("SBER", "tech_v2", M5, before.featureNames(), before.kinds(),
                before.timestamps(), changed);
        BuildRecord record = new BuildRecord("tech_v2", M5, "SBER", before.ts(0), before.ts(before.size() - 1) + 1,
                series.ts(0), before.size(), 120, Instant.now(), Instant.now(), BuildRecord.Status.COMPLETED,
                store.registry().fingerprint("tech_v2"));
        int half = before.size() / 2;
        RuntimeException injected = new IllegalStateException("injected failure after row " + half);
        Throwable thrown = catchThrowable(() -> store.storage().writeBuild(record, replacement, row -> {
            if (row == half) {
                throw injected;
            }
        }));
        assertThat(thrown).as("seed %d", seed).isNotNull();
        assertThat(thrown == injected || thrown.getCause() == injected).as("the injected failure surfaces").isTrue();

        assertSameFrame(q.frame(), before);
        FeatureWindow windowAfter = q.window(50).fetchLatest();
        assertThat(bits(windowAfter.toFlatArray())).isEqualTo(bits(windowBefore.toFlatArray()));
        assertThat(store.storage().builds("tech_v2", M5, "SBER")).filteredOn(
                b -> b.status() == BuildRecord.Status.COMPLETED).hasSize(1);

        // and a good write afterwards still works
        store.storage().writeBuild(record, replacement);
        assertSameFrame(q.frame(), replacement);
    }

    @Test
    @DisplayName("tech_v1 and tech_v2 builds on the same database from two threads both complete, every row present")
    void concurrentBuildsOfTwoSets() throws Exception {
        List<CandleSeries> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CandleSeries s = RandomCandles.series("S" + i, M1, 4000, 100 + i);
            all.add(s);
            store.candles().upsert(s);
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<BuildRecord>>> futures = new ArrayList<>();
            for (String set : List.of("tech_v1", "tech_v2")) {
                Callable<List<BuildRecord>> task = () -> {
                    start.await();
                    List<BuildRecord> out = new ArrayList<>();
                    for (int round = 0; round < 2; round++) {
                        out.addAll(store.forSet(set).timeframe(M5).secids("S0", "S1", "S2", "S3").build());
                    }
                    return out;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<BuildRecord>> f : futures) {
                assertThat(f.get(5, TimeUnit.MINUTES)).hasSize(8);
            }
        } finally {
            pool.shutdownNow();
        }
        for (CandleSeries s : all) {
            for (String set : List.of("tech_v1", "tech_v2")) {
                FeatureFrame expected = store.forSet(set).timeframe(M5).compute(s);
                assertSameFrame(store.forSet(set).timeframe(M5).secid(s.secid()).frame(), expected);
            }
        }
    }

    // ---------------------------------------------------------------- the rules every storage shares

    @Test
    @DisplayName("An unknown option is refused when the store opens, naming it")
    void unknownOptionRefused() {
        Throwable thrown = catchThrowable(() -> openStore(dir.resolve("other"), Map.of("no.such.option", "1"))
                .close());
        assertThat(thrown).as("opening with an unknown option").isNotNull();
        Throwable refusal = thrown;
        while (!(refusal instanceof IllegalArgumentException || refusal instanceof IllegalStateException)
                && refusal.getCause() != null) {
            refusal = refusal.getCause();
        }
        assertThat(refusal).isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class)
                .hasMessageContaining("no.such.option");
    }

    @Test
    @DisplayName("Every call after close fails with IllegalStateException saying the storage is closed; closing again is harmless")
    void useAfterClose() {
        CandleSeries series = RandomCandles.series("SBER", M5, 200, 13);
        store.candles().upsert(series);
        store.forSet("tech_v1").timeframe(M5).secid("SBER").build();
        FeatureFrame frame = store.forSet("tech_v1").timeframe(M5).secid("SBER").frame();
        BuildRecord record = store.storage().builds("tech_v1", M5, "SBER").get(0);
        FeatureStorage storage = store.storage();
        store.close();
        List<Runnable> calls = List.of(
                () -> storage.upsertCandles(series),
                () -> storage.readCandles("SBER", M5, Long.MIN_VALUE, Long.MAX_VALUE),
                () -> storage.firstCandleTs("SBER", M5),
                () -> storage.candleTimeframes("SBER"),
                () -> storage.writeBuild(record, frame),
                () -> storage.readFeatures("tech_v1", frame.featureNames(), "SBER", M5, Long.MIN_VALUE, Long.MAX_VALUE),
                () -> storage.readWindow("tech_v1", frame.featureNames(), "SBER", M5, Long.MAX_VALUE, 10),
                () -> storage.builds("tech_v1", M5, "SBER"));
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i)::run).as("call %d after close", i)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        storage.close();
    }

    @Test
    @DisplayName("A build keeps its record's own finished_at (or none); a failed write records the time it failed")
    void finishedAtIsTheRecordsOwn() {
        CandleSeries series = RandomCandles.series("SBER", M5, 200, 14);
        store.candles().upsert(series);
        StoredQuery q = store.forSet("tech_v1").timeframe(M5).secid("SBER");
        BuildRecord built = q.build().get(0);
        assertThat(store.storage().builds("tech_v1", M5, "SBER")).singleElement()
                .satisfies(b -> assertThat(b.finishedAt().toEpochMilli()).as("finished_at, to the millisecond")
                        .isEqualTo(built.finishedAt().toEpochMilli()));
        FeatureFrame frame = q.frame();
        Instant started = Instant.parse("2024-01-02T10:00:00.125Z");
        Instant finished = started.plusMillis(4321);
        String fingerprint = store.registry().fingerprint("tech_v1");
        store.storage().writeBuild(new BuildRecord("tech_v1", M5, "SBER", frame.ts(0), frame.ts(frame.size() - 1) + 1,
                series.ts(0), frame.size(), 120, started, finished, BuildRecord.Status.COMPLETED, fingerprint), frame);
        store.storage().writeBuild(new BuildRecord("tech_v1", M5, "SBER", frame.ts(0), frame.ts(frame.size() - 1) + 1,
                series.ts(0), frame.size(), 120, started, null, BuildRecord.Status.COMPLETED, fingerprint), frame);
        Instant beforeFailure = Instant.now().minusMillis(1);
        RuntimeException injected = new IllegalStateException("injected failure");
        catchThrowable(() -> store.storage().writeBuild(new BuildRecord("tech_v1", M5, "SBER", frame.ts(0),
                frame.ts(frame.size() - 1) + 1, series.ts(0), frame.size(), 120, started, finished,
                BuildRecord.Status.COMPLETED, fingerprint), frame, row -> {
                    throw injected;
                }));
        List<BuildRecord> builds = store.storage().builds("tech_v1", M5, "SBER");
        assertThat(builds).hasSize(4);
        assertThat(builds.get(1).finishedAt()).isEqualTo(finished);
        assertThat(builds.get(1).startedAt()).isEqualTo(started);
        assertThat(builds.get(2).finishedAt()).isNull();
        assertThat(builds.get(3).status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(builds.get(3).rows()).isZero();
        assertThat(builds.get(3).finishedAt()).isNotNull().isAfterOrEqualTo(beforeFailure.truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    @DisplayName("Builds are listed in the order they were recorded, also when their start and finish times tie or go back")
    void stableBuildOrder() {
        CandleSeries series = RandomCandles.series("SBER", M5, 200, 15);
        store.candles().upsert(series);
        StoredQuery q = store.forSet("tech_v1").timeframe(M5).secid("SBER");
        q.build();
        FeatureFrame frame = q.frame();
        String fingerprint = store.registry().fingerprint("tech_v1");
        Instant at = Instant.parse("2030-01-02T10:00:00.500Z");
        List<Long> written = new ArrayList<>();
        written.add(series.ts(0));
        // the same start and finish (ties), then an earlier start recorded last
        for (int k = 1; k <= 8; k++) {
            Instant started = k == 8 ? at.minusSeconds(3600) : at;
            long historyStart = series.ts(0) - k * M5.millis();
            written.add(historyStart);
            store.storage().writeBuild(new BuildRecord("tech_v1", M5, "SBER", frame.ts(0),
                    frame.ts(frame.size() - 1) + 1, historyStart, frame.size(), 120, started, started.plusMillis(1),
                    BuildRecord.Status.COMPLETED, fingerprint), frame);
        }
        assertThat(store.storage().builds("tech_v1", M5, "SBER")).extracting(BuildRecord::historyStartTs)
                .containsExactlyElementsOf(written);
        assertThat(store.storage().builds("tech_v1", M5, "SBER")).extracting(BuildRecord::historyStartTs)
                .as("read twice, the same order").containsExactlyElementsOf(written);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Asserts equal secid, timestamps and bit-identical columns.
     *
     * @param actual the series read back
     * @param expected the series written
     * @throws AssertionError naming the first column that differs
     */
    public static void assertSameCandles(CandleSeries actual, CandleSeries expected) {
        assertThat(actual.secid()).isEqualTo(expected.secid());
        assertThat(actual.timestamps()).isEqualTo(expected.timestamps());
        assertThat(bits(actual.opens())).as("open").isEqualTo(bits(expected.opens()));
        assertThat(bits(actual.highs())).as("high").isEqualTo(bits(expected.highs()));
        assertThat(bits(actual.lows())).as("low").isEqualTo(bits(expected.lows()));
        assertThat(bits(actual.closes())).as("close").isEqualTo(bits(expected.closes()));
        assertThat(bits(actual.volumes())).as("volume").isEqualTo(bits(expected.volumes()));
    }

    /**
     * Asserts equal secid, feature set, feature names, timestamps and bit-identical values.
     *
     * @param actual the frame read back or computed
     * @param expected the frame it must equal
     * @throws AssertionError naming the first field or feature that differs
     */
    public static void assertSameFrame(FeatureFrame actual, FeatureFrame expected) {
        assertThat(actual.secid()).isEqualTo(expected.secid());
        assertThat(actual.featureSet()).isEqualTo(expected.featureSet());
        assertSameValues(actual, expected, actual.secid());
    }

    /**
     * Asserts equal feature names, timestamps and bit-identical values (secids may differ).
     *
     * @param actual the frame read back or computed
     * @param expected the frame it must equal
     * @param what names the comparison in the failure message, e.g. the secid
     * @throws AssertionError naming the first feature that differs
     */
    public static void assertSameValues(FeatureFrame actual, FeatureFrame expected, String what) {
        assertThat(actual.featureNames()).as(what).isEqualTo(expected.featureNames());
        assertThat(actual.timestamps()).as("%s: timestamps", what).isEqualTo(expected.timestamps());
        for (int j = 0; j < expected.featureNames().size(); j++) {
            assertThat(bits(actual.column(j))).as("%s: feature %s", what, expected.featureNames().get(j))
                    .isEqualTo(bits(expected.column(j)));
        }
    }

    private static void assertWindowMatchesFrame(FeatureWindow window, FeatureFrame frame, int lastRow) {
        int w = window.rows();
        for (int r = 0; r < w; r++) {
            int row = lastRow - w + 1 + r;
            assertThat(window.ts(r)).isEqualTo(frame.ts(row));
            for (int j = 0; j < window.features(); j++) {
                assertThat(Double.doubleToRawLongBits(window.get(r, j)))
                        .isEqualTo(Double.doubleToRawLongBits(frame.value(row, j)));
            }
        }
    }

    /**
     * {@return the raw bits of each double ({@link Double#doubleToRawLongBits}), for exact
     * comparison: NaNs of different payloads and {@code 0.0} and {@code -0.0} differ}
     *
     * @param values the doubles
     */
    public static long[] bits(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.doubleToRawLongBits(values[i]);
        }
        return out;
    }

    private static CandleSeries rename(CandleSeries s, String secid) {
        return CandleSeries.of(secid, s.timeframe().orElse(null), s.timestamps(), s.opens(), s.highs(), s.lows(), s.closes(),
                s.volumes());
    }
}
