package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("featurestore stream")
class StreamCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tech_v2", "tech_v2 --timeframe 5m", "tech_v1 --timeframe 1h",
        "tech_v2 --timeframe 15m --complete-through 2024-01-10T00:00:00Z"})
    @DisplayName("replaying a file through the stream API writes the same CSV as compute --all-rows")
    void sameAsComputeAllRows(String options) {
        CandleSeries sber = SyntheticCandles.seed(5).start(LocalDate.of(2024, 1, 8)).tradingDays(2).generate("SBER");
        CandleSeries gazp = SyntheticCandles.seed(6).start(LocalDate.of(2024, 1, 8)).tradingDays(2).generate("GAZP");
        Path in = Cli.writeCandles(dir.resolve("candles.csv"), List.of(sber, gazp));
        List<String> extra = List.of(options.split(" "));
        Path computed = dir.resolve("computed.csv");
        Path streamed = dir.resolve("streamed.csv");
        Cli.Run compute = Cli.run(args("compute", extra, in, computed, "--all-rows"));
        assertThat(compute.code()).as(compute.err()).isZero();
        Cli.Run stream = Cli.run(args("stream", extra, in, streamed));
        assertThat(stream.code()).as(stream.err()).isZero();
        assertThat(stream.err()).isEmpty();
        assertThat(stream.out()).startsWith("streamed ").contains("SBER ").contains("GAZP ");
        List<String> want = Cli.read(computed);
        assertThat(want.size()).isGreaterThan(30);
        assertThat(Cli.read(streamed)).isEqualTo(want);
    }

    private static String[] args(String command, List<String> options, Path in, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--set", options.get(0), "--input", in.toString(),
                "--output", out.toString()));
        a.addAll(options.subList(1, options.size()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }
}
