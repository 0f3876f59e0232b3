package dev.featurestore.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.RegistryException;
import dev.featurestore.api.UnknownFeatureSetException;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.indicator.IndicatorProvider;
import dev.featurestore.core.indicator.BuiltinIndicators;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Feature-set fingerprints")
class FingerprintTest {

    /**
     * The built-in sets' fingerprints. A change here means every stored build of the set is
     * refused: only change them together with {@link BuiltinIndicators#DEFINITION_VERSION} (or
     * the encoding's version) on purpose, and say so in the changelog.
     */
    private static final String TECH_V1 = "a397aaf17a5705222a50ff3b8d7ddc035a7e391c31cfa1e07c298af14cf972f7";
    private static final String TECH_V2 = "04bfc8f79a6584b82eed8be81e5160dd6dbbdd69dee34d5f5b67bbe0ad2210d3";

    /** A provider of one feature, {@code test_feature}, whose kind, parameters and version a test chooses. */
    private static IndicatorProvider provider(FeatureKind kind, Map<String, Object> params, String version) {
        List<Indicator> indicators = List.of(
                Indicator.define("test_feature", kind, List.of("close"), params, 0, "a test feature",
                        (ctx, out) -> Arrays.fill(out, 0)),
                Indicator.define("other_feature", FeatureKind.NUMERIC, List.of("high", "low"), Map.of(), 1,
                        "another test feature", (ctx, out) -> Arrays.fill(out, 1)));
        return new IndicatorProvider() {
            @Override
            public List<Indicator> indicators() {
                return indicators;
            }

            @Override
            public String definitionVersion() {
                return version;
            }
        };
    }

    private static String yaml(String timeframes, String... features) {
        StringBuilder sb = new StringBuilder("version: 1\nexchange:\n  timezone: Europe/Moscow\nfeature_sets:\n"
                + "  test_v1:\n    description: a test set\n    default_window_size: 10\n    timeframes: " + timeframes
                + "\n    features:\n");
        for (String f : features) {
            sb.append("      - ").append(f).append('\n');
        }
        return sb.toString();
    }

    private static String fingerprint(String yaml, IndicatorProvider... providers) {
        return FeatureRegistry.parse("test.yaml", yaml, List.of(providers)).fingerprint("test_v1");
    }

    private static final IndicatorProvider BASE = provider(FeatureKind.NUMERIC, Map.of("period", 14), "1");
    private static final String BASE_YAML = yaml("[5m, 1h]", "test_feature", "other_feature");

    @Test
    @DisplayName("the built-in sets' fingerprints are pinned, so an accidental change of a definition fails here")
    void builtinPinned() {
        FeatureRegistry builtin = FeatureRegistry.builtin();
        assertThat(builtin.fingerprint("tech_v1")).as("tech_v1").isEqualTo(TECH_V1);
        assertThat(builtin.fingerprint("tech_v2")).as("tech_v2").isEqualTo(TECH_V2);
        assertThat(builtin.definitionVersion("rsi_14")).isEqualTo(BuiltinIndicators.DEFINITION_VERSION);
    }

    @Test
    @DisplayName("config/feature_store.yaml gives the pinned fingerprints, loaded twice, and the same as the class-path copy")
    void sameAcrossLoads() {
        Path config = Path.of("..", "config", "feature_store.yaml");
        FeatureRegistry first = FeatureRegistry.load(config);
        FeatureRegistry second = FeatureRegistry.load(config);
        for (String set : List.of("tech_v1", "tech_v2")) {
            assertThat(second.fingerprint(set)).as(set).isEqualTo(first.fingerprint(set))
                    .isEqualTo(FeatureRegistry.builtin().fingerprint(set)).matches("[0-9a-f]{64}");
        }
        assertThat(fingerprint(BASE_YAML, BASE)).isEqualTo(fingerprint(BASE_YAML, BASE));
    }

    @Test
    @DisplayName("adding, removing or reordering a feature changes the fingerprint")
    void featureListChanges() {
        String base = fingerprint(BASE_YAML, BASE);
        assertThat(fingerprint(yaml("[5m, 1h]", "test_feature"), BASE)).as("removed").isNotEqualTo(base);
        assertThat(fingerprint(yaml("[5m, 1h]", "other_feature", "test_feature"), BASE)).as("reordered")
                .isNotEqualTo(base);
        assertThat(fingerprint(yaml("[5m, 1h]", "test_feature", "other_feature", "rsi_14"), BASE,
                new BuiltinIndicators())).as("added").isNotEqualTo(base);
        assertThat(fingerprint(BASE_YAML, BASE, new BuiltinIndicators()))
                .as("more providers on the class path, the same features").isEqualTo(base);
    }

    @Test
    @DisplayName("a changed parameter value, parameter type or kind changes the fingerprint")
    void parameterAndKindChanges() {
        String base = fingerprint(BASE_YAML, BASE);
        assertThat(fingerprint(BASE_YAML, provider(FeatureKind.NUMERIC, Map.of("period", 15), "1")))
                .as("period 15").isNotEqualTo(base);
        assertThat(fingerprint(BASE_YAML, provider(FeatureKind.NUMERIC, Map.of("period", 14.0), "1")))
                .as("period 14.0, a double").isNotEqualTo(base);
        assertThat(fingerprint(BASE_YAML, provider(FeatureKind.NUMERIC, Map.of("period", 14L), "1")))
                .as("period 14L is the same whole number").isEqualTo(base);
        assertThat(fingerprint(BASE_YAML, provider(FeatureKind.NUMERIC, Map.of("period", 14, "k", 2), "1")))
                .as("a parameter added").isNotEqualTo(base);
        assertThat(fingerprint(BASE_YAML, provider(FeatureKind.CATEGORICAL, Map.of("period", 14), "1")))
                .as("categorical").isNotEqualTo(base);
    }

    @Test
    @DisplayName("adding a timeframe changes the fingerprint; their order in the file does not")
    void timeframeChanges() {
        String base = fingerprint(BASE_YAML, BASE);
        assertThat(fingerprint(yaml("[5m, 1h, 15m]", "test_feature", "other_feature"), BASE)).as("15m added")
                .isNotEqualTo(base);
        assertThat(fingerprint(yaml("[5m]", "test_feature", "other_feature"), BASE)).as("1h removed")
                .isNotEqualTo(base);
        assertThat(fingerprint(yaml("[1h, 5m]", "test_feature", "other_feature"), BASE)).as("reordered")
                .isEqualTo(base);
        assertThat(fingerprint(yaml("[60m, 5m]", "test_feature", "other_feature"), BASE)).as("60m is not 1h")
                .isNotEqualTo(base);
    }

    @Test
    @DisplayName("a 1d timeframe's fingerprint depends on the exchange zone; minute and hour ones do not")
    void dailyBucketsFollowTheZone() {
        String daily = yaml("[5m, 1d]", "test_feature");
        String intraday = yaml("[5m, 1h]", "test_feature");
        assertThat(fingerprint(daily.replace("Europe/Moscow", "America/New_York"), BASE))
                .isNotEqualTo(fingerprint(daily, BASE));
        assertThat(fingerprint(intraday.replace("Europe/Moscow", "America/New_York"), BASE))
                .isEqualTo(fingerprint(intraday, BASE));
    }

    @Test
    @DisplayName("a provider's definition version is part of the fingerprint; the default is a stable \"1\"")
    void definitionVersion() {
        String base = fingerprint(BASE_YAML, BASE);
        assertThat(fingerprint(BASE_YAML, provider(FeatureKind.NUMERIC, Map.of("period", 14), "2")))
                .isNotEqualTo(base);
        IndicatorProvider defaulted = BASE::indicators;
        assertThat(defaulted.definitionVersion()).isEqualTo(IndicatorProvider.DEFAULT_DEFINITION_VERSION)
                .isEqualTo("1");
        assertThat(fingerprint(BASE_YAML, defaulted)).isEqualTo(base);
        for (String bad : new String[] {"", "1\n", null}) {
            assertThatThrownBy(() -> fingerprint(BASE_YAML, provider(FeatureKind.NUMERIC, Map.of(), bad)))
                    .as("version %s", bad).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("definition version").hasMessageContaining("non-empty");
        }
    }

    @Test
    @DisplayName("name, description, default window and the order of a set's YAML keys leave the fingerprint as it is")
    void presentationDoesNotCount() {
        String base = fingerprint(BASE_YAML, BASE);
        String other = "version: 1\nfeature_sets:\n  renamed_v9:\n    features: [test_feature, other_feature]\n"
                + "    timeframes: [1h, 5m]\n    default_window_size: 99\n    description: other words\n";
        assertThat(FeatureRegistry.parse("o.yaml", other, List.of(BASE)).fingerprint("renamed_v9")).isEqualTo(base);
    }

    @Test
    @DisplayName("the fingerprint is the SHA-256 of the byte encoding the javadoc of FeatureRegistry.fingerprint specifies")
    void encodingAsDocumented() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("slow", 26);
        params.put("k", 2.5);
        params.put("on", true);
        params.put("src", "close");
        params.put("lags", List.of(1, 2));
        IndicatorProvider p = provider(FeatureKind.CATEGORICAL, params, "v7");
        String yaml = yaml("[1d, 1h, 5m]", "other_feature", "test_feature");

        Bytes b = new Bytes();
        b.str("featurestore.feature_set_fingerprint").i32(1).i32(2);
        b.str("other_feature").str("numeric").i32(2).str("high").str("low").i32(1).i32(0).str("v7");
        b.str("test_feature").str("categorical").i32(1).str("close").i32(0).i32(5);
        b.str("k").tag('D').i64(Double.doubleToLongBits(2.5));
        b.str("lags").tag('L').i32(2).tag('I').i64(1).tag('I').i64(2);
        b.str("on").tag('B').tag(1);
        b.str("slow").tag('I').i64(26);
        b.str("src").tag('S').str("close");
        b.str("v7");
        b.i32(3);
        b.str("5m").i64(300_000).str("utc_floor");
        b.str("1h").i64(3_600_000).str("utc_floor");
        b.str("1d").i64(86_400_000).str("exchange_day").str("Europe/Moscow");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.out.toByteArray()));

        assertThat(fingerprint(yaml, p)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a parameter value without a stable encoding is refused when the registry is read, naming feature and parameter")
    void unstableParameterRefused() {
        IndicatorProvider p = provider(FeatureKind.NUMERIC, Map.of("when", new Object()), "1");
        assertThatThrownBy(() -> fingerprint(BASE_YAML, p)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("test.yaml").hasMessageContaining("test_feature")
                .hasMessageContaining("'when'").hasMessageContaining("java.lang.Object")
                .hasMessageContaining("whole number");
    }

    @Test
    @DisplayName("the fingerprint of an unknown set is an UnknownFeatureSetException")
    void unknownSet() {
        assertThatThrownBy(() -> FeatureRegistry.builtin().fingerprint("tech_v9"))
                .isInstanceOf(UnknownFeatureSetException.class).hasMessageContaining("tech_v1");
    }

    @Test
    @DisplayName("a registry file read from disk and the same text parsed give the same fingerprints")
    void fileAndText(@TempDir Path dir) throws Exception {
        String text = Files.readString(Path.of("..", "config", "feature_store.yaml"));
        Path copy = dir.resolve("copy.yaml");
        Files.writeString(copy, text, StandardCharsets.UTF_8);
        assertThat(FeatureRegistry.load(copy).fingerprint("tech_v2"))
                .isEqualTo(FeatureRegistry.parse("text", text).fingerprint("tech_v2"));
    }

    /** The encoding's primitives, written from the javadoc, independently of the library's encoder. */
    private static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            out.writeBytes(b);
            return this;
        }

        Bytes i32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        Bytes i64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
            return this;
        }

        Bytes tag(int b) {
            out.write(b);
            return this;
        }
    }
}
