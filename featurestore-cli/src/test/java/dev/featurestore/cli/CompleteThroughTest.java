package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last 5m bucket built from stored 1m candles: SBER has 1m candles from 07:00 to 11:58 UTC, the
 * minute 11:59 missing, so nothing after the bucket 11:55 tells that it has closed.
 */
@DisplayName("build, run and quality: --complete-through and what a --from/--to range states about the last bucket")
class CompleteThroughTest {
    private static final Instant FIRST = Instant.parse("2024-01-08T07:00:00Z");
    private static final int MINUTES = 299; // 07:00 .. 11:58
    private static final Pattern BUILT = Pattern.compile("build +(\\d+) feature rows built and stored");

    @TempDir
    Path dir;

    @BeforeEach
    void ingest() {
        CandleSeries.Builder b = CandleSeries.builder("SBER").timeframe(Timeframe.ONE_MINUTE);
        for (int i = 0; i < MINUTES; i++) {
            double open = 270 + (i % 17) * 0.1;
            double close = open + (i % 5 - 2) * 0.05;
            b.add(FIRST.toEpochMilli() + i * 60_000L, open, Math.max(open, close) + 0.1, Math.min(open, close) - 0.1,
                    close, 1000 + i);
        }
        Path csv = Cli.writeCandles(dir.resolve("sber.csv"), List.of(b.build()));
        Cli.Run r = Cli.run("ingest", "--csv", csv.toString(), "--db", db(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
    }

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("fs.db");
    }

    /** Runs a command over SBER tech_v2 5m and returns the feature rows its build stored. */
    private long built(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--set", "tech_v2", "--timeframe", "5m", "--secids", "SBER",
                "--db", db(), "-q", "--snapshot-dir", dir.resolve("snap").toString(), "--quality-dir",
                dir.resolve("quality").toString()));
        args.addAll(Arrays.asList(more));
        Cli.Run r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(args + ": " + r.err()).isZero();
        Matcher m = BUILT.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @DisplayName("without a range the last bucket is dropped; --complete-through keeps it")
    void storedRange() {
        long dropped = built("build");
        assertThat(built("build", "--complete-through", "2024-01-08T12:00:00Z")).isEqualTo(dropped + 1);
        assertThat(built("build", "--complete-through", "2024-01-08T11:59:59Z")).as("a time before the bucket's end")
                .isEqualTo(dropped);
        assertThat(built("build")).isEqualTo(dropped);
    }

    @Test
    @DisplayName("a closed --from/--to range in the past states the candles complete through --to and keeps the bucket")
    void closedPastRange() {
        long dropped = built("build");
        assertThat(built("build", "--from", "2024-01-08T07:00:00Z", "--to", "2024-01-08T12:00:00Z"))
                .isEqualTo(dropped + 1);
        // --to inside the bucket: the bucket has not closed by --to, so it stays out
        assertThat(built("build", "--from", "2024-01-08T07:00:00Z", "--to", "2024-01-08T11:59:00Z"))
                .isEqualTo(dropped);
    }

    @Test
    @DisplayName("a range reaching into the future states nothing; --complete-through replaces what the range states")
    void futureRange() {
        long dropped = built("build");
        assertThat(built("build", "--from", "2024-01-08T07:00:00Z", "--to", "2999-01-01T00:00:00Z")).isEqualTo(dropped);
        assertThat(built("build", "--from", "2024-01-08T07:00:00Z", "--to", "2999-01-01T00:00:00Z",
                "--complete-through", "2024-01-08T12:00:00Z")).isEqualTo(dropped + 1);
        assertThat(built("build", "--from", "2024-01-08T07:00:00Z", "--to", "2024-01-08T12:00:00Z",
                "--complete-through", "2024-01-08T11:00:00Z")).isEqualTo(dropped);
    }

    @Test
    @DisplayName("run builds the same way: the last bucket dropped without --complete-through, kept with it")
    void runCommand() {
        long dropped = built("run", "--format", "parquet");
        assertThat(built("run", "--format", "parquet", "--overwrite", "--complete-through", "2024-01-08T12:00:00Z"))
                .isEqualTo(dropped + 1);
    }

    @Test
    @DisplayName("--complete-through that is not an ISO-8601 time is bad usage, exit 2")
    void badTime() {
        Cli.Run r = Cli.run("build", "--secids", "SBER", "--db", db(), "--complete-through", "noon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .contains("--complete-through: not an ISO-8601 time with offset or Z: 'noon'");
        Cli.Run help = Cli.run("build", "--help");
        assertThat(help.out()).contains("--complete-through").contains("states the stored candles");
        assertThat(Cli.run("run", "--help").out()).contains("--complete-through").contains("the candle source is unreachable");
        assertThat(Cli.run("export", "--help").out()).doesNotContain("--complete-through=");
    }
}
