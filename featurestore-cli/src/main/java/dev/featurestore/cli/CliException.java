package dev.featurestore.cli;

/** A failure the command line reports in one line on standard error, with its exit code. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad input: a file, line, column and reason. */
    static CliException input(String file, long line, String column, String reason) {
        return new CliException(Main.BAD_INPUT, file + ": line " + line + (column == null ? "" : ", column '" + column + "'")
                + ": " + reason);
    }

    int exitCode() {
        return exitCode;
    }
}
