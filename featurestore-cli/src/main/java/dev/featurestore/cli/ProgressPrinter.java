package dev.featurestore.cli;

import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Shows progress on standard error: a bar redrawn in place on a terminal, plain lines (one per
 * secid and stage) when the output is a file or a pipe, nothing when quiet. Off a terminal the
 * lines are held until the command ends, after its error if it fails ({@link Stderr}). A stage
 * that fails says so, naming the set and timeframe when it has them, and never "done".
 */
final class ProgressPrinter implements ProgressListener {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean bars;
    private final String prefix;
    private final String subject;
    private List<String> secids = List.of();
    private int finished;
    private long started;

    private ProgressPrinter(PrintWriter err, boolean bars, String prefix, String subject) {
        this.err = err;
        this.bars = bars;
        this.prefix = prefix;
        this.subject = subject;
    }

    /**
     * The listener for a command: bars when standard output is a terminal and {@code plain} is
     * off, plain lines otherwise, nothing when {@code quiet}.
     */
    static ProgressListener of(PrintWriter err, boolean quiet, boolean plain, String prefix) {
        return of(err, quiet, plain, prefix, null);
    }

    /**
     * Like {@link #of(PrintWriter, boolean, boolean, String)}, naming {@code subject} (a set and
     * timeframe, e.g. {@code tech_v2 5m}) in the line of a stage that fails.
     */
    static ProgressListener of(PrintWriter err, boolean quiet, boolean plain, String prefix, String subject) {
        if (quiet) {
            return ProgressListener.logging();
        }
        boolean terminal = Stderr.terminal();
        return new ProgressPrinter(Stderr.progress(err, terminal), terminal && !plain,
                prefix == null ? "" : prefix + " ", subject).andThen(ProgressListener.logging());
    }

    /** A printer of bars (as on a terminal) or of plain lines, whatever the console, for tests. */
    static ProgressPrinter forTest(PrintWriter err, boolean bars, String subject) {
        return new ProgressPrinter(err, bars, "", subject);
    }

    @Override
    public synchronized void stageStarted(Stage stage, List<String> secids) {
        this.secids = secids;
        this.finished = 0;
        this.started = System.nanoTime();
        if (bars) {
            draw(stage, "", 0, -1, 0);
        }
    }

    @Override
    public synchronized void advanced(Stage stage, String secid, long done, long total) {
        if (bars) {
            draw(stage, secid, done, total, total > 0 ? Math.min(1.0, (double) done / total) : 0);
        }
    }

    @Override
    public synchronized void secidFinished(Stage stage, String secid, long rows) {
        finished++;
        if (bars) {
            draw(stage, secid, rows, rows, 0);
        } else {
            err.println(prefix + stage.label() + " " + secid + ": " + rows + " rows (" + finished + "/" + secids.size()
                    + ")");
            err.flush();
        }
    }

    @Override
    public synchronized void stageFinished(Stage stage, Duration took) {
        endLine(prefix + stage.label() + ": done in " + seconds(took));
    }

    @Override
    public synchronized void stageFailed(Stage stage, Duration took, Throwable error) {
        endLine((subject == null ? prefix : subject + " ") + stage.label() + ": FAILED after " + seconds(took)
                + " (" + finished + " of " + secids.size() + " secids done): " + Main.oneLine(error.getMessage()));
    }

    /** The line that closes a stage: over the bar on a terminal, else a line of its own. */
    private void endLine(String line) {
        if (bars) {
            err.print("\r" + pad(line) + "\n");
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Redraws the bar: {@code partial} is the share done of the secid in progress (0 once it is counted finished). */
    private void draw(Stage stage, String secid, long done, long total, double partial) {
        int n = Math.max(1, secids.size());
        double fraction = Math.min(1.0, (finished + partial) / n);
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
        String rows = total < 0 ? done + " rows" : done + "/" + total + " rows";
        err.print("\r" + pad(prefix + String.format(Locale.ROOT, "%-7s %s %3d%% %s %s  %s", stage.label(), bar,
                Math.round(fraction * 100), secid, rows, seconds(Duration.ofNanos(System.nanoTime() - started)))));
        err.flush();
    }

    private static String pad(String s) {
        return s.length() >= 100 ? s : s + " ".repeat(100 - s.length());
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
