package dev.featurestore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code featurestore stream}: replays the candles of a CSV file through the stream API, one
 * candle at a time, and writes every row it emits: the same file as {@code compute --all-rows}.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Replays the candles of a CSV file through the stream API, one candle at a time per secid, "
                + "and writes every feature row the streams emit as CSV.",
            "",
            "Input and output as for compute; the output is every row (warm-up rows with empty cells), the same "
                    + "file compute --all-rows writes for the same options. With --timeframe the 1m candles "
                    + "are resampled as they come: a bucket closes when a later candle arrives, and the last one "
                    + "only by --complete-through."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad input or usage; one line on stderr names file, line, column and reason",
                "3:the output could not be written", "70:unexpected internal error"})
final class StreamCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--set", required = true, paramLabel = "NAME", description = "Feature set of the registry, e.g. tech_v2.")
    String set;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "Candle CSV file to replay.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "CSV",
            description = "Feature CSV file to write (replaced atomically; its directory is made when missing).")
    Path output;

    @Option(names = "--timeframe", paramLabel = "TF",
            description = "Stream rows of this timeframe, resampling the input as it comes, e.g. 5m (must be allowed "
                    + "by the set). Without it every input candle is a row, at any spacing.")
    String timeframe;

    @Option(names = "--input-timeframe", paramLabel = "TF", defaultValue = "1m",
            description = "The timeframe of the input candles when --timeframe is given (default: ${DEFAULT-VALUE}).")
    String inputTimeframe;

    @Option(names = "--config", paramLabel = "YAML",
            description = "Registry file (default: the featurestore.config system property, the FEATURESTORE_CONFIG "
                    + "environment variable, else the registry built into the jar).")
    Path config;

    @Option(names = "--complete-through", paramLabel = "INSTANT",
            description = "With --timeframe: after the last candle, state the input complete through this ISO-8601 "
                    + "time, which closes the last bucket if it ends by then.")
    String completeThrough;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ComputeCommand.Result result = ComputeCommand.compute(set, input, output, timeframe, inputTimeframe, true,
                config, completeThrough, true);
        out.println("streamed " + result.describe().substring("wrote ".length()));
        out.flush();
        return Main.OK;
    }
}
