package dev.featurestore.api;

/** A storage backend failed. Keeps the SQLSTATE when the backend is a SQL database. */
public class StorageException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The SQLSTATE of the underlying database error, or null. */
    private final String sqlState;

    /**
     * An exception whose message ends with the SQLSTATE, when there is one.
     *
     * @param message what failed and where
     * @param sqlState the SQLSTATE of the underlying database error, or null
     * @param cause the underlying failure
     */
    public StorageException(String message, String sqlState, Throwable cause) {
        super(sqlState == null ? message : message + " (SQLSTATE " + sqlState + ")", cause);
        this.sqlState = sqlState;
    }

    /**
     * An exception without a SQLSTATE.
     *
     * @param message what failed and where
     * @param cause the underlying failure
     */
    public StorageException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * {@return the SQLSTATE of the underlying database error (five characters, e.g. {@code 23505}),
     * or null when there is none}
     */
    public String sqlState() {
        return sqlState;
    }
}
