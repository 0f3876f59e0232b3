package dev.featurestore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.storage.InMemoryStorage;
import dev.featurestore.core.testing.TestCandles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Query steps: every part given is used by the terminal call, or refused by it")
class QueryStepsTest {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final Instant T = Instant.parse("2024-01-03T00:00:00Z");
    private static final Path DIR = Path.of("not-written");

    private Store store;
    private CandleSeries series;

    @BeforeEach
    void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
        series = walk("SBER", M5, 300, 1);
        store.candles().upsert(series);
        store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static CandleSeries walk(String secid, Timeframe tf, int n, long seed) {
        CandleSeries s = TestCandles.randomWalk(seed, n, tf, false);
        return CandleSeries.of(secid, tf, s.timestamps(), s.opens(), s.highs(), s.lows(), s.closes(), s.volumes());
    }

    private FeatureQuery v2() {
        return store.forSet("tech_v2").timeframe(M5);
    }

    private static void refused(Runnable call, String... parts) {
        var thrown = assertThatThrownBy(call::run).isInstanceOf(InvalidQueryException.class);
        for (String p : parts) {
            thrown.hasMessageContaining(p);
        }
    }

    @Test
    @DisplayName("compute(series) and computeAllRows(series) refuse a window and a stride")
    void computeRefusesWindowParts() {
        refused(() -> v2().window(30).compute(series), "compute(series)", "window(30)");
        refused(() -> v2().stride(4).compute(series), "compute(series)", "stride(4)");
        refused(() -> v2().window(30).computeAllRows(series), "computeAllRows(series)", "window(30)");
        refused(() -> v2().stride(2).computeAllRows(series), "computeAllRows(series)", "stride(2)");
        assertThat(v2().compute(series).size()).isEqualTo(300 - 33);
    }

    @Test
    @DisplayName("latest(series) refuses a stride; windows(series) uses window and stride")
    void latestRefusesStride() {
        refused(() -> v2().window(30).stride(3).latest(series), "latest(series)", "stride(3)");
        assertThat(v2().window(30).latest(series).rows()).isEqualTo(30);
        // 267 clean rows, windows of 30 ending at rows 266, 263, ...: (267 - 30) / 3 + 1 of them
        assertThat(v2().window(30).stride(3).windows(series).count()).isEqualTo((267 - 30) / 3 + 1);
    }

    @Test
    @DisplayName("build() refuses asOf and a stride")
    void buildRefuses() {
        refused(() -> v2().asOf(T).secid("SBER").build(), "build()", "asOf(" + T + ")");
        refused(() -> v2().secid("SBER").asOf(T).build(), "build()", "asOf");
        refused(() -> v2().stride(5).secid("SBER").build(), "build()", "stride(5)");
    }

    @Test
    @DisplayName("fetch() needs asOf and refuses a range, completeThrough and a stride")
    void fetchRefuses() {
        refused(() -> v2().secid("SBER").fetch(), "fetch()", "asOf", "fetchLatest()");
        refused(() -> v2().secid("SBER").asOf(T).between(T, T.plusSeconds(60)).fetch(), "fetch()", "between(");
        refused(() -> v2().secid("SBER").asOf(T).completeThrough(T).fetch(), "fetch()", "completeThrough(");
        refused(() -> v2().stride(7).secid("SBER").asOf(T).fetch(), "fetch()", "stride(7)");
        refused(() -> v2().secids("SBER", "GAZP").asOf(T).fetch(), "fetch()", "one secid");
    }

    @Test
    @DisplayName("fetchLatest() refuses asOf, a range, completeThrough and a stride")
    void fetchLatestRefuses() {
        refused(() -> v2().secid("SBER").asOf(T).fetchLatest(), "fetchLatest()", "fetch()");
        refused(() -> v2().secid("SBER").between(T, T).fetchLatest(), "fetchLatest()", "between(");
        refused(() -> v2().completeThrough(T).secid("SBER").fetchLatest(), "fetchLatest()", "completeThrough(");
        refused(() -> v2().stride(2).secid("SBER").fetchLatest(), "fetchLatest()", "stride(2)");
        assertThat(v2().window(10).secid("SBER").fetchLatest().rows()).isEqualTo(10);
    }

    @Test
    @DisplayName("frame() and export() refuse a window, completeThrough and a stride")
    void frameAndExportRefuse() {
        refused(() -> v2().window(30).secid("SBER").frame(), "frame()", "window(30)");
        refused(() -> v2().secid("SBER").completeThrough(T).frame(), "frame()", "completeThrough(");
        refused(() -> v2().stride(3).secid("SBER").frame(), "frame()", "stride(3)");
        refused(() -> v2().window(30).secid("SBER").export("parquet", DIR), "export()", "window(30)");
        refused(() -> v2().secid("SBER").completeThrough(T).export("parquet", DIR), "export()", "completeThrough(");
        refused(() -> v2().stride(3).secid("SBER").export("parquet", DIR), "export()", "stride(3)");
        assertThat(DIR).doesNotExist();
    }

    @Test
    @DisplayName("fetch() as of a time equals fetchLatest() once every row is available")
    void fetchAsOfEnd() {
        var latest = v2().window(20).secid("SBER").fetchLatest();
        long end = series.ts(299) + M5.millis();
        var asOf = v2().window(20).secid("SBER").asOf(Instant.ofEpochMilli(end)).fetch();
        assertThat(asOf.toFlatArray()).containsExactly(latest.toFlatArray());
        var before = v2().window(20).secid("SBER").asOf(Instant.ofEpochMilli(end - 1)).fetch();
        assertThat(before.ts(19)).isEqualTo(series.ts(298));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    @DisplayName("buildKeepingRows() hands back the rows a frame() reads after it, bit for bit, and the 5m candles "
            + "of its range resampled from the stored 1m ones")
    void buildKeepingRowsIsWhatIsStored(long seed) {
        CandleSeries fine = walk("LKOH", Timeframe.ONE_MINUTE, 3_000, seed);
        store.candles().upsert(fine);
        SplittableRandom random = new SplittableRandom(seed);
        Instant from = Instant.ofEpochMilli(fine.ts(random.nextInt(1_500)));
        Instant to = Instant.ofEpochMilli(fine.ts(1_500 + random.nextInt(1_499)));
        StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid("LKOH").between(from, to);
        StoredQuery.Built built = q.buildKeepingRows().get(0);
        FeatureFrame stored = q.frame();
        assertThat(built.rows().size()).as("seed %d", seed).isEqualTo(stored.size()).isEqualTo(built.record().rows())
                .isPositive();
        assertThat(built.rows().featureNames()).isEqualTo(stored.featureNames());
        assertThat(built.rows().kinds()).isEqualTo(stored.kinds());
        for (int r = 0; r < stored.size(); r++) {
            assertThat(built.rows().ts(r)).isEqualTo(stored.ts(r));
            for (int j = 0; j < stored.featureNames().size(); j++) {
                assertThat(Double.doubleToRawLongBits(built.rows().value(r, j))).as("seed %d row %d feature %d", seed, r, j)
                        .isEqualTo(Double.doubleToRawLongBits(stored.value(r, j)));
            }
        }
        CandleSeries all = Resampler.resample(fine, M5, null, store.registry().exchangeZone());
        CandleSeries candles = built.candles();
        assertThat(candles.timeframe()).contains(M5);
        int first = Arrays.binarySearch(all.timestamps(), candles.ts(0));
        assertThat(first).as("seed %d", seed).isNotNegative();
        assertThat(candles.ts(0)).isGreaterThanOrEqualTo(built.record().fromTs());
        assertThat(first == 0 || all.ts(first - 1) < built.record().fromTs()).as("the first candle of the range").isTrue();
        assertThat(candles.ts(candles.size() - 1)).isLessThan(built.record().toTs());
        assertThat(first + candles.size() == all.size() || all.ts(first + candles.size()) >= built.record().toTs())
                .as("the last candle of the range").isTrue();
        assertThat(all.slice(first, first + candles.size()).closes()).isEqualTo(candles.closes());
        assertThat(all.slice(first, first + candles.size()).volumes()).isEqualTo(candles.volumes());
        refused(() -> q.asOf(T).buildKeepingRows(), "buildKeepingRows()", "asOf(" + T + ")");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("between(from, to) is half-open at build and frame: [a, b) then [b, c) equals [a, c), bit for bit")
    void halfOpenBuildAndFrame(long seed) {
        CandleSeries s = walk("GAZP", M5, 400, seed);
        store.candles().upsert(s);
        SplittableRandom random = new SplittableRandom(seed);
        int a = 40 + random.nextInt(100);
        int b = a + 1 + random.nextInt(100);
        int c = b + 1 + random.nextInt(399 - b);
        Function<Integer, Instant> at = i -> Instant.ofEpochMilli(s.ts(i));
        StoredQuery q = store.forSet("tech_v2").timeframe(M5).secid("GAZP");
        BuildRecord first = q.between(at.apply(a), at.apply(b)).build().get(0);
        BuildRecord second = q.between(at.apply(b), at.apply(c)).build().get(0);
        assertThat(first.rows()).as("seed %d", seed).isEqualTo(b - a);
        assertThat(second.rows()).as("seed %d", seed).isEqualTo(c - b);
        assertThat(first.toTs()).isEqualTo(second.fromTs()).isEqualTo(s.ts(b));
        FeatureFrame stored = q.between(at.apply(a), at.apply(c)).frame();
        assertThat(stored.size()).isEqualTo(c - a);
        assertThat(stored.ts(0)).isEqualTo(s.ts(a));
        assertThat(stored.ts(stored.size() - 1)).isEqualTo(s.ts(c - 1));
        FeatureFrame computed = store.forSet("tech_v2").timeframe(M5).compute(s);
        int offset = a - 33;
        for (int j = 0; j < stored.featureNames().size(); j++) {
            for (int r = 0; r < stored.size(); r++) {
                assertThat(Double.doubleToRawLongBits(stored.value(r, j)))
                        .as("seed %d feature %d row %d", seed, j, r)
                        .isEqualTo(Double.doubleToRawLongBits(computed.value(r + offset, j)));
            }
        }
        assertThat(q.between(at.apply(b), at.apply(b)).frame().isEmpty()).isTrue();
        assertThat(store.storage().readFeatures("tech_v2", stored.featureNames(), "GAZP", M5, s.ts(a), s.ts(b))
                .size()).isEqualTo(b - a);
        assertThat(store.storage().readCandles("GAZP", M5, s.ts(a), s.ts(b)).size()).isEqualTo(b - a);
    }

    @Test
    @DisplayName("from == to is an empty range; from > to an IllegalArgumentException at once")
    void emptyAndReversedRanges() {
        StoredQuery q = v2().secid("SBER");
        assertThat(q.between(T, T).frame().isEmpty()).isTrue();
        refused(() -> q.between(T, T).build(), "no final 5m candle opens in [" + T + ", " + T + ")");
        assertThatThrownBy(() -> q.between(T, T.minusMillis(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from is after to");
    }

    @Test
    @DisplayName("an empty read says why: empty store, unknown secid, timeframe never built, too few rows")
    void emptyReadsSayWhy() {
        try (Store empty = FeatureStore.builder().build()) {
            refused(() -> empty.forSet("tech_v2").timeframe(M5).secid("SBER").fetchLatest(),
                    "nothing is stored in this store");
            refused(() -> empty.forSet("tech_v2").timeframe(M5).secid("SBER").frame(), "nothing is stored");
        }
        refused(() -> v2().secid("NOPE").fetchLatest(), "unknown secid 'NOPE'", "[SBER]");
        refused(() -> v2().secid("NOPE").asOf(T).fetch(), "unknown secid 'NOPE'");
        refused(() -> store.forSet("tech_v2").timeframe("15m").secid("SBER").fetchLatest(),
                "never built for secid 'SBER' at 15m", "built at [5m]", "candles stored at [5m]");
        refused(() -> store.forSet("tech_v1").timeframe(M5).secid("SBER").frame(), "'tech_v1' was never built",
                "not at any timeframe");
        Instant early = Instant.ofEpochMilli(series.ts(40));
        assertThatThrownBy(() -> v2().window(120).secid("SBER").asOf(early).fetch())
                .isInstanceOfSatisfying(InsufficientHistoryException.class, e -> {
                    assertThat(e.required()).isEqualTo(120);
                    assertThat(e.available()).isEqualTo(40 - 33);
                }).hasMessageContaining("as of " + early).hasMessageNotContaining(String.valueOf(early.toEpochMilli()));
        assertThat(v2().secid("SBER").between(T.minusSeconds(86_400 * 400), T.minusSeconds(86_400 * 399)).frame()
                .isEmpty()).isTrue();
    }

    @Test
    @DisplayName("a builder: options, user or password without a storage URL are an error, and it builds once")
    void builderRules() {
        assertThatThrownBy(() -> FeatureStore.builder().option("pool.size", "4").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("option(\"pool.size\"")
                .hasMessageContaining("in memory");
        assertThatThrownBy(() -> FeatureStore.builder().user("u").password("p").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("user(...), password(...)");
        try (InMemoryStorage storage = new InMemoryStorage()) {
            assertThatThrownBy(() -> FeatureStore.builder().storage(storage).option("synchronous", "FULL").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("storage(FeatureStorage)");
        }
        Store.Builder builder = FeatureStore.builder();
        try (Store built = builder.build()) {
            assertThat(built).isNotNull();
            assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one store");
            assertThatThrownBy(() -> builder.storage("jdbc:sqlite:x.db")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    @DisplayName("two stores over one storage(FeatureStorage) do not close each other's; its owner closes it")
    void sharedStorage() {
        InMemoryStorage storage = new InMemoryStorage();
        Store a = FeatureStore.builder().storage(storage).build();
        Store b = FeatureStore.builder().storage(storage).build();
        a.candles().upsert(series);
        a.close();
        assertThat(b.candles().timeframes("SBER")).containsExactly(M5);
        assertThat(b.forSet("tech_v2").timeframe(M5).secid("SBER").build()).hasSize(1);
        b.close();
        assertThat(storage.candleTimeframes("SBER")).containsExactly(M5);
        storage.close();
        assertThatThrownBy(() -> storage.candleTimeframes("SBER")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
