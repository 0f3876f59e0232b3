package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("featurestore compute")
class ComputeCommandTest {
    private static final SyntheticCandles TWO_DAYS = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8))
            .tradingDays(2);

    private static final DateTimeFormatter FRACTION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    @TempDir
    Path dir;

    /** Parses an output file back: the secid's rows as a frame-like table. */
    private static void assertMatches(List<String> lines, int from, FeatureFrame expected) {
        List<String> header = List.of(lines.get(0).split(",", -1));
        assertThat(header.subList(0, 2)).containsExactly("secid", "ts");
        assertThat(header.subList(2, header.size())).isEqualTo(expected.featureNames());
        for (int r = 0; r < expected.size(); r++) {
            String[] cells = lines.get(from + r).split(",", -1);
            assertThat(cells).as("line %d", from + r + 1).hasSize(header.size());
            assertThat(cells[0]).isEqualTo(expected.secid());
            assertThat(Instant.parse(cells[1]).toEpochMilli()).as("ts of line %d", from + r + 1)
                    .isEqualTo(expected.ts(r));
            assertThat(cells[1]).isEqualTo(expected.openTime(r).toString());
            for (int f = 0; f < expected.featureNames().size(); f++) {
                double want = expected.value(r, f);
                String cell = cells[f + 2];
                if (Double.isNaN(want)) {
                    assertThat(cell).as("line %d %s", from + r + 1, header.get(f + 2)).isEmpty();
                } else {
                    if (expected.kinds().get(f) == FeatureKind.CATEGORICAL) {
                        assertThat(cell).as("categorical written whole").isIn("0", "1");
                    }
                    assertThat(Double.doubleToRawLongBits(Double.parseDouble(cell)))
                            .as("line %d %s: %s vs %s", from + r + 1, header.get(f + 2), cell, want)
                            .isEqualTo(Double.doubleToRawLongBits(want));
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    @DisplayName("clean rows equal FeatureStore.forSet(...).compute(...) bit for bit")
    void equalsLibrary(long seed) {
        CandleSeries series = SyntheticCandles.seed(seed).tradingDays(1).generate("SBER");
        Path in = Cli.writeCandles(dir.resolve("candles.csv"), List.of(series));
        Path out = dir.resolve("features.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        FeatureFrame expected = FeatureStore.forSet("tech_v2").compute(series);
        List<String> lines = Cli.read(out);
        assertThat(lines).hasSize(expected.size() + 1);
        assertMatches(lines, 1, expected);
        assertThat(run.out().lines().toList()).singleElement().asString().contains(out.toString())
                .contains("SBER " + expected.size());
    }

    @Test
    @DisplayName("tech_v1 writes its 17 features in registry order")
    void otherSet() {
        CandleSeries series = TWO_DAYS.generate("GAZP");
        Path in = Cli.writeCandles(dir.resolve("c.csv"), List.of(series));
        Path out = dir.resolve("f.csv");
        assertThat(Cli.run("compute", "--set", "tech_v1", "--input", in.toString(), "--output", out.toString()).code())
                .isZero();
        assertMatches(Cli.read(out), 1, FeatureStore.forSet("tech_v1").compute(series));
    }

    @Test
    @DisplayName("columns in any order and case, with extra columns, give the same output")
    void columnsInAnyOrder() throws Exception {
        CandleSeries s = TWO_DAYS.generate("SBER");
        Path canonical = Cli.writeCandles(dir.resolve("a.csv"), List.of(s));
        List<String> lines = new ArrayList<>();
        lines.add("Volume,note,CLOSE,Low,High,Open,TS,SecID,extra");
        for (int i = 0; i < s.size(); i++) {
            lines.add(s.volume(i) + ",\"a, quoted note\"," + s.close(i) + "," + s.low(i) + "," + s.high(i) + ","
                    + s.open(i) + "," + Instant.ofEpochMilli(s.ts(i)) + ",SBER,x");
        }
        Path shuffled = Cli.write(dir.resolve("b.csv"), lines);
        assertThat(Cli.run("compute", "--set", "tech_v2", "--input", canonical.toString(), "--output",
                dir.resolve("fa.csv").toString()).code()).isZero();
        assertThat(Cli.run("compute", "--set", "tech_v2", "--input", shuffled.toString(), "--output",
                dir.resolve("fb.csv").toString()).code()).isZero();
        assertThat(Files.readString(dir.resolve("fb.csv"))).isEqualTo(Files.readString(dir.resolve("fa.csv")));
    }

    @Test
    @DisplayName("epoch-millisecond and offset timestamps read as the same instants as Z")
    void timestampForms() throws Exception {
        CandleSeries s = TWO_DAYS.generate("LKOH");
        Cli.writeCandles(dir.resolve("z.csv"), List.of(s));
        Cli.writeCandles(dir.resolve("ms.csv"), List.of(s), Long::toString);
        Cli.writeCandles(dir.resolve("msk.csv"), List.of(s),
                ts -> Instant.ofEpochMilli(ts).atOffset(ZoneOffset.ofHours(3)).toString());
        Cli.writeCandles(dir.resolve("frac.csv"), List.of(s),
                ts -> FRACTION.format(Instant.ofEpochMilli(ts).atOffset(ZoneOffset.ofHours(-5))));
        for (String name : List.of("z", "ms", "msk", "frac")) {
            Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", dir.resolve(name + ".csv").toString(),
                    "--output", dir.resolve("f-" + name + ".csv").toString());
            assertThat(run.code()).as(name + ": " + run.err()).isZero();
        }
        String expected = Files.readString(dir.resolve("f-z.csv"));
        assertThat(expected.lines().count()).isGreaterThan(100);
        assertThat(Files.readString(dir.resolve("f-ms.csv"))).isEqualTo(expected);
        assertThat(Files.readString(dir.resolve("f-msk.csv"))).isEqualTo(expected);
        assertThat(Files.readString(dir.resolve("f-frac.csv"))).isEqualTo(expected);
    }

    @Test
    @DisplayName("several secids, interleaved by time, are computed apart and grouped in order of first appearance")
    void severalSecids() {
        List<CandleSeries> all = TWO_DAYS.generate(List.of("GAZP", "SBER", "LKOH"));
        // Interleave: rows sorted by ts, ties in the order above.
        List<String> lines = new ArrayList<>();
        lines.add("secid,ts,open,high,low,close,volume");
        int[] next = new int[all.size()];
        while (true) {
            int pick = -1;
            for (int k = 0; k < all.size(); k++) {
                if (next[k] < all.get(k).size()
                        && (pick < 0 || all.get(k).timestamps()[next[k]] < all.get(pick).timestamps()[next[pick]])) {
                    pick = k;
                }
            }
            if (pick < 0) {
                break;
            }
            CandleSeries s = all.get(pick);
            int i = next[pick]++;
            lines.add(s.secid() + "," + s.ts(i) + "," + s.open(i) + "," + s.high(i) + "," + s.low(i) + ","
                    + s.close(i) + "," + s.volume(i));
        }
        Path in = Cli.write(dir.resolve("mixed.csv"), lines);
        Path out = dir.resolve("f.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        List<String> written = Cli.read(out);
        int at = 1;
        for (CandleSeries s : all) {
            FeatureFrame expected = FeatureStore.forSet("tech_v2").compute(s);
            assertMatches(written, at, expected);
            assertThat(run.out()).contains(s.secid() + " " + expected.size());
            at += expected.size();
        }
        assertThat(written).hasSize(at);
    }

    @Test
    @DisplayName("--all-rows writes every row, with empty cells where a feature is not yet defined (before row 33)")
    void allRows() {
        CandleSeries s = TWO_DAYS.generate("SBER");
        Path in = Cli.writeCandles(dir.resolve("c.csv"), List.of(s));
        Path out = dir.resolve("f.csv");
        assertThat(Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString(),
                "--all-rows").code()).isZero();
        List<String> lines = Cli.read(out);
        assertThat(lines).hasSize(s.size() + 1);
        FeatureFrame expected = FeatureStore.forSet("tech_v2").computeAllRows(s);
        assertMatches(lines, 1, expected);
        int signal = List.of(lines.get(0).split(",")).indexOf("macd_signal");
        for (int row = 0; row < 40; row++) {
            String[] cells = lines.get(row + 1).split(",", -1);
            assertThat(cells[signal].isEmpty()).as("row %d macd_signal", row).isEqualTo(row < 33);
            assertThat(List.of(cells).contains("")).as("row %d has an empty cell", row).isEqualTo(row < 33);
        }
        // return_1 is undefined only on row 0; the shape features are defined from row 0.
        assertThat(lines.get(1).split(",", -1)[2]).isEmpty();
        assertThat(lines.get(2).split(",", -1)[2]).isNotEmpty();
    }

    @Test
    @DisplayName("--timeframe 5m resamples the 1m input, as the library does")
    void resamples() {
        CandleSeries s = TWO_DAYS.generate("SBER");
        Path in = Cli.writeCandles(dir.resolve("c.csv"), List.of(s));
        Path out = dir.resolve("f.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString(),
                "--timeframe", "5m");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("at 5m");
        FeatureFrame expected = FeatureStore.forSet("tech_v2").timeframe("5m").compute(s);
        List<String> lines = Cli.read(out);
        assertThat(lines).hasSize(expected.size() + 1);
        assertMatches(lines, 1, expected);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(Instant.parse(lines.get(i).split(",")[1]).toEpochMilli() % 300_000).isZero();
        }
        // Without --complete-through the still-forming last bucket is dropped; with it, it is final.
        Path out2 = dir.resolve("f2.csv");
        Instant end = TWO_DAYS.end();
        assertThat(Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out2.toString(),
                "--timeframe", "5m", "--complete-through", end.toString()).code()).isZero();
        FeatureQuery complete = FeatureStore.forSet("tech_v2").timeframe("5m").completeThrough(end);
        FeatureFrame expected2 = complete.compute(s);
        assertThat(expected2.size()).isEqualTo(expected.size() + 1);
        assertMatches(Cli.read(out2), 1, expected2);
    }

    @Test
    @DisplayName("--config reads another registry file")
    void config() {
        Path yaml = Cli.write(dir.resolve("reg.yaml"), List.of("version: 1", "feature_sets:", "  tiny:",
                "    description: two features", "    default_window_size: 3", "    timeframes: [1m, 5m]",
                "    features: [rsi_14, return_1]"));
        CandleSeries s = TWO_DAYS.generate("SBER");
        Path in = Cli.writeCandles(dir.resolve("c.csv"), List.of(s));
        Path out = dir.resolve("f.csv");
        Cli.Run run = Cli.run("compute", "--set", "tiny", "--config", yaml.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        List<String> lines = Cli.read(out);
        assertThat(lines.get(0)).isEqualTo("secid,ts,rsi_14,return_1");
        assertThat(lines).hasSize(s.size() - 14 + 1);
    }

    @Test
    @DisplayName("an existing output file is replaced whole, and no temporary file is left")
    void replacesOutput() throws Exception {
        CandleSeries s = TWO_DAYS.generate("SBER");
        Path in = Cli.writeCandles(dir.resolve("c.csv"), List.of(s));
        Path out = dir.resolve("f.csv");
        Files.writeString(out, "old content that is much longer than nothing\n".repeat(10_000));
        assertThat(Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString()).code())
                .isZero();
        assertThat(Cli.read(out).get(0)).startsWith("secid,ts,return_1");
        assertThat(Cli.listing(dir)).containsExactly("c.csv", "f.csv");
    }
}
