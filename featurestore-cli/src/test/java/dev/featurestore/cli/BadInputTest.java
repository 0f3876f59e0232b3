package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("featurestore compute on bad input")
class BadInputTest {
    private static final CandleSeries SBER = SyntheticCandles.seed(7).tradingDays(1).generate("SBER");

    @TempDir
    Path dir;

    private static List<String> canonical() {
        List<String> lines = new ArrayList<>();
        lines.add("secid,ts,open,high,low,close,volume");
        for (int i = 0; i < 60; i++) {
            lines.add("SBER," + java.time.Instant.ofEpochMilli(SBER.ts(i)) + "," + SBER.open(i) + ","
                    + SBER.high(i) + "," + SBER.low(i) + "," + SBER.close(i) + "," + SBER.volume(i));
        }
        return lines;
    }

    /** Replaces one cell of one CSV line (1-based line, 0-based cell). */
    private static UnaryOperator<List<String>> cell(int line, int cell, String value) {
        return lines -> {
            String[] cells = lines.get(line - 1).split(",", -1);
            cells[cell] = value;
            lines.set(line - 1, String.join(",", cells));
            return lines;
        };
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("a missing column", (UnaryOperator<List<String>>) l -> {
                    l.replaceAll(s -> s.substring(0, s.lastIndexOf(',')));
                    return l;
                }, 1, "volume", "missing column"),
                Arguments.of("a column named twice", cell(1, 5, "OPEN"), 1, "OPEN", "twice"),
                Arguments.of("an unparsable price", cell(12, 3, "12.5x"), 12, "high", "not a number"),
                Arguments.of("an empty price", cell(20, 5, ""), 20, "close", "not a number"),
                Arguments.of("an unparsable timestamp", cell(9, 1, "2024-01-08 10:00"), 9, "ts", "not a timestamp"),
                Arguments.of("a timestamp without offset", cell(9, 1, "2024-01-08T10:00:00"), 9, "ts",
                        "not a timestamp"),
                Arguments.of("high below the open", cell(30, 3, "0.5"), 30, "high", "high must be >="),
                Arguments.of("a negative volume", cell(41, 6, "-1"), 41, "volume", "volume must be"),
                Arguments.of("a non-positive price", cell(7, 4, "0"), 7, "low", "prices must be"),
                Arguments.of("rows out of order", (UnaryOperator<List<String>>) l -> {
                    String a = l.get(15);
                    l.set(15, l.get(16));
                    l.set(16, a);
                    return l;
                }, 17, "ts", "strictly increasing"),
                Arguments.of("a duplicate timestamp", (UnaryOperator<List<String>>) l -> {
                    l.set(26, l.get(25));
                    return l;
                }, 27, "ts", "duplicate"),
                Arguments.of("a short row", (UnaryOperator<List<String>>) l -> {
                    l.set(33, "SBER,2024-01-08T07:40:00Z,1.0");
                    return l;
                }, 34, "high", "missing value"),
                Arguments.of("an empty secid", cell(5, 0, ""), 5, "secid", "empty secid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    @DisplayName("exits 2 with one stderr line naming file, line and column, and writes nothing")
    void badFile(String what, UnaryOperator<List<String>> corrupt, int line, String column, String reason)
            throws Exception {
        Path in = Cli.write(dir.resolve("candles.csv"), corrupt.apply(canonical()));
        Path outDir = Files.createDirectory(dir.resolve("out"));
        Path out = outDir.resolve("features.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(run.code()).as(what).isEqualTo(2);
        assertThat(run.errLines()).as(what).singleElement().asString()
                .contains(in.toString())
                .contains("line " + line + ",")
                .contains("column '" + column + "'")
                .contains(reason);
        assertThat(run.out()).isEmpty();
        assertThat(Cli.listing(outDir)).as(what + ": no output and no temporary file").isEmpty();
    }

    @Test
    @DisplayName("a bad candle of a later secid leaves no output, though earlier secids were fine")
    void laterSecidFails() {
        List<String> lines = canonical();
        lines.add("GAZP,2024-01-08T07:00:00Z,10.0,11.0,9.0,10.5,100");
        lines.add("GAZP,2024-01-08T07:01:00Z,10.0,9.0,9.5,10.5,100");
        Path in = Cli.write(dir.resolve("two.csv"), lines);
        Path out = dir.resolve("features.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("line 63, column 'high'")
                .contains("secid 'GAZP'");
        assertThat(Cli.listing(dir)).containsExactly("two.csv");
    }

    @Test
    @DisplayName("a failed run keeps the previous output file as it was")
    void keepsPreviousOutput() throws Exception {
        Path in = Cli.write(dir.resolve("c.csv"), cell(3, 2, "abc").apply(canonical()));
        Path out = dir.resolve("features.csv");
        Files.writeString(out, "previous\n");
        assertThat(Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString()).code())
                .isEqualTo(2);
        assertThat(Files.readString(out)).isEqualTo("previous\n");
        assertThat(Cli.listing(dir)).containsExactly("c.csv", "features.csv");
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(List.of("--set", "tech_v9"), "unknown feature set 'tech_v9'"),
                Arguments.of(List.of("--set", "tech_v2", "--timeframe", "5x"), "bad timeframe '5x'"),
                Arguments.of(List.of("--set", "tech_v1", "--timeframe", "1m"), "does not allow 1m"),
                Arguments.of(List.of("--set", "tech_v2", "--timeframe", "5m", "--input-timeframe", "1q"),
                        "bad timeframe '1q'"),
                Arguments.of(List.of("--set", "tech_v2", "--timeframe", "5m", "--complete-through", "soon"),
                        "--complete-through"),
                Arguments.of(List.of("--set", "tech_v2", "--complete-through", "2024-01-08T10:00:00Z"),
                        "needs --timeframe"),
                Arguments.of(List.of("--set", "tech_v2", "--config", "no-such-registry.yaml"), "no-such-registry.yaml"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badOptions")
    @DisplayName("a bad option value exits 2 with one stderr line naming it")
    void badOption(List<String> options, String message) {
        Path in = Cli.write(dir.resolve("c.csv"), canonical());
        Path out = dir.resolve("f.csv");
        List<String> args = new ArrayList<>(List.of("compute", "--input", in.toString(), "--output", out.toString()));
        args.addAll(options);
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains(message);
        assertThat(Cli.listing(dir)).containsExactly("c.csv");
    }

    @Test
    @DisplayName("a missing input file exits 2 naming it")
    void missingFile() {
        Path in = dir.resolve("nowhere.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output",
                dir.resolve("f.csv").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains(in.toString()).contains("no such file");
        assertThat(Cli.listing(dir)).isEmpty();
    }

    @Test
    @DisplayName("a malformed CSV (an unclosed quote) exits 2 naming the file")
    void malformedCsv() {
        List<String> lines = canonical();
        lines.set(10, "SBER,\"2024-01-08T07:09:00Z,1,1,1,1,1");
        Path in = Cli.write(dir.resolve("c.csv"), lines);
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output",
                dir.resolve("f.csv").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains(in.toString());
        assertThat(Cli.listing(dir)).containsExactly("c.csv");
    }

    @Test
    @DisplayName("a header without rows exits 2")
    void noRows() {
        Path in = Cli.write(dir.resolve("c.csv"), List.of("secid,ts,open,high,low,close,volume"));
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output",
                dir.resolve("f.csv").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().contains("no candle");
    }

    @Test
    @DisplayName("a missing required option is a usage error, exit 2")
    void missingOption() {
        Cli.Run run = Cli.run("compute", "--set", "tech_v2");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option");
    }

    @Test
    @DisplayName("an output that cannot be written is a storage error, exit 3, in one line")
    void unwritableOutput() throws Exception {
        Path in = Cli.write(dir.resolve("c.csv"), canonical());
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Path out = notADirectory.resolve("features.csv");
        Cli.Run run = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(run.code()).isEqualTo(3);
        assertThat(run.errLines()).singleElement().asString().contains(out.toString()).contains("cannot be written");
        assertThat(Cli.listing(dir)).containsExactly("c.csv", "plain-file");
    }
}
