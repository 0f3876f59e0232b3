package dev.featurestore.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.indicator.IndicatorContext;
import dev.featurestore.api.indicator.IndicatorProvider;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.indicator.BuiltinIndicators;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streaming equals batch, bit for bit, over 200 seeded random series (random walks on a tick grid
 * with flat stretches, h = l candles, zero volumes and gaps): for every prefix, with and without
 * resampling; peek equals the batch value of the series with that candle appended; a snapshot
 * restored at a random point changes nothing.
 */
@DisplayName("Streaming equals batch over 200 seeded random series")
class StreamPropertiesTest {
    private static Store store;
    private static Store custom;

    /** A provider beside the built-in features: one windowed feature with a declared tail, one recursive without. */
    public static final class TestProvider implements IndicatorProvider {
        /** For the service loader's rules; the test hands an instance to the registry itself. */
        public TestProvider() {
        }

        @Override
        public List<Indicator> indicators() {
            return List.of(
                    Indicator.define("close_over_max_10", FeatureKind.NUMERIC, List.of("close"), Map.of("period", 10), 9,
                            null, TestProvider::closeOverMax).withStreamTail(10),
                    Indicator.define("volume_ema_5", FeatureKind.NUMERIC, List.of("volume"), Map.of("period", 5), 4,
                            null, (ctx, out) -> volumeEma(ctx, out)),
                    Indicator.define("gappy_return", FeatureKind.NUMERIC, List.of("close"), Map.of(), 1,
                            null, TestProvider::gappyReturn).withStreamTail(2));
        }

        static void closeOverMax(IndicatorContext ctx, double[] out) {
            double[] c = ctx.close();
            for (int t = 0; t < c.length; t++) {
                if (t < 9) {
                    out[t] = Double.NaN;
                    continue;
                }
                double max = c[t];
                for (int k = t - 9; k <= t; k++) {
                    max = Math.max(max, c[k]);
                }
                out[t] = c[t] / max;
            }
        }

        static void volumeEma(IndicatorContext ctx, double[] out) {
            double[] v = ctx.volume();
            double e = 0;
            for (int t = 0; t < v.length; t++) {
                e = t == 0 ? v[0] : 0.4 * v[t] + 0.6 * e;
                out[t] = t < 4 ? Double.NaN : e;
            }
        }

        /** The return, NaN when the close rose: a feature that leaves NaN after its warm-up. */
        static void gappyReturn(IndicatorContext ctx, double[] out) {
            double[] ret = ctx.feature("return_1");
            double[] c = ctx.close();
            for (int t = 0; t < c.length; t++) {
                out[t] = t >= 1 && c[t] > c[t - 1] ? Double.NaN : ret[t];
            }
        }
    }

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
        String yaml = """
                version: 1
                feature_sets:
                  mixed:
                    default_window_size: 5
                    timeframes: [1m, 5m]
                    features: [return_1, rsi_14, close_over_max_10, volume_ema_5, gappy_return, stoch_k_14]
                """;
        List<IndicatorProvider> providers = new ArrayList<>();
        providers.add(new BuiltinIndicators());
        providers.add(new TestProvider());
        custom = FeatureStore.builder().registry(FeatureRegistry.parse("mixed.yaml", yaml, providers)).build();
    }

    @AfterAll
    static void close() {
        store.close();
        custom.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    private static CandleSeries series(long seed) {
        int n = new SplittableRandom(seed ^ 0x5DEECE66DL).nextInt(1, 300);
        return TestCandles.randomWalk(seed, n, Timeframe.ONE_MINUTE, seed % 2 == 0);
    }

    static void assertSameRow(String what, FeatureRow row, FeatureFrame frame, int r) {
        assertThat(row.ts()).as("%s: ts of row %d", what, r).isEqualTo(frame.ts(r));
        assertThat(row.featureNames()).isEqualTo(frame.featureNames());
        for (int j = 0; j < row.size(); j++) {
            assertThat(Double.doubleToRawLongBits(row.value(j)))
                    .as("%s: %s of row %d: stream %s, batch %s", what, frame.featureNames().get(j), r, row.value(j),
                            frame.value(r, j))
                    .isEqualTo(Double.doubleToRawLongBits(frame.value(r, j)));
        }
    }

    private static Candle candle(CandleSeries s, int i) {
        return new Candle(s.ts(i), s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i));
    }

    private static CandleSeries append(CandleSeries s, Candle c) {
        CandleSeries.Builder b = CandleSeries.builder(s.secid()).timeframe(s.timeframe().orElse(null))
                .expectedSize(s.size() + 1);
        for (int i = 0; i < s.size(); i++) {
            b.add(s.ts(i), s.open(i), s.high(i), s.low(i), s.close(i), s.volume(i));
        }
        return b.add(c.ts(), c.open(), c.high(), c.low(), c.close(), c.volume()).build();
    }

    /**
     * Streams the series one candle at a time and checks, after every candle, the rows emitted so
     * far against the batch rows of that prefix, and the peek of the next candle against the batch
     * of the prefix with it appended (complete through its bucket's end).
     */
    private static List<FeatureRow> streamAndCheck(String what, FeatureQuery query, CandleSeries s, boolean peek) {
        FeatureStream stream = query.stream(s.secid());
        Timeframe tf = stream.timeframe().orElse(null);
        List<FeatureRow> rows = new ArrayList<>();
        for (int k = 1; k <= s.size(); k++) {
            Candle c = candle(s, k - 1);
            if (peek) {
                FeatureRow peeked = stream.peek(c);
                FeatureQuery complete = tf == null ? query
                        : query.completeThrough(Instant.ofEpochMilli(Math.floorDiv(c.ts(), tf.millis()) * tf.millis()
                                + tf.millis()));
                FeatureFrame batch = complete.computeAllRows(s.slice(0, k));
                assertSameRow(what + " peek at " + k, peeked, batch, batch.size() - 1);
            }
            stream.accept(c).ifPresent(rows::add);
            FeatureFrame prefix = query.computeAllRows(s.slice(0, k));
            assertThat(rows).as("%s: rows after %d candles", what, k).hasSize(prefix.size());
            if (!rows.isEmpty()) {
                assertSameRow(what + " prefix " + k, rows.get(rows.size() - 1), prefix, prefix.size() - 1);
            }
        }
        FeatureFrame all = query.computeAllRows(s);
        for (int r = 0; r < all.size(); r++) {
            assertSameRow(what, rows.get(r), all, r);
        }
        return rows;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("tech_v2 at 1m and tech_v1 as given: every prefix and every peek equal batch bit for bit")
    void candlesAsRows(long seed) {
        CandleSeries s = series(seed);
        streamAndCheck("seed " + seed + " tech_v2 1m", store.forSet("tech_v2").timeframe("1m"), s, true);
        streamAndCheck("seed " + seed + " tech_v1", store.forSet("tech_v1"), s, false);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("1m candles resampled on the fly to 5m: every prefix and every peek equal batch; closeThrough emits the last bucket")
    void resampled(long seed) {
        CandleSeries s = series(seed);
        FeatureQuery q = store.forSet("tech_v2").timeframe("5m");
        streamAndCheck("seed " + seed + " tech_v2 5m", q, s, seed % 4 == 0);
        // the last bucket: closed only by closeThrough, as completeThrough closes it in batch
        FeatureStream stream = q.stream(s);
        long end = Math.floorDiv(s.ts(s.size() - 1), 300_000L) * 300_000L + 300_000L;
        assertThat(stream.closeThrough(Instant.ofEpochMilli(end - 1))).isEmpty();
        Optional<FeatureRow> last = stream.closeThrough(Instant.ofEpochMilli(end));
        FeatureFrame batch = q.completeThrough(Instant.ofEpochMilli(end)).computeAllRows(s);
        assertThat(last).isPresent();
        assertSameRow("seed " + seed + " closeThrough", last.get(), batch, batch.size() - 1);
        assertThat(stream.rows()).isEqualTo(batch.size());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("tech_v1 at 5m: rows equal batch; a snapshot restored at a random point changes nothing")
    void restoreChangesNothing(long seed) {
        CandleSeries s = series(seed);
        FeatureQuery q = store.forSet(seed % 2 == 0 ? "tech_v1" : "tech_v2").timeframe("5m").window(3);
        int cut = new SplittableRandom(seed * 31 + 7).nextInt(0, s.size() + 1);
        FeatureStream whole = q.stream(s.secid());
        FeatureStream first = q.stream(s.secid());
        for (int i = 0; i < cut; i++) {
            whole.accept(candle(s, i));
            first.accept(candle(s, i));
        }
        byte[] saved = first.state();
        FeatureStream restored = q.stream(s.secid()).restore(saved);
        assertThat(restored.state()).as("the restored stream saves the same state").isEqualTo(saved);
        for (int i = cut; i < s.size(); i++) {
            Optional<FeatureRow> a = whole.accept(candle(s, i));
            Optional<FeatureRow> b = restored.accept(candle(s, i));
            assertThat(b.isPresent()).isEqualTo(a.isPresent());
            if (a.isPresent()) {
                assertThat(b.get().ts()).isEqualTo(a.get().ts());
                for (int j = 0; j < a.get().size(); j++) {
                    assertThat(Double.doubleToRawLongBits(b.get().value(j)))
                            .as("seed %d row %s %s", seed, a.get().openTime(), a.get().featureNames().get(j))
                            .isEqualTo(Double.doubleToRawLongBits(a.get().value(j)));
                }
            }
        }
        assertThat(restored.state()).isEqualTo(whole.state());
        FeatureFrame batch = store.forSet(q.spec().name()).timeframe("5m").computeAllRows(s);
        assertThat(whole.rows()).isEqualTo(batch.size());
        FeatureFrame clean = store.forSet(q.spec().name()).timeframe("5m").compute(s);
        if (clean.size() >= 3) {
            FeatureWindow want = q.latest(s);
            FeatureWindow got = restored.window();
            assertThat(got.timestamps()).isEqualTo(want.timestamps());
            assertThat(bits(got.toFlatArray())).isEqualTo(bits(want.toFlatArray()));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("features of another provider (a declared tail, the whole history, NaN after warm-up) equal batch; restore too")
    void otherProviders(long seed) {
        CandleSeries s = series(seed);
        FeatureQuery q = custom.forSet("mixed").timeframe(seed % 2 == 0 ? "1m" : "5m");
        streamAndCheck("seed " + seed + " mixed", q, s, seed % 5 == 0);
        int cut = new SplittableRandom(seed).nextInt(0, s.size() + 1);
        FeatureStream a = q.stream(s.slice(0, cut));
        FeatureStream b = q.stream(s.secid()).restore(a.state());
        for (int i = cut; i < s.size(); i++) {
            a.accept(candle(s, i));
            b.accept(candle(s, i));
        }
        assertThat(b.state()).isEqualTo(a.state());
        FeatureFrame clean = q.compute(s);
        if (clean.size() >= 5) {
            assertThat(bits(b.window().toFlatArray())).isEqualTo(bits(q.latest(s).toFlatArray()));
            assertThat(b.window().timestamps()).isEqualTo(q.latest(s).timestamps());
        }
    }

    static long[] bits(double[] values) {
        long[] b = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Double.doubleToRawLongBits(values[i]);
        }
        return b;
    }
}
