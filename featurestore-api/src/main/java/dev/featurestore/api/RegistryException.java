package dev.featurestore.api;

/**
 * The feature-set registry (YAML) is malformed or inconsistent. The message names the file, the
 * line (when known, 1-based), the feature set and the key at fault, and what would be valid.
 */
public final class RegistryException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The registry file (or resource) that was read. */
    private final String file;
    /** The 1-based line of the problem, or 0. */
    private final int line;
    /** The dotted path of the key at fault, or null. */
    private final String key;

    /**
     * An exception whose message starts with {@code file:line: at 'key'}.
     *
     * @param file the registry file (or resource) that was read
     * @param line the 1-based line of the problem, or 0 when it is not tied to a line
     * @param key the dotted path of the key at fault, or null
     * @param message what is wrong and what would be valid
     */
    public RegistryException(String file, int line, String key, String message) {
        super(file + (line > 0 ? ":" + line : "") + (key == null ? "" : ": at '" + key + "'") + ": " + message);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    /**
     * An exception whose message starts with {@code file:line: at 'key'}, caused by {@code cause}.
     *
     * @param file the registry file (or resource) that was read
     * @param line the 1-based line of the problem, or 0 when it is not tied to a line
     * @param key the dotted path of the key at fault, or null
     * @param message what is wrong and what would be valid
     * @param cause the underlying failure, e.g. the YAML parser's
     */
    public RegistryException(String file, int line, String key, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + (key == null ? "" : ": at '" + key + "'") + ": " + message, cause);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    /** {@return the registry file (or resource) that was read} */
    public String file() {
        return file;
    }

    /** {@return the 1-based line of the problem, or 0 when it is not tied to a line} */
    public int line() {
        return line;
    }

    /**
     * {@return the dotted path of the key at fault, e.g. {@code feature_sets.tech_v2.features},
     * or null}
     */
    public String key() {
        return key;
    }
}
