package dev.featurestore.cli;

import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each stage of one feature set's run did, as heard from its progress: the summary of a run
 * that did not finish, saying for every planned stage whether it was done, failed or did not run,
 * and which files it wrote. Thread-safe.
 */
final class StageLog implements ProgressListener {
    private final String subject;
    private final List<Stage> planned;
    private final Map<Stage, Entry> entries = new EnumMap<>(Stage.class);

    /** What one stage did. */
    private static final class Entry {
        long rows;
        Duration took;
        Throwable error;
        final List<Path> files = new ArrayList<>();
    }

    /**
     * @param subject the set and timeframe, e.g. {@code tech_v2 5m}
     * @param planned the stages the run was to go through, in order
     */
    StageLog(String subject, List<Stage> planned) {
        this.subject = subject;
        this.planned = List.copyOf(planned);
    }

    @Override
    public synchronized void stageStarted(Stage stage, List<String> secids) {
        entries.put(stage, new Entry());
    }

    @Override
    public synchronized void secidFinished(Stage stage, String secid, long rows) {
        entries.computeIfAbsent(stage, s -> new Entry()).rows += rows;
    }

    @Override
    public synchronized void fileWritten(Stage stage, Path file) {
        entries.computeIfAbsent(stage, s -> new Entry()).files.add(file);
    }

    @Override
    public synchronized void stageFinished(Stage stage, Duration took) {
        entries.computeIfAbsent(stage, s -> new Entry()).took = took;
    }

    @Override
    public synchronized void stageFailed(Stage stage, Duration took, Throwable error) {
        Entry e = entries.computeIfAbsent(stage, s -> new Entry());
        e.took = took;
        e.error = error;
    }

    /** The set and timeframe. */
    String subject() {
        return subject;
    }

    /** Whether any stage started. */
    synchronized boolean started() {
        return !entries.isEmpty();
    }

    /** The stage that failed, or null. */
    synchronized Stage failedStage() {
        for (Map.Entry<Stage, Entry> e : entries.entrySet()) {
            if (e.getValue().error != null) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The summary: a heading naming the failed stage (or why nothing ran), then one line per
     * planned stage with what it wrote.
     *
     * @param notRun why the run did not start, when it did not (another set failed first)
     */
    synchronized String describe(String notRun) {
        Stage failed = failedStage();
        StringBuilder sb = new StringBuilder(subject).append(": ");
        sb.append(failed != null ? "FAILED in " + failed.label() : entries.isEmpty() ? "not run (" + notRun + ")"
                : "stopped").append('\n');
        for (Stage stage : planned) {
            Entry e = entries.get(stage);
            sb.append(String.format(Locale.ROOT, "  %-8s", stage.label()));
            if (e == null) {
                sb.append("not run");
            } else if (e.error != null) {
                sb.append("FAILED after ").append(ProgressPrinter.seconds(e.took)).append("; ").append(keptAfterFailure(stage, e))
                        .append(": ").append(Main.oneLine(e.error.getMessage()));
            } else if (e.took == null) {
                sb.append("stopped; ").append(keptAfterFailure(stage, e));
            } else {
                sb.append("done, ").append(e.rows).append(" rows").append(e.files.isEmpty() ? "" : ", wrote "
                        + join(e.files)).append(" (").append(ProgressPrinter.seconds(e.took)).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** What a stage that did not finish leaves behind. */
    private static String keptAfterFailure(Stage stage, Entry e) {
        return switch (stage) {
            case INGEST -> "the candles of the pages before the failure are stored";
            case BUILD -> "the secids built before the failure are stored";
            case EXPORT -> e.files.isEmpty() ? "no snapshot written and recorded"
                    : "written and recorded before the failure: " + join(e.files);
            case QUALITY -> "no report written";
        };
    }

    private static String join(List<Path> files) {
        return String.join(", ", files.stream().map(Path::toString).toList());
    }
}
