package dev.featurestore.cli;

import dev.featurestore.core.progress.Stage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code featurestore run}: ingest, build, export and quality in one command. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Runs the whole job for each feature set: ingest (when a source is given; resumable), build, "
                + "export and the quality report. With --parallel, several sets run at the same time on threads "
                + "sharing the database.", CompleteThroughOption.HELP},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed (the report says which)",
                "2:bad input or usage; one line on stderr says what and where",
                "3:storage error: the database or an output file could not be opened, read or written",
                Main.SOURCE_UNAVAILABLE_HELP, "70:unexpected internal error"})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Mixin
    SourceOptions source;

    @Option(names = "--ingest-timeframe", paramLabel = "TF", defaultValue = "1m",
            description = "Timeframe to ingest and store, resampled to --timeframe by the build (default: ${DEFAULT-VALUE}).")
    String ingestTimeframe = "1m";

    @Option(names = "--parallel", description = "Run the feature sets of --set at the same time, one thread each.")
    boolean parallel;

    @Mixin
    CompleteThroughOption completeThrough;

    @Mixin
    HtmlOption html;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        job.html = html.html;
        return Jobs.run(spec, store, job, source, ingestTimeframe, completeThrough.instant(), parallel, Stage.values());
    }
}
