package dev.featurestore.core.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLF4J listener of {@link ProgressListener#logging()}: stages (and their failures, which the
 * caller hears as exceptions) at INFO, secids and files at DEBUG, pages at TRACE.
 */
final class LoggingProgress implements ProgressListener {
    static final LoggingProgress INSTANCE = new LoggingProgress();
    private static final Logger LOG = LoggerFactory.getLogger(LoggingProgress.class.getPackageName());

    private LoggingProgress() {
    }

    @Override
    public void stageStarted(Stage stage, List<String> secids) {
        LOG.info("{} started: {} secid(s) {}", stage.label(), secids.size(), secids);
    }

    @Override
    public void advanced(Stage stage, String secid, long done, long total) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {}: {} of {} rows", stage.label(), secid, done, total < 0 ? "?" : Long.toString(total));
        }
    }

    @Override
    public void secidFinished(Stage stage, String secid, long rows) {
        LOG.debug("{} {}: {} rows", stage.label(), secid, rows);
    }

    @Override
    public void stageFinished(Stage stage, Duration took) {
        LOG.info("{} finished in {} ms", stage.label(), took.toMillis());
    }

    @Override
    public void stageFailed(Stage stage, Duration took, Throwable error) {
        LOG.info("{} failed after {} ms: {}", stage.label(), took.toMillis(), error.toString());
    }

    @Override
    public void fileWritten(Stage stage, Path file) {
        LOG.debug("{} wrote {}", stage.label(), file);
    }
}
