package dev.featurestore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.featurestore.api.internal.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("FrameSpill: a run's rows and candles, held up to a budget and beyond it in a file, read back bit for bit")
class FrameSpillTest {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final long T0 = 1_704_700_800_000L; // 2024-01-08T08:00Z
    /** Rows enough for a column to cross the spill's 65,536-value write chunks now and then. */
    private static final int CHUNKS_ACROSS = 70_000;

    /** Values where a round trip through bytes could go wrong: NaN payloads, both zeros, infinities. */
    private static double value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> Double.longBitsToDouble(0x7ff8_0000_0000_0000L | random.nextInt(1 << 20)); // NaN with payload
            case 1 -> -0.0;
            case 2 -> 0.0;
            case 3 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4 -> Double.MIN_VALUE * random.nextInt(5);
            case 5 -> random.nextInt(5) - 2; // a category
            default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
        };
    }

    private static FeatureFrame frame(Random random, String secid, int n, int features, int warmUp) {
        List<String> names = new ArrayList<>();
        List<FeatureKind> kinds = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            names.add("f" + f);
            kinds.add(random.nextInt(4) == 0 ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC);
        }
        long[] ts = new long[warmUp + n];
        double[][] cols = new double[features][warmUp + n];
        for (int r = 0; r < ts.length; r++) {
            ts[r] = T0 + 300_000L * r;
            for (int f = 0; f < features; f++) {
                cols[f][r] = value(random);
            }
        }
        FeatureFrame all = FeatureFrame.of(secid, "set_x", M5, names, kinds, ts, cols);
        return all.rows(warmUp, warmUp + n); // a view past warm-up rows, as a build hands its rows on
    }

    private static CandleSeries candles(Random random, String secid, int n) {
        CandleSeries.Builder b = CandleSeries.builder(secid).timeframe(M5);
        for (int r = 0; r < n; r++) {
            double low = 100 + random.nextDouble();
            double high = low + random.nextDouble();
            b.add(T0 + 300_000L * r, low + (high - low) * random.nextDouble(), high, low,
                    low + (high - low) * random.nextDouble(), random.nextInt(1000));
        }
        return b.build();
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private static void assertSameBits(FeatureFrame actual, FeatureFrame expected) {
        assertThat(actual.secid()).isEqualTo(expected.secid());
        assertThat(actual.featureSet()).isEqualTo(expected.featureSet());
        assertThat(actual.timeframe()).isEqualTo(expected.timeframe());
        assertThat(actual.featureNames()).isEqualTo(expected.featureNames());
        assertThat(actual.kinds()).isEqualTo(expected.kinds());
        assertThat(actual.timestamps()).isEqualTo(expected.timestamps());
        for (int f = 0; f < expected.featureNames().size(); f++) {
            assertThat(bits(actual.column(f))).as("%s column %d", expected.secid(), f)
                    .isEqualTo(bits(expected.column(f)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    @DisplayName("Whatever the budget, each secid's rows, columns, times and candles come back as appended, bit for bit")
    void roundTrips(long seed) {
        Random random = new Random(seed);
        int secids = 1 + random.nextInt(8);
        List<FeatureFrame> frames = new ArrayList<>();
        List<CandleSeries> series = new ArrayList<>();
        long total = 0;
        for (int s = 0; s < secids; s++) {
            String secid = "S" + (char) ('A' + random.nextInt(26)) + s; // not in secid order
            int n = random.nextInt(6) == 0 ? 0 : random.nextInt(CHUNKS_ACROSS);
            int features = 1 + random.nextInt(6);
            frames.add(frame(random, secid, n, features, random.nextInt(50)));
            series.add(random.nextInt(3) == 0 ? null : candles(random, secid, n));
            total += 8L * n * (1 + features + 6);
        }
        long budget = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> total / 2;
            default -> total + 1;
        };
        try (FrameSpill spill = FrameSpill.create("test", budget)) {
            for (int s = 0; s < secids; s++) {
                spill.append(frames.get(s), series.get(s));
            }
            assertThat(spill.heldBytes()).isLessThanOrEqualTo(budget);
            assertThat(spill.count()).isEqualTo(secids);
            assertThat(spill.secids()).containsExactlyElementsOf(frames.stream().map(FeatureFrame::secid).toList());
            for (int s = 0; s < secids; s++) {
                FeatureFrame f = frames.get(s);
                assertThat(spill.indexOf(f.secid())).isEqualTo(s);
                assertThat(spill.rows(s)).isEqualTo(f.size());
                assertSameBits(spill.frame(s), f);
                for (int c = 0; c < f.featureNames().size(); c++) {
                    assertThat(bits(spill.column(s, c))).isEqualTo(bits(f.column(c)));
                }
                if (f.size() > 0) {
                    int row = random.nextInt(f.size());
                    assertThat(spill.ts(s, row)).isEqualTo(f.ts(row));
                }
                CandleSeries c = series.get(s);
                assertThat(spill.hasCandles(s)).isEqualTo(c != null);
                if (c != null) {
                    CandleSeries back = spill.candles(s);
                    assertThat(back.secid()).isEqualTo(c.secid());
                    assertThat(back.timeframe()).isEqualTo(c.timeframe());
                    assertThat(Columns.ts(back)).isEqualTo(Columns.ts(c));
                    assertThat(Columns.open(back)).isEqualTo(Columns.open(c));
                    assertThat(Columns.high(back)).isEqualTo(Columns.high(c));
                    assertThat(Columns.low(back)).isEqualTo(Columns.low(c));
                    assertThat(Columns.close(back)).isEqualTo(Columns.close(c));
                    assertThat(Columns.volume(back)).isEqualTo(Columns.volume(c));
                } else {
                    assertThat(spill.candles(s)).isNull();
                }
            }
            List<FeatureFrame> bySecid = spill.nonEmptyFramesBySecid();
            List<FeatureFrame> expected = frames.stream().filter(f -> !f.isEmpty())
                    .sorted(Comparator.comparing(FeatureFrame::secid)).toList();
            assertThat(bySecid).hasSameSizeAs(expected);
            for (int k = 0; k < expected.size(); k++) {
                assertSameBits(bySecid.get(k), expected.get(k));
            }
        }
    }

    @Test
    @DisplayName("Within the budget nothing goes to the file; past it the file holds the rest, and none is left after close")
    void fileOnlyPastTheBudgetAndDeletedOnClose() throws Exception {
        Random random = new Random(99);
        FeatureFrame a = frame(random, "AAA", 100, 3, 0);
        FeatureFrame b = frame(random, "BBB", 100, 3, 0);
        long one = 8L * 100 * 4;
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (FrameSpill spill = FrameSpill.create("budget-test", one)) {
            spill.append(a, null);
            assertThat(spill.heldBytes()).isEqualTo(one);
            assertThat(spill.spilledBytes()).isZero();
            spill.append(b, null);
            assertThat(spill.heldBytes()).isEqualTo(one);
            assertThat(spill.spilledBytes()).isEqualTo(one);
            assertSameBits(spill.frame(1), b);
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("featurestore-budget-test-"))).isEmpty();
        }
    }

    @Test
    @DisplayName("A secid twice, candles of another secid, a negative budget and use after close are refused")
    void refusesMisuse() {
        Random random = new Random(5);
        FeatureFrame a = frame(random, "AAA", 10, 2, 0);
        assertThatThrownBy(() -> FrameSpill.create("x", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        FrameSpill spill = FrameSpill.create("x", 0);
        spill.append(a, null);
        assertThatThrownBy(() -> spill.append(a, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'AAA' is in the spill already");
        assertThatThrownBy(() -> spill.append(frame(random, "BBB", 10, 2, 0), candles(random, "CCC", 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("candles of 'CCC'");
        spill.close();
        spill.close(); // twice is fine
        assertThatThrownBy(() -> spill.append(frame(random, "DDD", 1, 1, 0), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
