package dev.featurestore.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Snapshot metadata")
class SnapshotMetadataTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    @DisplayName("key-value pairs read back to equal metadata")
    void roundTrip(long seed) {
        Random rnd = new Random(seed);
        List<String> features = new ArrayList<>();
        List<FeatureKind> kinds = new ArrayList<>();
        for (int i = 0; i <= rnd.nextInt(30); i++) {
            features.add("f_" + i + "_" + rnd.nextInt(100));
            kinds.add(rnd.nextBoolean() ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL);
        }
        long a = rnd.nextLong() >> 2;
        long b = a + rnd.nextInt(Integer.MAX_VALUE);
        SnapshotMetadata m = new SnapshotMetadata("set_" + seed, Timeframe.parse((1 + rnd.nextInt(59)) + "m"),
                features, kinds, "1.2." + seed, rnd.nextLong(), a, b);
        assertThat(SnapshotMetadata.fromKeyValues(m.toKeyValues(), "file")).as("seed %d", seed).isEqualTo(m);
        assertThat(m.toKeyValues().keySet()).containsExactly("feature_set", "timeframe", "features", "feature_kinds",
                "library_version", "history_start", "source_candles_from", "source_candles_to");
    }

    @Test
    @DisplayName("the fingerprint is the last key and reads back; a file written without it reads as no fingerprint")
    void fingerprint() {
        String fp = "0123456789abcdef".repeat(4);
        SnapshotMetadata without = new SnapshotMetadata("s", Timeframe.parse("1m"), List.of("a"),
                List.of(FeatureKind.NUMERIC), "v", 0, 0, 1);
        SnapshotMetadata with = without.withFingerprint(fp);
        assertThat(with.toKeyValues()).containsEntry(SnapshotMetadata.KEY_FINGERPRINT, fp);
        assertThat(List.copyOf(with.toKeyValues().keySet())).last().isEqualTo("feature_set_fingerprint");
        assertThat(SnapshotMetadata.fromKeyValues(with.toKeyValues(), "f")).isEqualTo(with);
        assertThat(SnapshotMetadata.fromKeyValues(without.toKeyValues(), "old.parquet").fingerprint()).isNull();
        assertThatThrownBy(() -> without.withFingerprint("ABC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lower-case hex digits").hasMessageContaining("'ABC'");
        Map<String, String> kv = new HashMap<>(with.toKeyValues());
        kv.put(SnapshotMetadata.KEY_FINGERPRINT, "not hex");
        assertThatThrownBy(() -> SnapshotMetadata.fromKeyValues(kv, "x.parquet"))
                .isInstanceOf(FeatureStoreException.class).hasMessageContaining("x.parquet")
                .hasMessageContaining("fingerprint");
    }

    @Test
    @DisplayName("a missing or malformed key is named together with the file")
    void malformed() {
        SnapshotMetadata m = new SnapshotMetadata("s", Timeframe.parse("1m"), List.of("a"), List.of(FeatureKind.NUMERIC),
                "v", 0, 0, 1);
        Map<String, String> kv = new HashMap<>(m.toKeyValues());
        kv.remove("timeframe");
        assertThatThrownBy(() -> SnapshotMetadata.fromKeyValues(kv, "x.parquet")).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining("timeframe").hasMessageContaining("x.parquet");
        kv.putAll(m.toKeyValues());
        kv.put("feature_kinds", "numeric,weird");
        assertThatThrownBy(() -> SnapshotMetadata.fromKeyValues(kv, "x.parquet")).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining("x.parquet");
    }

    @Test
    @DisplayName("frames of another set, timeframe or feature list, and repeated secids, do not match")
    void requireMatches() {
        Timeframe tf = Timeframe.parse("1m");
        SnapshotMetadata m = new SnapshotMetadata("s", tf, List.of("a", "b"),
                List.of(FeatureKind.NUMERIC, FeatureKind.CATEGORICAL), "v", 0, 0, 1);
        FeatureFrame ok = frame("X", "s", tf, List.of("a", "b"));
        m.requireMatches(List.of(ok, frame("Y", "s", tf, List.of("a", "b"))));
        assertThatThrownBy(() -> m.requireMatches(List.of(frame("X", "t", tf, List.of("a", "b")))))
                .hasMessageContaining("feature set 't'");
        assertThatThrownBy(() -> m.requireMatches(List.of(frame("X", "s", Timeframe.parse("5m"), List.of("a", "b")))))
                .hasMessageContaining("5m");
        assertThatThrownBy(() -> m.requireMatches(List.of(frame("X", "s", tf, List.of("b", "a")))))
                .hasMessageContaining("[b, a]");
        assertThatThrownBy(() -> m.requireMatches(List.of(ok, ok))).hasMessageContaining("twice");
        assertThatThrownBy(() -> new SnapshotMetadata("s", tf, List.of("ts"), List.of(FeatureKind.NUMERIC), "v", 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ts'");
    }

    private static FeatureFrame frame(String secid, String set, Timeframe tf, List<String> names) {
        return FeatureFrame.of(secid, set, tf, names, List.of(FeatureKind.NUMERIC, FeatureKind.CATEGORICAL),
                new long[] {0}, new double[][] {{1}, {0}});
    }
}
