package dev.featurestore.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.RegistryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.UnknownFeatureSetException;
import dev.featurestore.core.testing.ReferenceFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The feature-set registry")
class FeatureRegistryTest {

    private static String set(String name, String window, String timeframes, String features) {
        return "  " + name + ":\n"
                + "    description: a test set\n"
                + "    default_window_size: " + window + "\n"
                + "    timeframes: " + timeframes + "\n"
                + "    features:\n" + features;
    }

    private static String registry(String sets) {
        return "version: 1\n"
                + "exchange:\n"
                + "  timezone: UTC\n"
                + "feature_sets:\n" + sets;
    }

    @Test
    @DisplayName("the built-in registry defines tech_v1 (17 features, window 60, 5m/1h) and tech_v2 (20, 120, 1m/5m/15m/1h) in the definitions' order")
    void builtin() {
        FeatureRegistry r = FeatureRegistry.builtin();
        assertThat(r.featureSetNames()).contains("tech_v1", "tech_v2");
        FeatureSetSpec v1 = r.featureSet("tech_v1");
        assertThat(v1.features()).containsExactlyElementsOf(ReferenceFeatures.TECH_V1);
        assertThat(v1.features()).hasSize(17);
        assertThat(v1.defaultWindowSize()).isEqualTo(60);
        assertThat(v1.timeframes()).containsExactly(Timeframe.parse("5m"), Timeframe.parse("1h"));
        FeatureSetSpec v2 = r.featureSet("tech_v2");
        assertThat(v2.features()).containsExactlyElementsOf(ReferenceFeatures.TECH_V2);
        assertThat(v2.features()).hasSize(20);
        assertThat(v2.defaultWindowSize()).isEqualTo(120);
        assertThat(v2.timeframes()).containsExactly(Timeframe.parse("1m"), Timeframe.parse("5m"),
                Timeframe.parse("15m"), Timeframe.parse("1h"));
        assertThat(r.exchangeZone()).isEqualTo(ZoneId.of("Europe/Moscow"));
        assertThat(r.indicators(v2)).extracting(i -> i.name()).containsExactlyElementsOf(ReferenceFeatures.TECH_V2);
        assertThat(r.indicators().keySet()).containsAll(ReferenceFeatures.TECH_V2);
    }

    @Test
    @DisplayName("a valid file loads, with its sets in file order")
    void loads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fs.yaml");
        Files.writeString(file, registry(set("small_v1", "10", "[5m]", "      - return_1\n      - rsi_14\n")
                + set("other_v1", "3", "[1m, 1h]", "      - atr_14\n")));
        FeatureRegistry r = FeatureRegistry.load(file);
        assertThat(r.featureSetNames()).containsExactly("small_v1", "other_v1");
        assertThat(r.featureSet("small_v1").features()).containsExactly("return_1", "rsi_14");
        assertThat(r.featureSet("small_v1").description()).isEqualTo("a test set");
        assertThat(r.featureSet("other_v1").defaultWindowSize()).isEqualTo(3);
        assertThat(r.exchangeZone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    @DisplayName("an unknown feature names file, line and key, and lists the known features")
    void unknownFeature(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, registry(set("small_v1", "10", "[5m]", "      - return_1\n      - rsi_99\n")));
        assertThatThrownBy(() -> FeatureRegistry.load(file)).isInstanceOf(RegistryException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(":11")
                .hasMessageContaining("unknown feature 'rsi_99'").hasMessageContaining("rsi_14")
                .hasMessageContaining("stoch_d_3").satisfies(e -> {
                    RegistryException re = (RegistryException) e;
                    assertThat(re.file()).isEqualTo(file.toString());
                    assertThat(re.line()).isEqualTo(11);
                    assertThat(re.key()).contains("small_v1").contains("features");
                });
    }

    @Test
    @DisplayName("a duplicate feature names its line")
    void duplicateFeature() {
        String yaml = registry(set("small_v1", "10", "[5m]", "      - return_1\n      - atr_14\n      - return_1\n"));
        assertThatThrownBy(() -> FeatureRegistry.parse("dup.yaml", yaml)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("dup.yaml:12").hasMessageContaining("duplicate feature 'return_1'")
                .satisfies(e -> assertThat(((RegistryException) e).line()).isEqualTo(12));
    }

    @Test
    @DisplayName("a window below 1, or not a number, names the key default_window_size")
    void badWindow() {
        for (String w : new String[] {"0", "-5", "ten"}) {
            String yaml = registry(set("small_v1", w, "[5m]", "      - return_1\n"));
            assertThatThrownBy(() -> FeatureRegistry.parse("w.yaml", yaml)).as("window %s", w)
                    .isInstanceOf(RegistryException.class).hasMessageContaining("w.yaml:7")
                    .hasMessageContaining("default_window_size").hasMessageContaining(w)
                    .satisfies(e -> assertThat(((RegistryException) e).key()).contains("default_window_size"));
        }
    }

    @Test
    @DisplayName("an unknown timeframe is quoted, with its line")
    void unknownTimeframe() {
        String yaml = registry(set("small_v1", "10", "[5m, 7x]", "      - return_1\n"));
        assertThatThrownBy(() -> FeatureRegistry.parse("tf.yaml", yaml)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("tf.yaml:8").hasMessageContaining("unknown timeframe")
                .hasMessageContaining("'7x'").satisfies(e -> assertThat(((RegistryException) e).key())
                        .contains("timeframes"));
    }

    @Test
    @DisplayName("an unknown key names it and lists the valid keys")
    void unknownKey() {
        String yaml = registry(set("small_v1", "10", "[5m]", "      - return_1\n") + "    windw: 5\n");
        assertThatThrownBy(() -> FeatureRegistry.parse("k.yaml", yaml)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("k.yaml:11").hasMessageContaining("unknown key 'windw'")
                .hasMessageContaining("default_window_size").satisfies(e -> assertThat(((RegistryException) e).key())
                        .contains("windw"));
        String top = registry(set("small_v1", "10", "[5m]", "      - return_1\n")) + "colour: blue\n";
        assertThatThrownBy(() -> FeatureRegistry.parse("top.yaml", top)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("unknown key 'colour'").hasMessageContaining("top.yaml:11");
    }

    @Test
    @DisplayName("an unknown set is an UnknownFeatureSetException listing the known sets")
    void unknownSet() {
        FeatureRegistry r = FeatureRegistry.parse("s.yaml",
                registry(set("small_v1", "10", "[5m]", "      - return_1\n")));
        assertThatThrownBy(() -> r.featureSet("small_v2")).isInstanceOf(UnknownFeatureSetException.class)
                .hasMessageContaining("small_v2").hasMessageContaining("[small_v1]")
                .satisfies(e -> assertThat(((UnknownFeatureSetException) e).known()).isEqualTo(List.of("small_v1")));
    }

    @Test
    @DisplayName("a missing file is a RegistryException naming it")
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> FeatureRegistry.load(file)).isInstanceOf(RegistryException.class)
                .hasMessageContaining(file.toString());
    }
}
