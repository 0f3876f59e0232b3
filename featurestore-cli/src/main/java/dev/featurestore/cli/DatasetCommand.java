package dev.featurestore.cli;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.DatasetQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.dataset.Dataset;
import dev.featurestore.core.dataset.Normalization;
import dev.featurestore.core.dataset.Split;
import dev.featurestore.core.dataset.WalkForward;
import dev.featurestore.core.snapshot.ExportOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code featurestore dataset}: a training dataset over stored features, with labels, time splits,
 * purge, embargo and a normalization fitted on the training split, exported one file per split.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Builds a training dataset over the stored features (built with build) and the stored "
                + "candles its labels come from, prints its summary (samples per split and secid, samples dropped "
                + "as unlabeled, purged or embargoed, label, normalization, fingerprint) and exports each split to "
                + "--snapshot-dir/<set>/<tf>/YYYYMMDD.<split>.<ext>, recorded in the audit log (show it with: "
                + "snapshots show). Split ranges are half-open, FROM/TO, each a date or an ISO-8601 time as for "
                + "--from and --to of the other commands. With --walk-forward it prints each fold's summary and "
                + "exports nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad input or usage; one line on stderr says what and where",
                "3:storage error: the database or an output file could not be opened, read or written",
                "70:unexpected internal error"})
final class DatasetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--set", paramLabel = "NAME", defaultValue = "tech_v2",
            description = "Feature set of the registry (default: ${DEFAULT-VALUE}).")
    String set = "tech_v2";

    @Option(names = "--timeframe", paramLabel = "TF", defaultValue = "5m",
            description = "Timeframe of the features, e.g. 5m (default: ${DEFAULT-VALUE}).")
    String timeframe = "5m";

    @Option(names = "--secids", split = ",", paramLabel = "SECID", required = true,
            description = "Instruments, comma-separated; samples of equal time are ordered as given.")
    List<String> secids;

    @Option(names = "--window", paramLabel = "W", description = "Rows per sample (default: the set's "
            + "default_window_size).")
    Integer window;

    @Option(names = "--labels", split = ",", paramLabel = "LABEL", required = true,
            description = "Labels of the registry's labels: section, comma-separated, e.g. fwd_ret_12.")
    List<String> labels;

    @Option(names = "--train", paramLabel = "FROM/TO", description = "The training range (normalization is fitted "
            + "on it).")
    String train;

    @Option(names = "--valid", paramLabel = "FROM/TO", description = "The validation range.")
    String valid;

    @Option(names = "--test", paramLabel = "FROM/TO", description = "The test range.")
    String test;

    @Option(names = "--walk-forward", paramLabel = "K", description = "K walk-forward folds over --from/--to instead "
            + "of fixed splits (expanding unless --rolling).")
    Integer folds;

    @Option(names = "--rolling", description = "Walk-forward folds train on one block each, not on all before.")
    boolean rolling;

    @Option(names = "--from", paramLabel = "TIME", description = "Start of the walk-forward range.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the walk-forward range, exclusive.")
    String to;

    @Option(names = "--purge", paramLabel = "BARS", description = "Bars purged before each later split (default: "
            + "window + largest horizon, which makes leakage impossible).")
    Integer purge;

    @Option(names = "--embargo", paramLabel = "BARS", defaultValue = "0",
            description = "Bars embargoed after each earlier split (default: ${DEFAULT-VALUE}).")
    int embargo;

    @Option(names = "--normalize", paramLabel = "METHOD", defaultValue = "none",
            description = "zscore, robust_zscore or none (default: ${DEFAULT-VALUE}).")
    String normalize = "none";

    @Option(names = "--per-secid", description = "Fit the normalization per secid (default: pooled).")
    boolean perSecid;

    @Option(names = "--clip", paramLabel = "C", description = "Clip normalized values to [-C, C].")
    Double clip;

    @Option(names = "--as-of", paramLabel = "TIME", description = "Only features and labels known by this time.")
    String asOf;

    @Option(names = "--snapshot-dir", paramLabel = "DIR", defaultValue = "data/processed/features",
            description = "Snapshot output directory (default: ${DEFAULT-VALUE}).")
    Path snapshotDir = Path.of("data/processed/features");

    @Option(names = "--format", split = ",", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "File format(s): parquet, feather (default: ${DEFAULT-VALUE}).")
    List<String> formats = List.of("parquet");

    @Option(names = "--overwrite", description = "Replace split files of different content at the same paths.")
    boolean overwrite;

    @Option(names = "--no-export", description = "Print the summary only.")
    boolean noExport;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.open()) {
            Timeframe tf = parseTimeframe();
            ExchangeCalendar calendar = s.registry().calendar();
            StoredQuery stored = s.forSet(set).timeframe(tf).secids(secids);
            if (window != null) {
                stored = stored.window(window);
            }
            if (asOf != null) {
                stored = stored.asOf(Times.start("--as-of", asOf, calendar, tf));
            }
            DatasetQuery q = stored.labels(labels.toArray(new String[0])).embargo(embargo);
            if (purge != null) {
                q = q.purge(purge);
            }
            Normalization norm = normalization();
            if (norm != null) {
                q = q.normalize(norm);
            }
            if (folds != null) {
                if (train != null || valid != null || test != null) {
                    throw new CliException(Main.BAD_INPUT, "--walk-forward cuts its own splits; leave out --train, "
                            + "--valid and --test");
                }
                if (from == null || to == null) {
                    throw new CliException(Main.BAD_INPUT, "--walk-forward needs --from and --to");
                }
                Instant a = Times.start("--from", from, calendar, tf);
                Instant b = Times.end("--to", to, calendar, tf);
                List<Dataset> all = q.walkForward(rolling ? WalkForward.rolling(folds, a, b)
                        : WalkForward.expanding(folds, a, b)).folds();
                for (int k = 0; k < all.size(); k++) {
                    out.println("fold " + k + ":");
                    out.print(all.get(k).summary());
                }
                out.flush();
                return Main.OK;
            }
            List<Split> splits = new ArrayList<>();
            addSplit(splits, "train", "--train", train, calendar, tf);
            addSplit(splits, "valid", "--valid", valid, calendar, tf);
            addSplit(splits, "test", "--test", test, calendar, tf);
            if (splits.isEmpty()) {
                throw new CliException(Main.BAD_INPUT, "give --train, --valid and/or --test (FROM/TO), or "
                        + "--walk-forward K with --from and --to");
            }
            q = q.split(splits.toArray(new Split[0]));
            out.print(q.dataset().summary());
            if (!noExport) {
                for (String format : formats) {
                    for (SnapshotRecord r : q.export(format, snapshotDir,
                            ExportOptions.defaults().overwrite(overwrite))) {
                        out.println("wrote " + r.path() + " (" + r.dataset().split() + ", " + r.secid() + ", "
                                + r.rowsCount() + " rows, sha256 " + r.sha256() + ")");
                    }
                }
            }
        }
        out.flush();
        return Main.OK;
    }

    private Timeframe parseTimeframe() {
        try {
            return Timeframe.parse(timeframe);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.BAD_INPUT, "--timeframe: " + e.getMessage());
        }
    }

    private Normalization normalization() {
        Normalization n;
        switch (normalize) {
            case "none":
                if (perSecid || clip != null) {
                    throw new CliException(Main.BAD_INPUT, "--per-secid and --clip need --normalize zscore or "
                            + "robust_zscore");
                }
                return null;
            case "zscore":
                n = Normalization.zScore();
                break;
            case "robust_zscore":
                n = Normalization.robustZScore();
                break;
            default:
                throw new CliException(Main.BAD_INPUT, "--normalize '" + normalize
                        + "': use zscore, robust_zscore or none");
        }
        if (perSecid) {
            n = n.perSecid();
        }
        if (clip != null) {
            try {
                n = n.clip(clip);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.BAD_INPUT, "--clip: " + e.getMessage());
            }
        }
        return n;
    }

    private static void addSplit(List<Split> splits, String name, String option, String range,
            ExchangeCalendar calendar, Timeframe tf) {
        if (range == null) {
            return;
        }
        int slash = range.indexOf('/');
        if (slash <= 0 || slash == range.length() - 1) {
            throw new CliException(Main.BAD_INPUT, option + " '" + range + "': give FROM/TO, e.g. "
                    + "2024-01-02/2024-03-31");
        }
        Instant a = Times.start(option, range.substring(0, slash), calendar, tf);
        Instant b = Times.end(option, range.substring(slash + 1), calendar, tf);
        try {
            splits.add(new Split(name, a, b));
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.BAD_INPUT, option + ": " + e.getMessage());
        }
    }
}
