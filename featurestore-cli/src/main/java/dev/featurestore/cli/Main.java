package dev.featurestore.cli;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.source.SourceUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code featurestore} command line: {@code ingest} candles into the database, {@code build}
 * features, {@code export} snapshots, write the {@code quality} report, {@code run} all four,
 * build a training {@code dataset} and export its splits, list the {@code snapshots} audit log; {@code compute} features from a candle CSV without a
 * database, {@code generate} synthetic candles, and {@code demo}, the main job on sample data.
 *
 * <p>Exit codes: {@value #OK} success; {@value #QUALITY} a blocking data-quality check failed;
 * {@value #BAD_INPUT} bad input or usage (one line on standard error says what and where);
 * {@value #STORAGE} storage error (the database or an output cannot be opened, read or written, or
 * a snapshot no longer has its recorded hash); {@value #SOURCE_UNAVAILABLE} the candle source is
 * unreachable or kept failing through its retries (a {@link SourceUnavailableException}: HTTP 5xx or
 * 429, a connection refused or timed out, a malformed page; the same command may succeed later);
 * {@value #INTERNAL} an unexpected internal error (a stack trace follows). The codes do not change
 * between versions.
 */
@Command(name = "featurestore", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A feature store for exchange candles (OHLCV): compute versioned technical feature sets.",
        subcommands = {DemoCommand.class, IngestCommand.class, BuildCommand.class, ExportCommand.class,
                DatasetCommand.class, QualityCommand.class, RunCommand.class, SnapshotsCommand.class, SetsCommand.class,
                ComputeCommand.class, StreamCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed (quality, run, demo)",
                "2:bad input or usage; one line on stderr names file, line, column and reason",
                "3:storage error: the database or an output could not be opened, read or written",
                Main.SOURCE_UNAVAILABLE_HELP, "70:unexpected internal error"})
public final class Main implements Runnable {
    /** Success. */
    public static final int OK = 0;
    /** A blocking data-quality check failed. */
    public static final int QUALITY = 1;
    /** Bad input or usage. */
    public static final int BAD_INPUT = 2;
    /** A storage error: the database or an output could not be opened, read or written. */
    public static final int STORAGE = 3;
    /**
     * The candle source is unreachable or kept failing through its retries: try again later. The
     * value is {@code EX_UNAVAILABLE} of BSD's {@code sysexits.h}, as {@link #INTERNAL} is its
     * {@code EX_SOFTWARE}.
     */
    public static final int SOURCE_UNAVAILABLE = 69;
    /** An unexpected internal error. */
    public static final int INTERNAL = 70;

    /** The help line of {@link #SOURCE_UNAVAILABLE}, for the commands that read a source. */
    static final String SOURCE_UNAVAILABLE_HELP = "69:the candle source is unreachable or kept failing after its "
            + "retries (HTTP 5xx or 429, connection refused or timed out, malformed page); nothing of a broken page "
            + "is stored, and running the same command later resumes";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits the JVM with its code (one of the constants above).
     *
     * @param args the command and its options, e.g. {@code build --set tech_v2 --timeframe 5m}
     */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The command line with its exception handling and exit codes set up; {@code execute(args)}
     * runs it. Set its out and err writers to capture the output.
     *
     * @return a new command line, writing to standard output and standard error; {@code execute}
     *     returns the exit code instead of exiting
     */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setExecutionStrategy(Main::execute);
        cl.setErr(new Stderr(cl.getErr()));
        return cl;
    }

    /**
     * The command line writing to the given streams, for tests and embedding: as
     * {@link #newCommandLine()}, with its output and its error lines redirected.
     *
     * @param out receives what the commands print on standard output (reports, listings)
     * @param err receives the one-line error (with a stack trace for an internal error) and the
     *     progress lines
     * @return a new command line; {@code execute(args)} returns the exit code
     */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(new Stderr(err));
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + spec.subcommands().keySet());
    }

    /** Runs the command, then writes out the progress lines it held (standard error off a terminal, see {@link Stderr}). */
    private static int execute(CommandLine.ParseResult parseResult) {
        int code = new CommandLine.RunLast().execute(parseResult);
        Stderr.release(parseResult.commandSpec().commandLine().getErr());
        return code;
    }

    /** Prints the error as the first line on standard error, then the progress lines held before it. */
    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String prefix = commandLine.getCommandSpec().qualifiedName() + ": ";
        int code = exitCode(e);
        if (code == INTERNAL && !(e instanceof CliException)) {
            err.println(prefix + "internal error: " + e);
            e.printStackTrace(err);
        } else {
            err.println(prefix + oneLine(e.getMessage()));
        }
        err.flush();
        Stderr.release(err);
        return code;
    }

    /** The exit code of a failure: a {@link CliException}'s own, else by the exception's type. */
    static int exitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        } else if (e instanceof SourceUnavailableException) {
            return SOURCE_UNAVAILABLE;
        } else if (e instanceof StorageException || e instanceof UncheckedIOException
                || e instanceof SnapshotIntegrityException) {
            return STORAGE;
        } else if (e instanceof FeatureStoreException || e instanceof IllegalArgumentException) {
            return BAD_INPUT;
        }
        return INTERNAL;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** The version from the jar's build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"featurestore " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
