package dev.featurestore.cli;

import dev.featurestore.api.Timeframe;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Option;

/** What a job runs over: feature sets, timeframe, secids, range, and where snapshots and reports go. */
final class JobOptions {
    @Option(names = "--set", split = ",", paramLabel = "NAME", defaultValue = "tech_v2",
            description = "Feature set(s) of the registry, comma-separated, e.g. tech_v1,tech_v2 (default: ${DEFAULT-VALUE}).")
    List<String> sets = List.of("tech_v2");

    @Option(names = "--timeframe", paramLabel = "TF", defaultValue = "5m",
            description = "Timeframe of the features, e.g. 5m (default: ${DEFAULT-VALUE}).")
    String timeframe = "5m";

    @Option(names = "--secids", split = ",", paramLabel = "SECID", description = "Instruments, comma-separated.")
    List<String> secids;

    @Option(names = "--from", paramLabel = "TIME",
            description = "First candle open time: a date (00:00 UTC; for --timeframe 1d the trading day's start "
                    + "in the registry's exchange.timezone) or ISO-8601 time. Default: the stored or source's first "
                    + "candle.")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End of the range, exclusive: a date (its end, i.e. the next day 00:00 UTC; for 1d the "
                    + "next trading day's start, so --from D1 --to DN holds N daily candles) or ISO-8601 time. "
                    + "Default: the end of the stored or source's last candle.")
    String to;

    @Option(names = "--snapshot-dir", paramLabel = "DIR", defaultValue = "data/processed/features",
            description = "Snapshot output directory: DIR/<set>/<tf>/YYYYMMDD.<ext> (default: ${DEFAULT-VALUE}).")
    Path snapshotDir = Path.of("data/processed/features");

    @Option(names = "--format", split = ",", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "Snapshot file format(s): parquet, feather (default: ${DEFAULT-VALUE}).")
    List<String> formats = List.of("parquet");

    @Option(names = "--overwrite", description = "Replace a snapshot with different content at the same path "
            + "(recorded in the audit log as replacing the old file's hash).")
    boolean overwrite;

    @Option(names = "--quality-dir", paramLabel = "DIR",
            description = "Quality report directory (default: the registry's quality.report_dir, docs/data_quality).")
    Path qualityDir;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id naming the quality report (default: the start time).")
    String runId;

    @Option(names = "--memory-budget", paramLabel = "SIZE",
            description = "Heap for the built rows the export and the quality report take from the build, in bytes "
                    + "or with k, m or g (e.g. 512m); past it they go to a temporary file (default: 256m).")
    String memoryBudget;

    /** Whether a quality run writes the HTML page beside the JSON report (the quality and run commands' --html). */
    boolean html = true;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--plain", description = "Progress as plain lines even on a terminal.")
    boolean plain;

    /** {@code --memory-budget} in bytes, or -1 when not given. */
    long memoryBudgetBytes() {
        if (memoryBudget == null) {
            return -1;
        }
        String t = memoryBudget.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n >= 0 && n <= Long.MAX_VALUE >> shift && !digits.startsWith("+")) {
                return n << shift;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new CliException(Main.BAD_INPUT, "--memory-budget: '" + memoryBudget + "' is not a size; give bytes "
                + "or a whole number with k, m or g, e.g. 512m");
    }

    Instant fromInstant(ExchangeCalendar calendar, Timeframe timeframe) {
        return Times.start("--from", from, calendar, timeframe);
    }

    Instant toInstant(ExchangeCalendar calendar, Timeframe timeframe) {
        return Times.end("--to", to, calendar, timeframe);
    }
}
