package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.core.registry.FeatureRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("featurestore sets")
class SetsCommandTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("lists every built-in set with its fingerprint, default window, timeframes and features in order")
    void builtin() {
        Cli.Run run = Cli.run("sets");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.out().lines().toList();
        FeatureRegistry builtin = FeatureRegistry.builtin();
        assertThat(lines).contains("tech_v1", "tech_v2", "  fingerprint     " + builtin.fingerprint("tech_v1"),
                "  fingerprint     " + builtin.fingerprint("tech_v2"), "  default window  60",
                "  default window  120", "  timeframes      5m, 1h", "  timeframes      1m, 5m, 15m, 1h",
                "  features        17", "  features        20");
        int v2 = lines.indexOf("tech_v2");
        assertThat(lines.indexOf("tech_v1")).isPositive().isLessThan(v2);
        assertThat(lines.subList(v2, lines.size())).anyMatch(l -> l.matches(" +1  return_1 +numeric +\\{\\}"))
                .anyMatch(l -> l.matches(" +16  bullish_engulfing +categorical +\\{\\}"))
                .anyMatch(l -> l.matches(" +20  stoch_d_3 +numeric +\\{period=14, smooth=3\\}"));
    }

    @Test
    @DisplayName("--config reads another registry; named sets only; an unknown set exits 2 listing the known ones")
    void configAndNames() throws Exception {
        Path file = dir.resolve("fs.yaml");
        Files.writeString(file, "version: 1\nfeature_sets:\n  small_v1:\n    default_window_size: 7\n"
                + "    timeframes: [15m]\n    features: [rsi_14, atr_14]\n  other_v1:\n    default_window_size: 3\n"
                + "    timeframes: [1h]\n    features: [return_1]\n");
        String fingerprint = FeatureRegistry.load(file).fingerprint("small_v1");
        Cli.Run run = Cli.run("sets", "--config", file.toString(), "small_v1");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("small_v1\n  fingerprint     " + fingerprint + "\n  default window  7\n"
                + "  timeframes      15m\n  features        2\n").doesNotContain("other_v1").doesNotContain("tech_v2");
        Cli.Run unknown = Cli.run("sets", "--config", file.toString(), "tech_v2");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown feature set 'tech_v2'").contains("small_v1");
    }
}
