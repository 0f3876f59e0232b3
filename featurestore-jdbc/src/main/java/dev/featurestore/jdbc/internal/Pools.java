package dev.featurestore.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.featurestore.api.StorageException;
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
    public static HikariDataSource open(String poolName, String url, String user, String password, int maxSize,
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
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String state = cause instanceof java.sql.SQLException ? ((java.sql.SQLException) cause).getSQLState() : null;
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
