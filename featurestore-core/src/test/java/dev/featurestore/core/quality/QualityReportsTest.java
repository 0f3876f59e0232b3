package dev.featurestore.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("QualityReports (JSON files)")
class QualityReportsTest {
    @TempDir
    Path dir;

    private static QualityReport report(long seed, String runId, Instant at, QualityReport previous) {
        Random rnd = new Random(seed);
        List<Long> times = QualityReportTest.mondaySession(rnd.nextInt(520), rnd.nextInt(520), 7, 8, 9);
        CandleSeries sber = QualityReportTest.candles("SBER", Timeframe.ONE_MINUTE, times);
        int n = 50 + rnd.nextInt(100);
        long[] ts = QualityReportTest.times(n);
        double[] rsi = new double[n];
        double[] eng = new double[n];
        double[] custom = new double[n];
        for (int i = 0; i < n; i++) {
            rsi[i] = rnd.nextDouble() * 100;
            eng[i] = rnd.nextInt(2);
            custom[i] = rnd.nextGaussian() * 1e-3;
        }
        rsi[3] = 100.5;
        custom[5] = Double.NaN;
        FeatureFrame f = FeatureFrame.of("SBER", "tech_v2", Timeframe.parse("5m"), List.of("rsi_14", "bullish_engulfing", "my_x"),
                List.of(FeatureKind.NUMERIC, FeatureKind.CATEGORICAL, FeatureKind.NUMERIC), ts, new double[][] {rsi, eng, custom});
        return QualityReport.builder("tech_v2", Timeframe.parse("5m"), runId)
                .clock(Clock.fixed(at, ZoneOffset.UTC))
                .range(Instant.parse("2024-01-08T00:00:00Z"), Instant.parse("2024-01-09T00:00:00Z"))
                .candles(sber).inputStats(new InputStats("SBER", times.size() + 2, 2, 1)).frame(f)
                .frame(FeatureFrame.of("GAZP", "tech_v2", Timeframe.parse("5m"), List.of("rsi_14"), List.of(FeatureKind.NUMERIC),
                        new long[0], new double[][] {new double[0]}))
                .previous(previous).build();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    @DisplayName("write-then-read gives an equal report, in a file named {feature_set}_{timeframe}_{run_id}.json, with no temporary file left")
    void roundTrip(long seed) {
        QualityReport first = report(seed, "run-" + seed + "a", Instant.parse("2024-01-09T10:00:00Z"), null);
        QualityReport second = report(seed + 100, "run-" + seed + "b", Instant.parse("2024-01-10T10:00:00.123456789Z"), first);
        for (QualityReport r : List.of(first, second)) {
            Path file = QualityReports.write(r, dir.resolve("docs/data_quality"));
            assertThat(file.getFileName()).hasToString("tech_v2_5m_" + r.runId() + ".json");
            assertThat(QualityReports.read(file)).as("seed %d", seed).isEqualTo(r);
        }
        assertThat(second.feature("rsi_14").orElseThrow().drift()).isNotNull();
        assertThat(second.blockingFailure()).isTrue();
        try (Stream<Path> files = Files.list(dir.resolve("docs/data_quality"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "tech_v2_5m_run-" + seed + "a.json", "tech_v2_5m_run-" + seed + "b.json");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("the JSON has the documented fields, pretty-printed, with infinity ranges as strings")
    void documentedFields() throws IOException {
        QualityReport r = report(1, "r1", Instant.parse("2024-01-09T10:00:00Z"), null);
        String json = QualityReports.toJson(r);
        assertThat(json).startsWith("{\n").contains("\"format_version\" : 1").contains("\"feature_set\" : \"tech_v2\"")
                .contains("\"timeframe\" : \"5m\"").contains("\"run_id\" : \"r1\"").contains("\"blocking_failure\" : true")
                .contains("\"status\" : \"fail\"").contains("\"name\" : \"missing_candles\"").contains("\"gaps\" : [")
                .contains("\"staleness_seconds\"").contains("\"p99\"").contains("\"out_of_range_examples\"")
                .contains("\"valid_range\" : null").contains("\"drift\" : null").contains("\"previous_run_id\" : null");
        assertThat(r.feature("rsi_14").orElseThrow().stats().count()).isGreaterThan(0);
        // a range with an infinite end survives the trip
        FeatureFrame atr = FeatureFrame.of("S", "tech_v2", Timeframe.parse("5m"), List.of("atr_14"), List.of(FeatureKind.NUMERIC),
                new long[] {0}, new double[][] {{1.0}});
        QualityReport withInf = QualityReport.builder("tech_v2", Timeframe.parse("5m"), "r2").frame(atr).build();
        assertThat(QualityReports.toJson(withInf)).contains("\"max\" : \"inf\"");
        Path file = QualityReports.write(withInf, dir);
        assertThat(QualityReports.read(file)).isEqualTo(withInf);
        assertThat(Files.readString(file)).isEqualTo(QualityReports.toJson(withInf));
    }

    @Test
    @DisplayName("writing again replaces the report of the same run whole")
    void replaces() throws IOException {
        QualityReport a = report(1, "same", Instant.parse("2024-01-09T10:00:00Z"), null);
        QualityReport b = report(2, "same", Instant.parse("2024-01-09T11:00:00Z"), null);
        Path f1 = QualityReports.write(a, dir);
        Path f2 = QualityReports.write(b, dir);
        assertThat(f2).isEqualTo(f1);
        assertThat(QualityReports.read(f2)).isEqualTo(b);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    @DisplayName("the previous report is the latest of the same set and timeframe, other than the current run")
    void findsPrevious() {
        assertThat(QualityReports.findPrevious(dir.resolve("none"), "tech_v2", Timeframe.parse("5m"), "x")).isEmpty();
        QualityReport older = report(1, "a", Instant.parse("2024-01-09T10:00:00Z"), null);
        QualityReport newer = report(2, "b", Instant.parse("2024-01-10T10:00:00Z"), null);
        QualityReport current = report(3, "c", Instant.parse("2024-01-11T10:00:00Z"), null);
        QualityReport otherTf = QualityReport.builder("tech_v2", Timeframe.parse("1h"), "d")
                .clock(Clock.fixed(Instant.parse("2024-01-12T10:00:00Z"), ZoneOffset.UTC)).build();
        for (QualityReport r : List.of(older, newer, current, otherTf)) {
            QualityReports.write(r, dir);
        }
        assertThat(QualityReports.findPrevious(dir, "tech_v2", Timeframe.parse("5m"), "c")).contains(newer);
        assertThat(QualityReports.findPrevious(dir, "tech_v2", Timeframe.parse("5m"), null)).contains(current);
        assertThat(QualityReports.findPrevious(dir, "tech_v1", Timeframe.parse("5m"), null)).isEmpty();
    }

    @Test
    @DisplayName("a file that is not a report is an error naming the file and field")
    void malformed() throws IOException {
        Path notJson = dir.resolve("a.json");
        Files.writeString(notJson, "{\"format_version\": 1, ", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> QualityReports.read(notJson)).isInstanceOf(QualityReportException.class)
                .hasMessageContaining("a.json").hasMessageContaining("not valid JSON");
        String good = QualityReports.toJson(report(1, "r1", Instant.parse("2024-01-09T10:00:00Z"), null));
        Path badField = dir.resolve("b.json");
        Files.writeString(badField, good.replace("\"candles\" : ", "\"candles\" : \"many\", \"x\" : "), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> QualityReports.read(badField)).isInstanceOf(QualityReportException.class)
                .hasMessageContaining("b.json").hasMessageContaining("field 'candles' must be a whole number");
        Path version = dir.resolve("c.json");
        Files.writeString(version, good.replace("\"format_version\" : 1", "\"format_version\" : 9"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> QualityReports.read(version)).isInstanceOf(QualityReportException.class)
                .hasMessageContaining("format_version 9");
        assertThatThrownBy(() -> QualityReports.fileName("tech_v2", "5m", "a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a report directory that cannot be made is a storage error, and nothing is left behind")
    void unwritable() throws IOException {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        QualityReport r = report(1, "r1", Instant.parse("2024-01-09T10:00:00Z"), null);
        assertThatThrownBy(() -> QualityReports.write(r, blocker.resolve("sub")))
                .isInstanceOf(dev.featurestore.api.StorageException.class).hasMessageContaining("tech_v2_5m_r1.json");
        List<Path> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(left::add);
        }
        assertThat(left).containsExactly(blocker);
    }
}
