package dev.featurestore.core.dataset;

import static dev.featurestore.core.dataset.Series.M5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.core.DatasetQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.label.UnknownLabelException;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.stream.Candle;
import dev.featurestore.core.stream.FeatureRow;
import dev.featurestore.core.stream.FeatureStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The dataset step: stored or in memory, blocks, folds, inference with the fitted statistics")
class DatasetQueryTest {
    private static final int W = 20;
    private static final List<String> SECIDS = List.of("SBER", "GAZP");

    private Store store;
    private List<CandleSeries> series;
    private Split[] splits;

    @BeforeEach
    void open() {
        store = FeatureStore.builder().registry(FeatureRegistry.builtin()).build();
        series = List.of(Series.walk("SBER", 11, 600, false), Series.walk("GAZP", 12, 600, true));
        for (CandleSeries s : series) {
            store.candles().upsert(s);
        }
        store.forSet("tech_v2").timeframe(M5).secids(SECIDS).build();
        long[] ts = series.get(0).timestamps();
        splits = new Split[] {Split.train(at(ts[60]), at(ts[300])), Split.valid(at(ts[300]), at(ts[420])),
            Split.test(at(ts[420]), at(ts[590]))};
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant at(long ms) {
        return Instant.ofEpochMilli(ms);
    }

    private DatasetQuery stored() {
        return store.forSet("tech_v2").timeframe(M5).secids(SECIDS).window(W).labels("fwd_ret_12", "fwd_sign_12")
                .split(splits);
    }

    private DatasetQuery memory() {
        return store.forSet("tech_v2").timeframe(M5).window(W).labels("fwd_ret_12", "fwd_sign_12").split(splits);
    }

    @Test
    @DisplayName("a dataset of stored features equals the one computed from the same candles, bit for bit")
    void storedEqualsInMemory() {
        Dataset a = stored().normalize(Normalization.robustZScore().perSecid()).dataset();
        Dataset b = memory().normalize(Normalization.robustZScore().perSecid()).dataset(series);
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThat(a.normalization().orElseThrow().sha256()).isEqualTo(b.normalization().orElseThrow().sha256());
        for (String name : List.of("train", "valid", "test")) {
            DatasetSplit x = a.split(name);
            DatasetSplit y = b.split(name);
            assertThat(x.count()).isPositive();
            assertThat(x.endTimestamps()).isEqualTo(y.endTimestamps());
            assertThat(x.sampleSecids()).isEqualTo(y.sampleSecids());
            assertThat(x.toFlatArray()).isEqualTo(y.toFlatArray());
            assertThat(x.labels("fwd_ret_12")).isEqualTo(y.labels("fwd_ret_12"));
            assertThat(x.dropped()).isEqualTo(y.dropped());
            assertThat(x.countsBySecid()).isEqualTo(y.countsBySecid());
        }
    }

    @Test
    @DisplayName("the block is (N, W, F) row-major, floats are the rounded doubles, labels match the closes")
    void blockLayout() {
        Dataset ds = memory().dataset(series);
        DatasetSplit s = ds.split("valid");
        int n = s.count();
        int f = s.features();
        assertThat(s.shape()).containsExactly(n, W, 20);
        double[] block = s.toFlatArray();
        float[] floats = s.toFlatFloatArray();
        assertThat(block).hasSize(n * W * f);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < W; r++) {
                for (int j = 0; j < f; j++) {
                    assertThat(block[(i * W + r) * f + j]).isEqualTo(s.get(i, r, j));
                    assertThat(floats[(i * W + r) * f + j]).isEqualTo((float) s.get(i, r, j));
                }
            }
        }
        // the window of sample i is the raw window of its secid ending at its end time
        FeatureFrame sber = store.forSet("tech_v2").timeframe(M5).compute(series.get(0));
        double[] y = s.labels("fwd_ret_12");
        long[] cts = series.get(0).timestamps();
        double[] close = series.get(0).closes();
        int checked = 0;
        for (int i = 0; i < n; i++) {
            if (!s.secid(i).equals("SBER")) {
                continue;
            }
            int row = java.util.Arrays.binarySearch(sber.timestamps(), s.endTs(i));
            for (int r = 0; r < W; r++) {
                for (int j = 0; j < f; j++) {
                    assertThat(s.get(i, r, j)).isEqualTo(sber.value(row - W + 1 + r, j));
                }
            }
            int c = java.util.Arrays.binarySearch(cts, s.endTs(i));
            assertThat(y[i]).isEqualTo(close[c + 12] / close[c] - 1);
            assertThat(s.labelAvailableAt(i)).isEqualTo(cts[c] + 13 * M5.millis());
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    @DisplayName("windows(), latest() and fetch() with the fitted normalization give the training block's values bit"
            + " for bit")
    void inferenceIsBitIdentical() {
        Dataset ds = stored().normalize(Normalization.zScore().clip(5)).dataset();
        FittedNormalization norm = FittedNormalization.fromJson(ds.normalization().orElseThrow().toJson());
        DatasetSplit test = ds.split("test");
        double[] block = test.toFlatArray();
        float[] floats = test.toFlatFloatArray();
        int f = test.features();
        int checked = 0;
        for (int i = 0; i < test.count(); i += 17) {
            String secid = test.secid(i);
            Instant known = at(test.endTs(i) + M5.millis());
            FeatureWindow fetched = store.forSet("tech_v2").timeframe(M5).window(W).secid(secid).normalized(norm)
                    .asOf(known).fetch();
            CandleSeries s = series.get(SECIDS.indexOf(secid));
            FeatureWindow latest = store.forSet("tech_v2").timeframe(M5).window(W).asOf(known).normalized(norm)
                    .latest(s);
            double[] expected = java.util.Arrays.copyOfRange(block, i * W * f, (i + 1) * W * f);
            assertThat(fetched.toFlatArray()).isEqualTo(expected);
            assertThat(latest.toFlatArray()).isEqualTo(expected);
            assertThat(fetched.toFlatFloatArray()).isEqualTo(java.util.Arrays.copyOfRange(floats, i * W * f,
                    (i + 1) * W * f));
            checked++;
        }
        assertThat(checked).isGreaterThan(3);
        FeatureWindows all = store.forSet("tech_v2").timeframe(M5).window(W).normalized(norm).windows(series.get(0));
        FeatureFrame frame = store.forSet("tech_v2").timeframe(M5).secid("SBER").normalized(norm).frame();
        assertThat(all.get(all.count() - 1, W - 1, 3)).isEqualTo(frame.value(frame.size() - 1, 3));
        assertThatThrownBy(() -> store.forSet("tech_v1").timeframe(M5).window(W).normalized(norm).latest(series.get(0)))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("tech_v2");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secid("SBER").normalized(norm).build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("normalized");
    }

    @Test
    @DisplayName("a stream's rows and window normalized with the fitted statistics equal the normalized batch rows, bit for"
            + " bit; a normalized query refuses to stream")
    void streamNormalizedLikeBatch() {
        Dataset ds = stored().normalize(Normalization.robustZScore().perSecid().clip(4)).dataset();
        FittedNormalization norm = ds.normalization().orElseThrow();
        for (CandleSeries s : series) {
            FeatureFrame batch = store.forSet("tech_v2").timeframe(M5).normalized(norm).compute(s);
            FeatureStream stream = store.forSet("tech_v2").timeframe(M5).window(W).stream(s.secid());
            int compared = 0;
            for (int i = 0; i < s.size(); i++) {
                Optional<FeatureRow> row = stream.accept(new Candle(s.ts(i), s.open(i), s.high(i), s.low(i), s.close(i),
                        s.volume(i)));
                if (row.isEmpty() || !row.get().isClean()) {
                    continue;
                }
                FeatureRow normalized = norm.apply(row.get());
                int r = java.util.Arrays.binarySearch(batch.timestamps(), normalized.ts());
                assertThat(r).as("row at %s in the batch", normalized.openTime()).isGreaterThanOrEqualTo(0);
                for (int j = 0; j < normalized.size(); j++) {
                    assertThat(Double.doubleToRawLongBits(normalized.value(j))).as("%s %s at %s", s.secid(),
                            batch.featureNames().get(j), normalized.openTime())
                            .isEqualTo(Double.doubleToRawLongBits(batch.value(r, j)));
                }
                compared++;
            }
            assertThat(compared).isGreaterThan(W);
            FeatureWindow window = norm.apply(stream.window());
            int last = java.util.Arrays.binarySearch(batch.timestamps(), stream.lastTs());
            for (int r = 0; r < W; r++) {
                for (int j = 0; j < window.features(); j++) {
                    assertThat(Double.doubleToRawLongBits(window.get(r, j)))
                            .isEqualTo(Double.doubleToRawLongBits(batch.value(last - W + 1 + r, j)));
                }
            }
        }
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).normalized(norm).stream("SBER"))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("fitted.apply(row)");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secid("SBER").normalized(norm).stream())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("normalized(" + norm.id() + ")");
    }

    @Test
    @DisplayName("walk-forward folds: k datasets, each training only on the past of its test block")
    void walkForward() {
        long[] ts = series.get(0).timestamps();
        Instant from = at(ts[60]);
        Instant to = at(ts[590]);
        List<Dataset> expanding = store.forSet("tech_v2").timeframe(M5).window(W).labels("fwd_ret_12")
                .walkForward(WalkForward.expanding(3, from, to)).folds(series);
        List<Dataset> rolling = store.forSet("tech_v2").timeframe(M5).window(W).labels("fwd_ret_12")
                .walkForward(WalkForward.rolling(3, from, to)).normalize(Normalization.zScore()).folds(series);
        assertThat(expanding).hasSize(3);
        assertThat(rolling).hasSize(3);
        for (int k = 0; k < 3; k++) {
            Split train = expanding.get(k).split("train").split();
            Split test = expanding.get(k).split("test").split();
            assertThat(train.from()).isEqualTo(from);
            assertThat(train.to()).isEqualTo(test.from());
            assertThat(rolling.get(k).split("train").split().to()).isEqualTo(test.from());
            assertThat(rolling.get(k).split("test").split()).isEqualTo(test);
            assertThat(expanding.get(k).split("test").count()).isPositive();
            DatasetSplit tr = expanding.get(k).split("train");
            for (int n = 0; n < tr.count(); n++) {
                assertThat(tr.labelAvailableAt(n)).isLessThanOrEqualTo(test.fromMs());
            }
        }
        assertThat(expanding.get(2).split("test").split().to()).isEqualTo(to);
        assertThat(expanding.get(2).split("train").count()).isGreaterThan(rolling.get(2).split("train").count());
        assertThat(rolling.get(0).normalization().get().sha256())
                .isNotEqualTo(rolling.get(1).normalization().get().sha256());
    }

    @Test
    @DisplayName("the fingerprint changes with the horizon, splits, purge and normalization; the summary reports counts")
    void fingerprintAndSummary() {
        Dataset base = memory().dataset(series);
        assertThat(base.fingerprint()).isEqualTo(memory().dataset(series).fingerprint());
        String other = store.forSet("tech_v2").timeframe(M5).window(W).labels("fwd_ret_1", "fwd_sign_12").split(splits)
                .dataset(series).fingerprint();
        assertThat(other).isNotEqualTo(base.fingerprint());
        assertThat(memory().purge(3).dataset(series).fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(memory().embargo(3).dataset(series).fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(memory().normalize(Normalization.zScore()).dataset(series).fingerprint())
                .isNotEqualTo(base.fingerprint());
        String summary = base.summary();
        assertThat(summary).contains("fwd_ret_12 = forward_return(h=12)", "purge 32 bars", "normalization none",
                "SBER=", "GAZP=", "purged", "unlabeled");
        // the test range ends at SBER's candle 590 of 600: its candles 588 and 589 are among the last 12
        assertThat(base.split("test").dropped().unlabeled()).isEqualTo(2);
        assertThat(base.split("valid").dropped().unlabeled()).isZero();
    }

    @Test
    @DisplayName("a stride keeps one candidate window every stride rows of each secid, counted from its first")
    void stride() {
        Dataset all = store.forSet("tech_v2").timeframe(M5).window(W).labels("fwd_ret_12").split(splits)
                .dataset(series.get(0));
        Dataset every5 = store.forSet("tech_v2").timeframe(M5).window(W).stride(5).labels("fwd_ret_12")
                .split(splits).dataset(series.get(0));
        FeatureFrame rows = store.forSet("tech_v2").timeframe(M5).compute(series.get(0));
        long[] ts = rows.timestamps();
        java.util.Set<Long> allEnds = new java.util.HashSet<>();
        for (long t : all.split("valid").endTimestamps()) {
            allEnds.add(t);
        }
        DatasetSplit valid = every5.split("valid");
        assertThat(valid.count()).isBetween(all.split("valid").count() / 5, all.split("valid").count() / 5 + 1);
        for (int n = 0; n < valid.count(); n++) {
            int row = java.util.Arrays.binarySearch(ts, valid.endTs(n));
            assertThat((row - (W - 1)) % 5).isZero();
            assertThat(allEnds).contains(valid.endTs(n));
        }
        assertThat(every5.fingerprint()).isNotEqualTo(all.fingerprint());
        assertThat(every5.summary()).contains("stride 5");
    }

    @Test
    @DisplayName("parts the terminal call cannot use, and wrong combinations, are refused with typed errors")
    void refusals() {
        assertThatThrownBy(() -> memory().dataset()).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("secids(");
        assertThatThrownBy(() -> stored().dataset(series)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("dataset()");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).labels("fwd_ret_12").dataset(series))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("split(");
        assertThatThrownBy(() -> memory().folds(series)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("walkForward");
        assertThatThrownBy(() -> memory().split(Split.train(splits[0].from(), splits[1].to()), splits[1])
                .dataset(series)).isInstanceOf(InvalidQueryException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> memory().split(splits[1], splits[2]).normalize(Normalization.zScore()).dataset(series))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("train");
        assertThatThrownBy(() -> store.forSet("tech_v2").labels("no_such")).isInstanceOf(UnknownLabelException.class)
                .hasMessageContaining("fwd_ret_12");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secids(SECIDS).between(splits[0].from(),
                splits[2].to()).labels("fwd_ret_12")).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("between");
        assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secids("SBER", "NONE").labels("fwd_ret_12")
                .split(splits).dataset()).isInstanceOf(InvalidQueryException.class).hasMessageContaining("NONE");
        assertThatThrownBy(() -> memory().purge(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
