package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("nothing silently changed: extra CSV fields and times finer than a millisecond are refused by every command")
class StrictInputTest {
    private static final String HEADER = "secid,ts,open,high,low,close,volume";

    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("fs.db");
    }

    private Path csv(String... rows) {
        return Cli.write(dir.resolve("candles.csv"), Stream.concat(Stream.of(HEADER), Stream.of(rows)).toList());
    }

    private long storedCandles() {
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            return store.candles().readAll("SBER", Timeframe.ONE_MINUTE).size();
        }
    }

    @Test
    @DisplayName("ingest --csv refuses a row with more fields than the header, naming line and counts, and stores nothing")
    void ingestRefusesExtraFields() {
        Path in = csv("SBER,2024-01-08T07:09:00Z,34.99,35.03,34.98,34.99,2",
                "SBER,2024-01-08T07:10:00Z,34.99,35.03,34.98,34.99,1,5");
        Cli.Run r = Cli.run("ingest", "--csv", in.toString(), "--db", db(), "-q");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains(in + ":3: extra fields")
                .contains("the row has 8 fields, more than the header names (7)");
        assertThat(storedCandles()).isZero();
    }

    @Test
    @DisplayName("compute refuses a row with more fields than the header and writes nothing")
    void computeRefusesExtraFields() {
        Path in = csv("SBER,2024-01-08T07:10:00Z,34.99,35.03,34.98,34.99,1,5");
        Path out = dir.resolve("out.csv");
        Cli.Run r = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("line 2:").contains("8 fields")
                .contains("(7)");
        assertThat(out).doesNotExist();
    }

    @Test
    @DisplayName("ingest --csv refuses two times that differ below a millisecond instead of storing one of them")
    void ingestRefusesSubMillisecond() {
        Path in = csv("SBER,2024-01-08T07:00:00.0001Z,34.99,35.03,34.98,34.99,1",
                "SBER,2024-01-08T07:00:00.0009Z,34.99,35.03,34.98,34.99,2");
        Cli.Run r = Cli.run("ingest", "--csv", in.toString(), "--db", db(), "-q");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains(in + ":2, column 'ts'")
                .contains("'2024-01-08T07:00:00.0001Z'").contains("(milliseconds)");
        assertThat(storedCandles()).isZero();
    }

    @Test
    @DisplayName("compute refuses a time finer than a millisecond, naming line, text and resolution")
    void computeRefusesSubMillisecond() {
        Path in = csv("SBER,2024-01-08T07:00:00Z,34.99,35.03,34.98,34.99,1",
                "SBER,2024-01-08T10:01:00.000000500+03:00,34.99,35.03,34.98,34.99,1");
        Path out = dir.resolve("out.csv");
        Cli.Run r = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("line 3, column 'ts'")
                .contains("'2024-01-08T10:01:00.000000500+03:00'").contains("finer than the storage resolution (milliseconds)");
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--from", "--to", "--complete-through"})
    @DisplayName("a time option finer than a millisecond is refused with the option, the text and the resolution")
    void optionsRefuseSubMillisecond(String option) {
        String fine = "2024-01-09T00:00:00.0005Z";
        String from = option.equals("--from") ? fine : "2024-01-08";
        String to = option.equals("--to") ? fine : "2024-01-10";
        List<String> args = new ArrayList<>(List.of("build", "--set", "tech_v2", "--secids", "SBER",
                "--db", db(), "-q", "--from", from, "--to", to));
        if (option.equals("--complete-through")) {
            args.addAll(List.of("--complete-through", fine));
        }
        Cli.Run r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains(option + ": time '" + fine + "'")
                .contains("finer than the storage resolution (milliseconds)");
    }

    @Test
    @DisplayName("ingest --from and compute --complete-through refuse a time finer than a millisecond too")
    void ingestAndComputeOptions() throws Exception {
        Cli.Run ingest = Cli.run("ingest", "--synthetic", "--secids", "SBER", "--db", db(), "-q",
                "--from", "2024-01-08T07:00:00.000001Z", "--to", "2024-01-09");
        assertThat(ingest.code()).isEqualTo(2);
        assertThat(ingest.errLines()).singleElement().asString().contains("--from: time '2024-01-08T07:00:00.000001Z'");
        assertThat(storedCandles()).isZero();
        Path in = csv("SBER,2024-01-08T07:00:00Z,34.99,35.03,34.98,34.99,1");
        Path out = dir.resolve("out.csv");
        Cli.Run compute = Cli.run("compute", "--set", "tech_v2", "--input", in.toString(), "--output", out.toString(),
                "--timeframe", "5m", "--complete-through", "2024-01-08T07:05:00.1234Z");
        assertThat(compute.code()).isEqualTo(2);
        assertThat(compute.errLines()).singleElement().asString().contains("--complete-through: time '2024-01-08T07:05:00.1234Z'");
        assertThat(Files.exists(out)).isFalse();
    }
}
