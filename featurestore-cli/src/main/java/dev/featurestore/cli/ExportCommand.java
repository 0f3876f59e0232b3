package dev.featurestore.cli;

import dev.featurestore.core.progress.Stage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code featurestore export}: writes stored features into snapshot files and records them in the audit log. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Exports the stored feature rows (built with build) into one snapshot file per set, "
                + "timeframe and format, --snapshot-dir/<set>/<tf>/YYYYMMDD.<ext>, written atomically, and records "
                + "one audit row per secid in the database (list them with: snapshots list). It reads the rows "
                + "as build stored them and resamples nothing: which last bucket is final was decided by build "
                + "(see its --complete-through)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed (the report says which)",
                "2:bad input or usage; one line on stderr says what and where",
                "3:storage error: the database or an output file could not be opened, read or written",
                "70:unexpected internal error"})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions job;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        return Jobs.run(spec, store, job, null, "1m", null, false, Stage.EXPORT);
    }
}
