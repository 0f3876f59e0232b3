package dev.featurestore.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import dev.featurestore.api.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/** HikariCP pools for the JDBC storages; no pool type leaves the internal packages. Not public API. */
public final class Pools {
    /** HikariCP's default wait for a connection, in milliseconds. */
    public static final int DEFAULT_CONNECTION_TIMEOUT_MS = 30_000;
    /** The shortest wait HikariCP accepts, in milliseconds. */
    public static final int MIN_CONNECTION_TIMEOUT_MS = 250;

    private Pools() {
    }

    /**
     * A started pool.
     *
     * @param driverProperties passed to the JDBC driver with each new connection
     * @param connectionTimeoutMs how long a caller waits for a connection (a free pooled one, or a
     *     new one while the database cannot be reached) before failing
     * @throws StorageException when the first connection cannot be made
     */
    public static Pool open(String poolName, String url, String user, String password, int maxSize,
            Map<String, String> driverProperties, int connectionTimeoutMs, String description) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(poolName);
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(maxSize);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(connectionTimeoutMs);
        Properties props = new Properties();
        props.putAll(driverProperties);
        hc.setDataSourceProperties(props);
        // Fail fast on the first connection ourselves: HikariCP's own check logs each open at INFO.
        hc.setInitializationFailTimeout(-1);
        Properties probe = new Properties();
        probe.putAll(props);
        if (user != null) {
            probe.setProperty("user", user);
        }
        if (password != null) {
            probe.setProperty("password", password);
        }
        try (Connection first = DriverManager.getConnection(url, probe)) {
            if (!first.isValid(5)) {
                throw new SQLException("the first connection is not valid", "08006");
            }
        } catch (SQLException e) {
            throw new StorageException("cannot connect to " + description + ": " + e.getMessage(), e.getSQLState(), e);
        }
        try {
            return new Pool(hc);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String state = cause instanceof SQLException ? ((SQLException) cause).getSQLState() : null;
            throw new StorageException("cannot connect to " + description + ": " + cause.getMessage(), state, e);
        }
    }

    /** An integer option, or the default when absent. */
    public static int intOption(Map<String, String> options, String key, int defaultValue, int min) {
        String v = options.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min) {
                throw new IllegalArgumentException("option " + key + " must be >= " + min + ", got " + v);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " must be a whole number, got '" + v + "'", e);
        }
    }
}
