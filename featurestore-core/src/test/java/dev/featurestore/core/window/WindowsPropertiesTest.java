package dev.featurestore.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.testing.TestCandles;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Windows cut from the clean rows, over 200 seeded random series")
class WindowsPropertiesTest {
    private static Store store;

    @BeforeAll
    static void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    private static void assertSameBits(double actual, double expected, String what) {
        assertThat(Double.doubleToRawLongBits(actual)).as(what).isEqualTo(Double.doubleToRawLongBits(expected));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("latest is the last W rows of compute, and windows are the frame's slices at the stride")
    void latestAndSliding(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        CandleSeries s = TestCandles.randomWalk(seed, rnd.nextInt(34, 300), Timeframe.ONE_MINUTE, seed % 2 == 0);
        FeatureQuery q = store.forSet("tech_v2").timeframe("1m");
        FeatureFrame frame = q.compute(s);
        int rows = frame.size();
        int w = rnd.nextInt(1, rows + 2); // sometimes one more than there is
        int stride = rnd.nextInt(1, 12);
        if (w > rows) {
            assertThatThrownBy(() -> q.window(w).latest(s)).isInstanceOf(InsufficientHistoryException.class)
                    .hasMessageContaining(w + " clean rows").hasMessageContaining("only " + rows);
            assertThatThrownBy(() -> q.window(w).windows(s)).isInstanceOf(InsufficientHistoryException.class)
                    .satisfies(e -> {
                        InsufficientHistoryException ih = (InsufficientHistoryException) e;
                        assertThat(ih.required()).isEqualTo(w);
                        assertThat(ih.available()).isEqualTo(rows);
                    });
            return;
        }
        int f = frame.featureNames().size();
        FeatureWindow latest = q.window(w).latest(s);
        assertThat(latest.rows()).isEqualTo(w);
        assertThat(latest.features()).isEqualTo(f);
        assertThat(latest.featureNames()).isEqualTo(frame.featureNames());
        for (int r = 0; r < w; r++) {
            int row = rows - w + r;
            assertThat(latest.ts(r)).isEqualTo(frame.ts(row));
            for (int j = 0; j < f; j++) {
                assertSameBits(latest.get(r, j), frame.value(row, j), "latest row " + r + " feature " + j);
            }
        }
        FeatureWindows all = q.window(w).stride(stride).windows(s);
        int count = (rows - w) / stride + 1;
        assertThat(all.shape()).containsExactly(count, w, f);
        double[] block = all.toFlatArray();
        float[] floats = all.toFlatFloatArray();
        assertThat(block).hasSize(count * w * f);
        assertThat(floats).hasSize(count * w * f);
        for (int i = 0; i < block.length; i++) {
            assertThat(Float.floatToRawIntBits(floats[i])).as("float %d, seed %d", i, seed)
                    .isEqualTo(Float.floatToRawIntBits((float) block[i]));
        }
        float[] batch = new float[2 * w * f];
        int batchFrom = Math.max(0, count - 2);
        int batchSize = Math.min(2, count);
        all.copyTo(batchFrom, batchSize, batch, 0);
        for (int i = 0; i < batchSize * w * f; i++) {
            assertThat(batch[i]).as("batch %d, seed %d", i, seed).isEqualTo(floats[batchFrom * w * f + i]);
        }
        double[] mine = all.toFlatArray();
        mine[0] = 12345;
        assertSameBits(all.toFlatArray()[0], block[0], "a block handed out is the caller's");
        for (int n = 0; n < count; n++) {
            int end = rows - 1 - (count - 1 - n) * stride;
            assertThat(all.lastOpenTs(n)).isEqualTo(frame.ts(end));
            assertThat(all.availableAt(n)).isEqualTo(frame.openTime(end).plusMillis(all.timeframe().orElseThrow().millis()));
            for (int r = 0; r < w; r++) {
                for (int j = 0; j < f; j++) {
                    assertSameBits(all.get(n, r, j), frame.value(end - w + 1 + r, j),
                            "window " + n + " row " + r + " feature " + j);
                    assertSameBits(block[(n * w + r) * f + j], all.get(n, r, j), "block " + n + " " + r + " " + j);
                }
            }
        }
        // the last window is the latest one
        assertThat(all.lastOpenTs(count - 1)).isEqualTo(latest.ts(w - 1));
        assertThat(all.availableAt(count - 1)).isEqualTo(latest.availableAt());
        assertThat(latest.toString()).contains("last bar opened " + latest.lastOpenTime(),
                "available " + latest.availableAt());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("asOf never includes a row with ts + timeframe > asOf, and keeps every row that is known by then")
    void asOf(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 77);
        CandleSeries s = TestCandles.randomWalk(seed, rnd.nextInt(200, 700), Timeframe.ONE_MINUTE, true);
        String tf = seed % 2 == 0 ? "1m" : "5m";
        long tfMillis = Timeframe.parse(tf).millis();
        long first = s.ts(0);
        long last = s.ts(s.size() - 1);
        // an asOf anywhere in the data, on or off the minute
        Instant asOf = Instant.ofEpochMilli(first + (long) (rnd.nextDouble() * (last - first + 600_000L)));
        FeatureQuery q = store.forSet("tech_v2").timeframe(tf);
        FeatureFrame full = q.compute(s);
        FeatureFrame known = q.asOf(asOf).compute(s);
        int expected = 0;
        for (int r = 0; r < full.size(); r++) {
            if (full.ts(r) + tfMillis <= asOf.toEpochMilli()) {
                expected++;
            }
        }
        assertThat(known.size()).isEqualTo(expected);
        for (int r = 0; r < known.size(); r++) {
            assertThat(known.ts(r) + tfMillis).as("row %d is closed by %s", r, asOf)
                    .isLessThanOrEqualTo(asOf.toEpochMilli());
            assertThat(known.ts(r)).isEqualTo(full.ts(r));
            for (int j = 0; j < known.featureNames().size(); j++) {
                assertSameBits(known.value(r, j), full.value(r, j), "row " + r + " feature " + j);
            }
        }
        FeatureFrame knownAll = q.asOf(asOf).computeAllRows(s);
        for (int r = 0; r < knownAll.size(); r++) {
            assertThat(knownAll.ts(r) + tfMillis).isLessThanOrEqualTo(asOf.toEpochMilli());
        }
        if (known.size() >= 10) {
            FeatureWindow latest = q.window(10).asOf(asOf).latest(s);
            assertThat(latest.ts(9)).isEqualTo(known.ts(known.size() - 1));
            assertThat(latest.ts(9) + tfMillis).isLessThanOrEqualTo(asOf.toEpochMilli());
            FeatureWindows windows = q.window(10).asOf(asOf).windows(s);
            for (long end : windows.lastOpenTimestamps()) {
                assertThat(end + tfMillis).isLessThanOrEqualTo(asOf.toEpochMilli());
            }
        } else {
            assertThatThrownBy(() -> q.window(10).asOf(asOf).latest(s))
                    .isInstanceOf(InsufficientHistoryException.class);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("asOf at exactly ts + timeframe includes the row; one millisecond earlier excludes it")
    void asOfBoundary(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 99);
        CandleSeries s = TestCandles.randomWalk(seed, rnd.nextInt(60, 200), Timeframe.ONE_MINUTE, true);
        FeatureQuery q = store.forSet("tech_v2").timeframe("1m");
        FeatureFrame full = q.compute(s);
        int k = rnd.nextInt(0, full.size());
        long closeTime = full.ts(k) + 60_000L;
        FeatureFrame at = q.asOf(Instant.ofEpochMilli(closeTime)).compute(s);
        FeatureFrame before = q.asOf(Instant.ofEpochMilli(closeTime - 1)).compute(s);
        assertThat(at.size()).isEqualTo(k + 1);
        assertThat(at.ts(k)).isEqualTo(full.ts(k));
        assertThat(before.size()).isEqualTo(k);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("resampled features of a prefix of the 1m source are bit-identical to the same rows of the whole")
    void resampledPrefix(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 1234);
        CandleSeries s = TestCandles.randomWalk(seed, rnd.nextInt(200, 900), Timeframe.ONE_MINUTE, true);
        String tf = new String[] {"5m", "15m", "1h"}[(int) (seed % 3)];
        FeatureQuery q = store.forSet("tech_v2").timeframe(tf);
        FeatureFrame full = q.computeAllRows(s);
        int m = rnd.nextInt(1, s.size() + 1);
        FeatureFrame prefix = q.computeAllRows(s.slice(0, m));
        assertThat(prefix.size()).isLessThanOrEqualTo(full.size());
        for (int r = 0; r < prefix.size(); r++) {
            assertThat(prefix.ts(r)).isEqualTo(full.ts(r));
            for (int j = 0; j < prefix.featureNames().size(); j++) {
                assertSameBits(prefix.value(r, j), full.value(r, j), "seed " + seed + " " + tf + " prefix " + m
                        + " row " + r + " feature " + prefix.featureNames().get(j));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("completeThrough on the query keeps the last bucket once its end is covered, and only then")
    void completeThroughOnQuery(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 4321);
        CandleSeries s = TestCandles.randomWalk(seed, rnd.nextInt(200, 600), Timeframe.ONE_MINUTE, false);
        long period = Timeframe.parse("5m").millis();
        long lastBucket = Math.floorDiv(s.ts(s.size() - 1), period) * period;
        FeatureQuery q = store.forSet("tech_v2").timeframe("5m");
        FeatureFrame without = q.computeAllRows(s);
        FeatureFrame early = q.completeThrough(Instant.ofEpochMilli(lastBucket + period - 1)).computeAllRows(s);
        FeatureFrame complete = q.completeThrough(Instant.ofEpochMilli(lastBucket + period)).computeAllRows(s);
        assertThat(without.size()).isGreaterThan(0);
        assertThat(without.ts(without.size() - 1)).isLessThan(lastBucket);
        assertThat(early.size()).isEqualTo(without.size());
        assertThat(complete.size()).isEqualTo(without.size() + 1);
        assertThat(complete.ts(complete.size() - 1)).isEqualTo(lastBucket);
    }
}
