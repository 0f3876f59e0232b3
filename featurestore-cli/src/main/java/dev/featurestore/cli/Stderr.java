package dev.featurestore.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Standard error of one command line run. What a command prints here goes out at once; its
 * progress lines ({@link #progress}) go out at once only on a terminal. Anywhere else (a file, a
 * pipe, CI logs) they are held until the command ends and then follow what it printed, so that
 * after a failure the first line on standard error is the error, and a script reading the first
 * line gets it.
 */
final class Stderr extends PrintWriter {
    private final StringBuffer held = new StringBuffer();
    private final PrintWriter heldLines = new PrintWriter(new Writer() {
        @Override
        public void write(char[] chars, int off, int len) {
            held.append(chars, off, len);
        }

        @Override
        public void flush() {
            // held in memory until release()
        }

        @Override
        public void close() {
            // nothing to close
        }
    });

    Stderr(Writer err) {
        super(err, true);
    }

    /** Whether the command runs on a terminal, where progress is shown as it happens. */
    static boolean terminal() {
        return System.console() != null;
    }

    /**
     * Where progress lines go: {@code err} itself on a terminal, else the lines held until
     * {@link #release} when {@code err} is a command line's standard error.
     */
    static PrintWriter progress(PrintWriter err, boolean terminal) {
        return !terminal && err instanceof Stderr s ? s.heldLines : err;
    }

    /** Writes out the progress lines held so far, after whatever was printed before. */
    static void release(PrintWriter err) {
        if (err instanceof Stderr s) {
            s.heldLines.flush();
            String text;
            synchronized (s.held) {
                text = s.held.toString();
                s.held.setLength(0);
            }
            s.print(text);
            s.flush();
        }
    }
}
