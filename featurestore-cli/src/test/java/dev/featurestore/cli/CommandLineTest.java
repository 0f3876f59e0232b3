package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("featurestore generate, demo, help and version")
class CommandLineTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"", "compute", "stream", "generate", "demo", "ingest", "build", "export", "quality", "run",
        "snapshots", "snapshots list", "snapshots show", "sets"})
    @DisplayName("--help works for every command and exits 0")
    void help(String command) {
        List<String> args = new java.util.ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: featurestore" + (command.isEmpty() ? "" : " " + command))
                .contains("--help").contains("Exit codes:");
        assertThat(run.err()).isEmpty();
    }

    @Test
    @DisplayName("help <command> prints that command's usage")
    void helpCommand() {
        Cli.Run run = Cli.run("help", "compute");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: featurestore compute").contains("--all-rows");
    }

    @Test
    @DisplayName("--version prints the version; no command is a usage error")
    void versionAndNoCommand() {
        Cli.Run version = Cli.run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("featurestore ").doesNotContain("${");
        Cli.Run none = Cli.run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("missing command");
        assertThat(Cli.run("frobnicate").code()).isEqualTo(2);
    }

    @Test
    @DisplayName("generate writes the synthetic series, the same bytes for the same seed")
    void generate() throws Exception {
        Path a = dir.resolve("a/candles.csv");
        Path b = dir.resolve("b.csv");
        Cli.Run run = Cli.run("generate", "--secids", "SBER,GAZP", "--days", "2", "--seed", "5", "--start",
                "2024-03-04", "--output", a.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).singleElement().asString().contains(a.toString());
        assertThat(Cli.run("generate", "--secids", "SBER,GAZP", "--days", "2", "--seed", "5", "--start",
                "2024-03-04", "--output", b.toString()).code()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        List<String> lines = Cli.read(a);
        assertThat(lines.get(0)).isEqualTo("secid,ts,open,high,low,close,volume");
        SyntheticCandles gen = SyntheticCandles.seed(5).start(LocalDate.of(2024, 3, 4)).tradingDays(2);
        List<CandleSeries> expected = gen.generate(List.of("SBER", "GAZP"));
        assertThat(lines).hasSize(1 + expected.get(0).size() + expected.get(1).size());
        int line = 1;
        for (CandleSeries s : expected) {
            for (int i = 0; i < s.size(); i++, line++) {
                String[] c = lines.get(line).split(",");
                assertThat(c[0]).isEqualTo(s.secid());
                assertThat(Instant.parse(c[1]).toEpochMilli()).isEqualTo(s.ts(i));
                assertThat(Double.parseDouble(c[2])).isEqualTo(s.open(i));
                assertThat(Double.parseDouble(c[3])).isEqualTo(s.high(i));
                assertThat(Double.parseDouble(c[4])).isEqualTo(s.low(i));
                assertThat(Double.parseDouble(c[5])).isEqualTo(s.close(i));
                assertThat(Long.parseLong(c[6])).isEqualTo((long) s.volume(i));
            }
        }
        Cli.Run different = Cli.run("generate", "--secids", "SBER,GAZP", "--days", "2", "--seed", "6", "--start",
                "2024-03-04", "--output", b.toString());
        assertThat(different.code()).isZero();
        assertThat(Files.readAllBytes(b)).isNotEqualTo(Files.readAllBytes(a));
    }

    @Test
    @DisplayName("generate rejects bad arguments with exit 2 and writes nothing")
    void generateBadArguments() {
        Path out = dir.resolve("x.csv");
        assertThat(Cli.run("generate", "--days", "0", "--output", out.toString()).code()).isEqualTo(2);
        assertThat(Cli.run("generate", "--secids", "SBER,SBER", "--output", out.toString()).code()).isEqualTo(2);
        assertThat(Cli.run("generate", "--start", "2024-13-01", "--output", out.toString()).code()).isEqualTo(2);
        assertThat(Cli.listing(dir)).isEmpty();
    }

    @Test
    @DisplayName("demo generates 3 secids x 5 days of 1m, runs tech_v1 and tech_v2 at 5m on SQLite and says where each output is")
    void demo() throws Exception {
        Cli.Run run = Cli.run("demo", "--dir", dir.toString(), "--quiet");
        assertThat(run.code()).as(run.err()).isZero();
        Path candles = dir.resolve("data/sample/candles_1m.csv");
        SyntheticCandles gen = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(5);
        List<CandleSeries> series = gen.generate(List.of("SBER", "GAZP", "LKOH"));
        assertThat(Cli.read(candles)).hasSize(1 + series.stream().mapToInt(CandleSeries::size).sum());
        assertThat(run.out()).contains(candles.toString()).contains(dir.resolve("featurestore.db").toString())
                .contains("audit log: 12 rows");
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("featurestore.db")).build()) {
            for (String set : List.of("tech_v1", "tech_v2")) {
                for (String ext : List.of("parquet", "feather")) {
                    Path file = dir.resolve("data/processed/features/" + set + "/5m/20240112." + ext);
                    assertThat(file).isRegularFile();
                    assertThat(run.out()).contains(file.toString());
                }
                assertThat(Cli.listing(dir.resolve("docs/data_quality"))).filteredOn(n -> n.startsWith(set + "_5m_"))
                        .hasSize(2).allSatisfy(n -> assertThat(run.out()).contains(n))
                        .anyMatch(n -> n.endsWith(".json")).anyMatch(n -> n.endsWith(".html"));
                for (CandleSeries s : series) {
                    FeatureFrame expected = FeatureStore.forSet(set).timeframe(Timeframe.parse("5m"))
                            .completeThrough(gen.end()).compute(s);
                    FeatureFrame stored = store.forSet(set).timeframe("5m").secid(s.secid()).frame();
                    assertThat(stored.size()).isEqualTo(expected.size());
                    for (int j = 0; j < expected.featureNames().size(); j++) {
                        assertThat(stored.column(j)).as("%s %s", set, s.secid()).isEqualTo(expected.column(j));
                    }
                }
                assertThat(store.snapshots().find(set, Timeframe.parse("5m"))).hasSize(6);
            }
        }
        Cli.Run again = Cli.run("demo", "--dir", dir.toString(), "--quiet");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 new").contains("audit log: 12 rows");
    }
}
