package dev.featurestore.cli;

import dev.featurestore.core.progress.Stage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code featurestore build}: computes features from the stored candles and stores them. */
@Command(name = "build", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Builds feature set(s) from the candles stored in the database (resampling 1m to the "
                + "timeframe) and stores the feature rows, one transaction per secid. Rebuilding writes the same values.",
                CompleteThroughOption.HELP},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed (the report says which)",
                "2:bad input or usage; one line on stderr says what and where",
                "3:storage error: the database or an output file could not be opened, read or written",
                "70:unexpected internal error"})
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Mixin
    CompleteThroughOption completeThrough;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        return Jobs.run(spec, store, job, null, "1m", completeThrough.instant(), false, Stage.BUILD);
    }
}
