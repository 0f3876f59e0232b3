package dev.featurestore.cli;

import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.DatasetInfo;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.SnapshotVerification;
import dev.featurestore.core.snapshot.Snapshots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code featurestore snapshots list|show|verify}: the snapshot audit log ({@code train_data_snapshots}). */
@Command(name = "snapshots", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Lists and shows the snapshot audit log (train_data_snapshots): which secids of which set and "
                + "timeframe went into which file, rows, time range and SHA-256; verifies a snapshot directory "
                + "against it."},
        subcommands = {SnapshotsCommand.ListCommand.class, SnapshotsCommand.ShowCommand.class,
            SnapshotsCommand.VerifyCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad usage, or no snapshot matches (show)",
                "3:storage error, or (show --verify) the file is missing or its SHA-256 differs, or (verify) "
                        + "anything found",
                "70:unexpected internal error"})
final class SnapshotsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show or verify");
    }

    /** {@code snapshots list}: one line per audit row. */
    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the audit rows, oldest first, optionally filtered.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:success", "2:bad usage", "3:storage error", "70:unexpected internal error"})
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--set", paramLabel = "NAME", description = "Only this feature set.")
        String set;

        @Option(names = "--timeframe", paramLabel = "TF", description = "Only this timeframe.")
        String timeframe;

        @Option(names = "--secid", paramLabel = "SECID", description = "Only this secid.")
        String secid;

        @Option(names = "--date", paramLabel = "DATE", description = "Only snapshots of this date (YYYY-MM-DD).")
        String date;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            SnapshotQuery q = SnapshotQuery.all();
            if (set != null) {
                q = q.featureSet(set);
            }
            if (timeframe != null) {
                q = q.timeframe(Jobs.parseTimeframe("--timeframe", timeframe));
            }
            if (secid != null) {
                q = q.secid(secid);
            }
            if (date != null) {
                try {
                    q = q.date(LocalDate.parse(date));
                } catch (DateTimeParseException e) {
                    throw new CliException(Main.BAD_INPUT, "--date: not a date (2024-01-12): '" + date + "'");
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Store s = store.open()) {
                List<SnapshotRecord> rows = s.snapshots().find(q);
                out.println(String.format(Locale.ROOT, "%-24s  %-8s  %-4s  %-8s  %8s  %-7s  %-12s  %s", "created_at",
                        "set", "tf", "secid", "rows", "format", "sha256", "path"));
                for (SnapshotRecord r : rows) {
                    out.println(String.format(Locale.ROOT, "%-24s  %-8s  %-4s  %-8s  %8d  %-7s  %-12s  %s",
                            r.createdAt(), r.featureSet(), r.timeframe(), r.secid(), r.rowsCount(), r.format(),
                            r.sha256().substring(0, 12), r.path()));
                }
                out.println(rows.size() + " row(s) in " + store.db);
            }
            out.flush();
            return Main.OK;
        }
    }

    /** {@code snapshots show}: every field of the rows of one file. */
    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Shows every field of the audit rows of one snapshot, found by file path or by SHA-256 "
                    + "(or a prefix of at least 8 hex digits).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:success", "2:bad usage, or no snapshot matches",
                    "3:storage error, or (--verify) the file is missing or its SHA-256 differs",
                    "70:unexpected internal error"})
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SHA256|PATH", description = "The snapshot's SHA-256 (or prefix) or file path.")
        String key;

        @Option(names = "--verify", description = "Check that the file exists and still has the recorded SHA-256.")
        boolean verify;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Store s = store.open()) {
                Snapshots log = s.snapshots();
                List<SnapshotRecord> rows = new ArrayList<>();
                boolean hex = key.matches("[0-9a-f]{8,64}");
                Path asPath = Path.of(key).normalize();
                for (SnapshotRecord r : log.all()) {
                    if ((hex && r.sha256().startsWith(key)) || Path.of(r.path()).normalize().equals(asPath)) {
                        rows.add(r);
                    }
                }
                if (rows.isEmpty()) {
                    throw new CliException(Main.BAD_INPUT, "no snapshot in the audit log of " + store.db
                            + " has the SHA-256 or path '" + key + "'; list them with: snapshots list");
                }
                for (SnapshotRecord r : rows) {
                    out.println("path:             " + r.path());
                    out.println("format:           " + r.format());
                    out.println("sha256:           " + r.sha256());
                    out.println("feature_set:      " + r.featureSet());
                    out.println("timeframe:        " + r.timeframe());
                    out.println("secid:            " + r.secid());
                    out.println("rows:             " + r.rowsCount());
                    out.println("min_ts:           " + Instant.ofEpochMilli(r.minTs()));
                    out.println("max_ts:           " + Instant.ofEpochMilli(r.maxTs()));
                    out.println("history_start_ts: " + Instant.ofEpochMilli(r.historyStartTs()));
                    out.println("created_at:       " + r.createdAt());
                    out.println("library_version:  " + r.libraryVersion());
                    if (r.replacedSha256() != null) {
                        out.println("replaced_sha256:  " + r.replacedSha256());
                    }
                    if (r.fingerprint() != null) {
                        out.println("fingerprint:      " + r.fingerprint());
                    }
                    DatasetInfo d = r.dataset();
                    if (d != null) {
                        out.println("dataset:          " + d.datasetFingerprint());
                        out.println("split:            " + d.split() + " [" + Instant.ofEpochMilli(d.splitFromTs())
                                + ", " + Instant.ofEpochMilli(d.splitToTs()) + ")");
                        for (String line : d.labels().split("\n")) {
                            out.println("label:            " + line);
                        }
                        if (d.normalized()) {
                            FittedNormalization n = FittedNormalization.fromJson(d.normalizationJson());
                            out.println("normalization:    " + n.id() + " " + n.method().key() + " " + n.scope().key()
                                    + (n.clipLimit() > 0 ? " clip " + n.clipLimit() : "") + ", fitted on "
                                    + n.groups() + " over [" + n.trainFrom() + ", " + n.trainTo() + ")");
                            out.println("normalization_sha256: " + n.sha256());
                        } else {
                            out.println("normalization:    none (raw values)");
                        }
                    }
                    out.println();
                }
                if (verify) {
                    log.verify(rows.get(0));
                    out.println("verified: " + rows.get(0).path() + " has SHA-256 " + rows.get(0).sha256());
                }
            }
            out.flush();
            return Main.OK;
        }
    }

    /** {@code snapshots verify}: the snapshot directory against the audit log. */
    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Compares a snapshot directory with the audit log and lists, one line each: files at a "
                    + "final snapshot path (DIR/<set>/<tf>/YYYYMMDD.<ext>) that no audit row names (unrecorded: an "
                    + "export stopped before recording it; export the same content again to record it), paths of "
                    + "audit rows whose file is missing (missing) or holds other content than the newest rows "
                    + "record (changed), and temporary files of exports older than 10 minutes (temporary; the next "
                    + "export into that directory deletes them). Audit rows of every directory are checked."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:nothing found", "2:bad usage",
                    "3:something found (the last line on stderr counts it), or a storage error",
                    "70:unexpected internal error"})
    static final class VerifyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--snapshot-dir", paramLabel = "DIR", defaultValue = "data/processed/features",
                description = "The snapshot directory exports wrote to (default: ${DEFAULT-VALUE}).")
        Path snapshotDir = Path.of("data/processed/features");

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SnapshotVerification v;
            try (Store s = store.open()) {
                v = s.snapshots().verify(snapshotDir);
            }
            for (SnapshotVerification.Finding f : v.findings()) {
                out.println(f);
            }
            String checked = v.filesChecked() + " snapshot file(s) under " + snapshotDir + " and " + v.pathsChecked()
                    + " recorded path(s) in " + store.db;
            out.flush();
            if (!v.clean()) {
                List<String> counts = new ArrayList<>();
                for (SnapshotVerification.Kind k : SnapshotVerification.Kind.values()) {
                    int n = v.findings(k).size();
                    if (n > 0) {
                        counts.add(n + " " + k.label());
                    }
                }
                throw new CliException(Main.STORAGE, v.findings().size() + " finding(s) (" + String.join(", ", counts)
                        + ") in " + checked);
            }
            out.println("verified " + checked + ": every snapshot file is recorded and every recorded file is as recorded");
            out.flush();
            return Main.OK;
        }
    }
}
