package dev.featurestore.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.RegistryException;
import dev.featurestore.core.internal.YamlTree;
import dev.featurestore.core.internal.YamlTree.MapNode;
import dev.featurestore.core.registry.FeatureRegistry;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The registry's quality section")
class QualityConfigRegistryTest {
    private static final String SETS = """
            version: 1
            exchange:
              timezone: Asia/Tokyo
            feature_sets:
              s1:
                default_window_size: 10
                timeframes: [5m]
                features: [rsi_14]
            """;

    @Test
    @DisplayName("the built-in registry carries the documented defaults")
    void builtin() {
        QualityConfig q = FeatureRegistry.builtin().quality();
        assertThat(q).isEqualTo(QualityConfig.defaults());
        assertThat(q.sessionZone()).isEqualTo(ZoneId.of("Europe/Moscow"));
        assertThat(q.reportDirectory()).isEqualTo(Path.of("docs", "data_quality"));
        assertThat(q.threshold(QualityCheck.OUT_OF_RANGE)).isEqualTo(new Threshold(null, 1.0, true));
        assertThat(q.threshold(QualityCheck.STALENESS)).isEqualTo(Threshold.reportOnly());
    }

    @Test
    @DisplayName("without a quality section, the defaults apply with the exchange's zone")
    void absent() {
        QualityConfig q = FeatureRegistry.parse("t.yaml", SETS).quality();
        assertThat(q.sessionZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(q.thresholds()).isEqualTo(QualityConfig.defaults().thresholds());
        assertThat(FeatureRegistry.parse("t.yaml", SETS).featureSet("s1").features()).containsExactly("rsi_14");
    }

    @Test
    @DisplayName("reads the session, directory and thresholds; a left-out key keeps its default and ~ clears it; durations for staleness")
    void reads() {
        QualityConfig q = FeatureRegistry.parse("t.yaml", SETS + """
                quality:
                  report_dir: out/quality
                  session:
                    timezone: Europe/London
                    open: 08:00
                    close: "16:30"
                    weekdays: [mon, Tuesday, WED]
                  checks:
                    missing_candles: {fail: 0.5}
                    duplicates: {warn: ~, fail: 10, blocking: true}
                    staleness: {warn: 2h, fail: PT36H}
                    drift_psi: {warn: 0.2, fail: ~}
                """).quality();
        assertThat(q.sessionZone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(q.sessionOpen()).isEqualTo(LocalTime.of(8, 0));
        assertThat(q.sessionClose()).isEqualTo(LocalTime.of(16, 30));
        assertThat(q.weekdays()).isEqualTo(EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY));
        assertThat(q.reportDirectory()).isEqualTo(Path.of("out/quality"));
        assertThat(q.threshold(QualityCheck.MISSING_CANDLES)).isEqualTo(new Threshold(0.01, 0.5, false));
        assertThat(q.threshold(QualityCheck.DUPLICATES)).isEqualTo(new Threshold(null, 10.0, true));
        assertThat(q.threshold(QualityCheck.STALENESS)).isEqualTo(new Threshold(7200.0, 129600.0, false));
        assertThat(q.threshold(QualityCheck.DRIFT_PSI)).isEqualTo(new Threshold(0.2, null, false));
        assertThat(q.threshold(QualityCheck.NON_FINITE)).isEqualTo(QualityConfig.defaults().threshold(QualityCheck.NON_FINITE));
    }

    private static void assertError(String quality, int line, String key, String message) {
        assertThatThrownBy(() -> FeatureRegistry.parse("t.yaml", SETS + quality))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.file()).isEqualTo("t.yaml");
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    @DisplayName("errors name the file, line and key")
    void errors() {
        assertError("quality:\n  colour: red\n", 10, "quality.colour", "unknown key 'colour'");
        assertError("quality:\n  checks:\n    gaps: {warn: 1}\n", 11, "quality.checks.gaps", "unknown check 'gaps'");
        assertError("quality:\n  checks:\n    duplicates: {warn: 5, fail: 1}\n", 11, "quality.checks.duplicates",
                "warn threshold 5.0 is above the fail threshold 1.0");
        assertError("quality:\n  checks:\n    duplicates: {warn: lots}\n", 11, "quality.checks.duplicates.warn",
                "threshold must be a number");
        assertError("quality:\n  checks:\n    duplicates: {blocking: maybe}\n", 11, "quality.checks.duplicates.blocking",
                "true or false");
        assertError("quality:\n  checks:\n    staleness: {warn: soon}\n", 11, "quality.checks.staleness.warn",
                "seconds or a duration");
        assertError("quality:\n  session:\n    weekdays: [MON, Funday]\n", 11, "quality.session.weekdays[1]",
                "unknown weekday 'Funday'");
        assertError("quality:\n  session:\n    open: \"25:00\"\n", 11, "quality.session.open", "not a time of day");
        assertError("quality:\n  session:\n    open: \"18:00\"\n    close: \"10:00\"\n", 12, "quality.session.close",
                "must be after its open");
        assertError("quality:\n  session:\n    timezone: Mars/Olympus\n", 11, "quality.session.timezone", "unknown time zone");
    }

    @Test
    @DisplayName("QualityConfig.parse reads the section of a YAML tree as the registry does, errors included")
    void parseTheSectionItself() {
        String section = """
                quality:
                  report_dir: out/q
                  session: {open: "09:50", weekdays: [MON, TUE]}
                  checks:
                    duplicates: {warn: 2, fail: ~}
                    staleness: {warn: 90m}
                """;
        MapNode root = (MapNode) YamlTree.read("t.yaml", new StringReader(section));
        QualityConfig direct = QualityConfig.parse("t.yaml", root.entries.get("quality"), ZoneId.of("Asia/Tokyo"));
        assertThat(direct).isEqualTo(FeatureRegistry.parse("t.yaml", SETS + section).quality());
        assertThat(direct.sessionOpen()).isEqualTo(LocalTime.of(9, 50));
        assertThat(direct.threshold(QualityCheck.STALENESS).warn()).isEqualTo(5400.0);
        assertThat(QualityConfig.parse("t.yaml", null, ZoneId.of("UTC")))
                .isEqualTo(QualityConfig.builder().sessionZone(ZoneId.of("UTC")).build());

        MapNode bad = (MapNode) YamlTree.read("t.yaml", new StringReader("quality:\n  checks:\n    gaps: {warn: 1}\n"));
        assertThatThrownBy(() -> QualityConfig.parse("t.yaml", bad.entries.get("quality"), ZoneId.of("UTC")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.key()).isEqualTo("quality.checks.gaps");
                    assertThat(e.getMessage()).contains("unknown check 'gaps'; valid checks are [");
                });
    }
}
