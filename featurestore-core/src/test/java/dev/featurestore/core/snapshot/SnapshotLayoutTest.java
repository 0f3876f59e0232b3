package dev.featurestore.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.UnsafeSnapshotPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Snapshot layout")
class SnapshotLayoutTest {
    private static final Path DIR = Path.of("data", "processed", "features");

    @Test
    @DisplayName("the path is {dir}/{feature_set}/{timeframe}/YYYYMMDD.ext")
    void path() {
        assertThat(SnapshotLayout.path(DIR, "tech_v2", Timeframe.parse("5m"), LocalDate.of(2026, 3, 2), "parquet"))
                .isEqualTo(DIR.resolve("tech_v2").resolve("5m").resolve("20260302.parquet"));
        assertThat(SnapshotLayout.path(DIR, "tech-v1.2", Timeframe.parse("1h"), LocalDate.of(2025, 12, 31), "feather"))
                .isEqualTo(DIR.resolve("tech-v1.2").resolve("1h").resolve("20251231.feather"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"..", ".", "../x", "x/..", "a/b", "a\\b", "/etc", "C:x", "nul\0", "", " ", ".env", "tab\t",
        "é"})
    @DisplayName("names that could leave the directory, or are not plain, are refused with the reason")
    void unsafeNames(String name) {
        assertThatThrownBy(() -> SnapshotLayout.path(DIR, name, Timeframe.parse("1m"), LocalDate.of(2026, 1, 1),
                "parquet")).isInstanceOf(UnsafeSnapshotPathException.class).hasMessageContaining("feature set");
        assertThatThrownBy(() -> SnapshotLayout.path(DIR, "ok", Timeframe.parse("1m"), LocalDate.of(2026, 1, 1), name))
                .isInstanceOf(UnsafeSnapshotPathException.class).hasMessageContaining("file extension");
    }

    @Test
    @DisplayName("the messages say what is wrong: separator, NUL, parent directory")
    void messages() {
        assertThatThrownBy(() -> SnapshotLayout.requireSafeName("feature set", "a/b"))
                .hasMessageContaining("path separator");
        assertThatThrownBy(() -> SnapshotLayout.requireSafeName("feature set", "a\0b")).hasMessageContaining("NUL")
                .hasMessageContaining("a\\0b");
        assertThatThrownBy(() -> SnapshotLayout.requireSafeName("feature set", ".."))
                .hasMessageContaining("parent");
    }

    @Test
    @DisplayName("every generated safe name stays a single element below the directory")
    void safeNamesStayInside() {
        String alphabet = "abcXYZ019_-.";
        for (long seed = 1; seed <= 500; seed++) {
            Random rnd = new Random(seed);
            StringBuilder sb = new StringBuilder("s");
            for (int i = rnd.nextInt(12); i > 0; i--) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            Path p = SnapshotLayout.path(DIR, sb.toString(), Timeframe.parse("15m"), LocalDate.of(2026, 1, 1), "parquet");
            assertThat(p.getParent().getParent().getParent()).as("seed %d: %s", seed, sb).isEqualTo(DIR);
            assertThat(p.getParent().getParent().getFileName().toString()).isEqualTo(sb.toString());
        }
    }

    @Test
    @DisplayName("the as-of date is the UTC date of the latest ts + timeframe over all frames")
    void asOfDate() {
        Timeframe tf = Timeframe.parse("5m");
        FeatureFrame a = frame("A", tf, Instant.parse("2026-01-05T10:00:00Z"));
        FeatureFrame b = frame("B", tf, Instant.parse("2026-01-06T23:55:00Z"));
        assertThat(SnapshotLayout.asOfDate(List.of(a), tf)).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(SnapshotLayout.asOfDate(List.of(a, b), tf)).isEqualTo(LocalDate.of(2026, 1, 7));
        FeatureFrame c = frame("C", tf, Instant.parse("2026-01-06T23:50:00Z"));
        assertThat(SnapshotLayout.asOfDate(List.of(c), tf)).isEqualTo(LocalDate.of(2026, 1, 6));
        assertThatThrownBy(() -> SnapshotLayout.asOfDate(List.of(a.rows(0, 0)), tf))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LocalDate.ofInstant(Instant.parse("2026-01-07T00:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(LocalDate.of(2026, 1, 7));
    }

    private static FeatureFrame frame(String secid, Timeframe tf, Instant last) {
        long[] ts = {last.toEpochMilli() - tf.millis(), last.toEpochMilli()};
        return FeatureFrame.of(secid, "s", tf, List.of("f"), List.of(FeatureKind.NUMERIC), ts, new double[][] {{1, 2}});
    }
}
