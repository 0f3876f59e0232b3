package dev.featurestore.jdbc.internal;

import dev.featurestore.api.StorageException;
import java.util.List;

/**
 * The JDBC drivers are optional dependencies of featurestore-jdbc, so that a SQLite user does not
 * get the PostgreSQL driver and the other way round. Opening a URL whose driver (or Flyway
 * support) is not on the class path fails here, naming what to add. Not public API.
 */
public final class Drivers {
    /** What SQLite needs: the xerial driver. */
    public static final List<Needed> SQLITE = List.of(
            new Needed("org.sqlite.JDBC", "org.xerial:sqlite-jdbc"));
    /** What PostgreSQL needs: pgjdbc and Flyway's PostgreSQL support. */
    public static final List<Needed> POSTGRESQL = List.of(
            new Needed("org.postgresql.Driver", "org.postgresql:postgresql"),
            new Needed("org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
                    "org.flywaydb:flyway-database-postgresql"));

    /**
     * A class that must be loadable and the Maven artifact that holds it.
     *
     * @param className the class looked up
     * @param artifact {@code groupId:artifactId} of the dependency to add
     */
    public record Needed(String className, String artifact) {
    }

    private Drivers() {
    }

    /**
     * Checks that every needed class is on the class path of this library.
     *
     * @param what the database, for the message ("SQLite")
     * @param url the URL being opened (no password), for the message
     * @throws StorageException naming every missing artifact, with the versions coming from
     *     {@code dev.featurestore:featurestore-bom}
     */
    public static void require(String what, String url, List<Needed> needed) {
        StringBuilder missing = new StringBuilder();
        for (Needed n : needed) {
            try {
                Class.forName(n.className(), false, Drivers.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                missing.append(missing.length() == 0 ? "" : ", ").append(n.artifact());
            }
        }
        if (missing.length() > 0) {
            throw new StorageException("cannot open " + url + ": " + what + " needs " + missing
                    + " on the class path, which featurestore-jdbc leaves to you (so that users of one database do "
                    + "not get the other's driver); add it as a dependency, its version managed by "
                    + "dev.featurestore:featurestore-bom", null);
        }
    }
}
