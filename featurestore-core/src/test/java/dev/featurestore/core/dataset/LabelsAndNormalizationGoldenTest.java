package dev.featurestore.core.dataset;

import static dev.featurestore.core.dataset.Series.M5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.RegistryException;
import dev.featurestore.core.label.LabelDefinition;
import dev.featurestore.core.label.LabelDefinition.Kind;
import dev.featurestore.core.label.UnknownLabelException;
import dev.featurestore.core.registry.FeatureRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Labels and normalization: golden values on hand-checked series")
class LabelsAndNormalizationGoldenTest {
    private static final double[] CLOSE = {100, 110, 99, 99, 120, 60};

    @Test
    @DisplayName("forward return c[t+h]/c[t]-1, NaN for the last h rows")
    void forwardReturn() {
        double[] h1 = new LabelDefinition("r1", Kind.FORWARD_RETURN, 1, 0, null).compute(CLOSE);
        assertThat(h1).containsExactly(110.0 / 100 - 1, 99.0 / 110 - 1, 99.0 / 99 - 1, 120.0 / 99 - 1, 60.0 / 120 - 1,
                Double.NaN);
        assertThat(h1[0]).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(h1[2]).isZero();
        assertThat(h1[4]).isEqualTo(-0.5);
        double[] h2 = new LabelDefinition("r2", Kind.FORWARD_RETURN, 2, 0, null).compute(CLOSE);
        assertThat(h2[0]).isCloseTo(-0.01, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(h2).containsExactly(99.0 / 100 - 1, 99.0 / 110 - 1, 120.0 / 99 - 1, 60.0 / 99 - 1, Double.NaN, Double.NaN);
    }

    @Test
    @DisplayName("forward log return log(c[t+h]/c[t])")
    void forwardLogReturn() {
        double[] v = new LabelDefinition("l2", Kind.FORWARD_LOG_RETURN, 2, 0, null).compute(CLOSE);
        assertThat(v).containsExactly(Math.log(0.99), Math.log(99.0 / 110), Math.log(120.0 / 99), Math.log(60.0 / 99),
                Double.NaN, Double.NaN);
        assertThat(v[0]).isCloseTo(-0.01005033585350145, org.assertj.core.data.Offset.offset(1e-16));
    }

    @Test
    @DisplayName("sign label: 0 within the threshold (inclusive), else 1 or -1")
    void sign() {
        // h=1 returns: +10%, -10%, 0%, +21.2%, -50%
        assertThat(new LabelDefinition("s", Kind.SIGN, 1, 0, null).compute(CLOSE))
                .containsExactly(1, -1, 0, 1, -1, Double.NaN);
        assertThat(new LabelDefinition("s", Kind.SIGN, 1, 0.15, null).compute(CLOSE))
                .containsExactly(0, 0, 0, 1, -1, Double.NaN);
        // |r| == threshold is 0: 0.01 of 100 -> 101 is exactly representable as the return below
        double r = 101.0 / 100 - 1;
        assertThat(new LabelDefinition("s", Kind.SIGN, 1, r, null).compute(new double[] {100, 101}))
                .containsExactly(0, Double.NaN);
        assertThat(new LabelDefinition("s", Kind.SIGN, 1, 0, null).valueKind()).isEqualTo(FeatureKind.CATEGORICAL);
    }

    @Test
    @DisplayName("a label's fingerprint covers kind, horizon and threshold, not the name")
    void fingerprint() {
        String a = new LabelDefinition("a", Kind.FORWARD_RETURN, 12, 0, "x").fingerprint();
        assertThat(new LabelDefinition("b", Kind.FORWARD_RETURN, 12, 0, "y").fingerprint()).isEqualTo(a);
        assertThat(new LabelDefinition("a", Kind.FORWARD_RETURN, 13, 0, null).fingerprint()).isNotEqualTo(a);
        assertThat(new LabelDefinition("a", Kind.FORWARD_LOG_RETURN, 12, 0, null).fingerprint()).isNotEqualTo(a);
        assertThat(new LabelDefinition("a", Kind.SIGN, 12, 0, null).fingerprint())
                .isNotEqualTo(new LabelDefinition("a", Kind.SIGN, 12, 0.001, null).fingerprint());
        assertThat(a).matches("[0-9a-f]{64}");
    }

    @Test
    @DisplayName("the registry's labels: section: the built-in labels, and typed errors naming line and key")
    void registryLabels() {
        FeatureRegistry builtin = FeatureRegistry.builtin();
        assertThat(builtin.labelNames()).contains("fwd_ret_12", "fwd_logret_12", "fwd_sign_12");
        assertThat(builtin.label("fwd_sign_12")).isEqualTo(new LabelDefinition("fwd_sign_12", Kind.SIGN, 12, 0.001,
                builtin.label("fwd_sign_12").description()));
        assertThatThrownBy(() -> builtin.label("fwd_ret_99")).isInstanceOf(UnknownLabelException.class)
                .hasMessageContaining("fwd_ret_12");
        String set = "feature_sets:\n  s:\n    default_window_size: 5\n    timeframes: [5m]\n    features: [return_1]\n";
        assertThatThrownBy(() -> FeatureRegistry.parse("t", set + "labels:\n  y: {kind: forward, horizon: 3}\n"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("forward_return")
                .hasMessageContaining("t:7").hasMessageContaining("labels.y.kind");
        assertThatThrownBy(() -> FeatureRegistry.parse("t", set + "labels:\n  y: {kind: sign, horizon: 0}\n"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("horizon must be >= 1");
        assertThatThrownBy(() -> FeatureRegistry.parse("t", set
                + "labels:\n  y: {kind: forward_return, horizon: 2, threshold: 0.1}\n"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("kind sign only");
        assertThatThrownBy(() -> FeatureRegistry.parse("t", set + "labels:\n  return_1: {kind: sign, horizon: 1}\n"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("name of a feature");
        assertThatThrownBy(() -> FeatureRegistry.parse("t", set + "labels:\n  y: {kind: sign, horizon: 1, lag: 2}\n"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("lag");
        // a label is not a feature: a set cannot name it
        assertThatThrownBy(() -> FeatureRegistry.parse("t", set.replace("[return_1]", "[return_1, fwd_ret_1]")
                + "labels:\n  fwd_ret_1: {kind: forward_return, horizon: 1}\n"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("unknown feature 'fwd_ret_1'");
    }

    private static final long T0 = Instant.parse("2024-01-02T10:00:00Z").toEpochMilli();

    /** A frame of numeric feature x, categorical feature k, one row per 5m from T0. */
    private static FeatureFrame frame(String secid, double... x) {
        long[] ts = new long[x.length];
        double[] k = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            ts[i] = T0 + i * M5.millis();
            k[i] = i % 2;
        }
        return FeatureFrame.of(secid, "s", M5, List.of("x", "k"), List.of(FeatureKind.NUMERIC,
                FeatureKind.CATEGORICAL), ts, new double[][] {x, k});
    }

    /** The training split over the first {@code rows} rows (the last one closes at its end). */
    private static Split train(int rows) {
        return Split.train(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + rows * M5.millis()));
    }

    private static FittedNormalization fit(Normalization n, int rows, FeatureFrame... frames) {
        return FittedNormalization.fit(n, null, train(rows), List.of(frames), ts -> ts + M5.millis());
    }

    @Test
    @DisplayName("z-score: mean and population std of the training rows only; categoricals untouched")
    void zScore() {
        // training rows 1, 2, 3, 4 (mean 2.5, std sqrt(1.25)); the 1000 after the range is not fitted on
        FeatureFrame f = frame("A", 1, 2, 3, 4, 1000);
        FittedNormalization n = fit(Normalization.zScore(), 4, f);
        assertThat(n.center("*", 0)).isEqualTo(2.5);
        assertThat(n.scale("*", 0)).isEqualTo(Math.sqrt(1.25));
        assertThat(n.rows("*")).isEqualTo(4);
        FeatureFrame z = n.apply(f);
        assertThat(z.column("x")).containsExactly((1 - 2.5) / Math.sqrt(1.25), (2 - 2.5) / Math.sqrt(1.25),
                (3 - 2.5) / Math.sqrt(1.25), (4 - 2.5) / Math.sqrt(1.25), (1000 - 2.5) / Math.sqrt(1.25));
        assertThat(z.column("k")).containsExactly(f.column("k"));
        FittedNormalization clipped = fit(Normalization.zScore().clip(1), 4, f);
        assertThat(clipped.apply(f).column("x")).containsExactly(-1, (2 - 2.5) / Math.sqrt(1.25),
                (3 - 2.5) / Math.sqrt(1.25), 1, 1);
        assertThat(clipped.sha256()).isNotEqualTo(n.sha256());
    }

    @Test
    @DisplayName("robust z-score: median and 1.4826 x MAD with ties and an even count")
    void robust() {
        // 1, 2, 2, 3, 10: median 2, |x - 2| = 1, 0, 0, 1, 8 -> MAD 1
        FittedNormalization odd = fit(Normalization.robustZScore(), 5, frame("A", 10, 2, 1, 2, 3));
        assertThat(odd.center("*", 0)).isEqualTo(2);
        assertThat(odd.scale("*", 0)).isEqualTo(1.4826);
        // 1, 2, 3, 4: median 2.5, |x - 2.5| = 1.5, 0.5, 0.5, 1.5 -> MAD 1
        FittedNormalization even = fit(Normalization.robustZScore(), 4, frame("A", 4, 1, 3, 2));
        assertThat(even.center("*", 0)).isEqualTo(2.5);
        assertThat(even.scale("*", 0)).isEqualTo(1.4826);
        assertThat(even.apply(frame("A", 5.4652)).value(0, 0)).isEqualTo((5.4652 - 2.5) / 1.4826);
    }

    @Test
    @DisplayName("neutral rule: a zero MAD or std gives scale 1, so the feature is only centred")
    void zeroScale() {
        // 1, 2, 2, 2, 9: median 2, |x - 2| = 1, 0, 0, 0, 7 -> MAD 0
        FittedNormalization mad0 = fit(Normalization.robustZScore(), 5, frame("A", 1, 2, 2, 2, 9, 5));
        assertThat(mad0.center("*", 0)).isEqualTo(2);
        assertThat(mad0.scale("*", 0)).isEqualTo(1);
        assertThat(mad0.apply(frame("A", 1, 2, 2, 2, 9, 5)).column("x")).containsExactly(-1, 0, 0, 0, 7, 3);
        FittedNormalization std0 = fit(Normalization.zScore(), 3, frame("A", 7, 7, 7, 8));
        assertThat(std0.center("*", 0)).isEqualTo(7);
        assertThat(std0.scale("*", 0)).isEqualTo(1);
        assertThat(std0.apply(frame("A", 7, 7, 7, 8)).column("x")).containsExactly(0, 0, 0, 1);
    }

    @Test
    @DisplayName("per secid statistics differ from pooled ones; a secid without statistics is refused")
    void perSecidAndPooled() {
        FeatureFrame a = frame("A", 1, 3);
        FeatureFrame b = frame("B", 10, 30);
        FittedNormalization per = fit(Normalization.zScore().perSecid(), 2, a, b);
        assertThat(per.groups()).containsExactly("A", "B");
        assertThat(per.center("A", 0)).isEqualTo(2);
        assertThat(per.center("B", 0)).isEqualTo(20);
        assertThat(per.scale("B", 0)).isEqualTo(10);
        assertThat(per.apply(b).column("x")).containsExactly(-1, 1);
        FittedNormalization pooled = fit(Normalization.zScore(), 2, a, b);
        assertThat(pooled.groups()).containsExactly("*");
        assertThat(pooled.center("*", 0)).isEqualTo(11);
        assertThatThrownBy(() -> per.apply(frame("C", 1))).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining("secid 'C'").hasMessageContaining("[A, B]");
        assertThatThrownBy(() -> fit(Normalization.zScore().perSecid(), 2, a, frame("C", 5, 6).rows(0, 0)))
                .isInstanceOf(FeatureStoreException.class).hasMessageContaining("secid 'C'");
    }

    @Test
    @DisplayName("JSON round trip keeps every bit and the hash; altered statistics are refused")
    void json() {
        FittedNormalization n = fit(Normalization.robustZScore().perSecid().clip(3), 5,
                frame("A", 0.1, 0.7, 1.0 / 3, Math.PI, 1e-300), frame("B", -2.5e10, 4, 4, Math.E, 0));
        FittedNormalization back = FittedNormalization.fromJson(n.toJson());
        assertThat(back).isEqualTo(n);
        assertThat(back.sha256()).isEqualTo(n.sha256());
        assertThat(back.id()).isEqualTo(n.id()).startsWith("norm_").hasSize(21);
        for (String g : n.groups()) {
            assertThat(Double.doubleToRawLongBits(back.center(g, 0))).isEqualTo(
                    Double.doubleToRawLongBits(n.center(g, 0)));
            assertThat(Double.doubleToRawLongBits(back.scale(g, 0))).isEqualTo(Double.doubleToRawLongBits(n.scale(g, 0)));
        }
        String center = String.valueOf(n.center("A", 0));
        String altered = n.toJson().replaceFirst(java.util.regex.Pattern.quote(center), "0.5");
        assertThat(altered).isNotEqualTo(n.toJson());
        assertThatThrownBy(() -> FittedNormalization.fromJson(altered)).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining("altered");
        assertThatThrownBy(() -> FittedNormalization.fromJson("{\"version\": 7}"))
                .isInstanceOf(FeatureStoreException.class).hasMessageContaining("version");
    }
}
