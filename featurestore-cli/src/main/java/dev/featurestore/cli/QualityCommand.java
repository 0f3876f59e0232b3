package dev.featurestore.cli;

import dev.featurestore.core.progress.Stage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code featurestore quality}: the data-quality report of the stored candles and features. */
@Command(name = "quality", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Writes the data-quality report of stored candles and feature rows to "
                + "--quality-dir/<set>_<tf>_<run>.json, and the same as an HTML page with charts beside it: row counts, missing candles, NaN/inf, out-of-range values, "
                + "staleness, distributions and drift against the previous report. Exits 1 when a check marked "
                + "blocking in the registry's quality section failed.", "The candles are resampled to the timeframe as "
                + "build does. " + CompleteThroughOption.HELP},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed (the report says which)",
                "2:bad input or usage; one line on stderr says what and where",
                "3:storage error: the database or an output file could not be opened, read or written",
                "70:unexpected internal error"})
final class QualityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Mixin
    CompleteThroughOption completeThrough;

    @Mixin
    HtmlOption html;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        job.html = html.html;
        return Jobs.run(spec, store, job, null, "1m", completeThrough.instant(), false, Stage.QUALITY);
    }
}
