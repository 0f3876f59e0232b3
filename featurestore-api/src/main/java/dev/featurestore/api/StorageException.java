package dev.featurestore.api;

/** A storage backend failed. Keeps the SQLSTATE when the backend is a SQL database. */
public class StorageException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public StorageException(String message, String sqlState, Throwable cause) {
        super(sqlState == null ? message : message + " (SQLSTATE " + sqlState + ")", cause);
        this.sqlState = sqlState;
    }

    public StorageException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** The SQLSTATE of the underlying database error, or null when there is none. */
    public String sqlState() {
        return sqlState;
    }
}
