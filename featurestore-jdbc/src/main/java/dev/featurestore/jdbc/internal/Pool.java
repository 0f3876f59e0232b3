package dev.featurestore.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A HikariCP pool as the {@link DataSource} the storages and Flyway use. It holds HikariCP's
 * {@link HikariPool} itself rather than a {@code HikariDataSource}, whose start and shutdown
 * print four INFO lines on every store open and close; the pool, its validation and its recovery
 * are HikariCP's, unchanged. Made by {@link Pools#open}. Not public API.
 */
public final class Pool implements DataSource, AutoCloseable {
    private final HikariPool pool;
    private final HikariConfig config;

    Pool(HikariConfig config) {
        this.config = config;
        this.pool = new HikariPool(config);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    /** Not supported: the pool's connections all have the user of the store. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's connections have the store's user");
    }

    /** Closes a connection that failed instead of returning it to the pool. */
    public void evictConnection(Connection connection) {
        pool.evictConnection(connection);
    }

    /** Connections idle in the pool now. */
    public int idleConnections() {
        return pool.getIdleConnections();
    }

    /** Threads waiting for a connection now. */
    public int threadsAwaitingConnection() {
        return pool.getThreadsAwaitingConnection();
    }

    /** Closes the idle connections and retires the ones in use when they are returned. */
    public void softEvictConnections() {
        pool.softEvictConnections();
    }

    /** Closes every connection and stops the pool's threads. */
    @Override
    public void close() {
        try {
            pool.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool logs through SLF4J");
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's timeouts are set when it is made");
    }

    @Override
    public int getLoginTimeout() {
        return (int) (config.getConnectionTimeout() / 1000);
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the pool logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "Pool[" + config.getPoolName() + "]";
    }
}
