package dev.featurestore.jdbc.internal;

import dev.featurestore.api.StorageException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the fact-layer schema with Flyway, from the one migration history under
 * {@code db/migration} shared by SQLite and PostgreSQL. The few differences between the two
 * databases are Flyway placeholders ({@code ${blob}}, {@code ${without_rowid}}) whose values
 * this class sets per vendor. A database whose schema is newer than this library knows is
 * refused. Not public API.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Where the migrations live on the class path. */
    public static final String LOCATION = "classpath:db/migration";

    /** The databases the history supports. */
    public enum Vendor {
        /** SQLite: BLOB, tables keyed by their primary key (WITHOUT ROWID). */
        SQLITE(Map.of("blob", "BLOB", "without_rowid", " WITHOUT ROWID")),
        /** PostgreSQL: BYTEA, ordinary heap tables. */
        POSTGRESQL(Map.of("blob", "BYTEA", "without_rowid", ""));

        private final Map<String, String> placeholders;

        Vendor(Map<String, String> placeholders) {
            this.placeholders = placeholders;
        }

        /** The placeholder values of this vendor. */
        public Map<String, String> placeholders() {
            return placeholders;
        }
    }

    private Migrations() {
    }

    /**
     * Brings the schema of {@code dataSource} to the newest version this library knows.
     *
     * @param description names the database in messages (no password)
     * @return the schema version now in effect
     * @throws StorageException when the schema is newer than the library's, or a migration fails
     */
    public static String migrate(DataSource dataSource, Vendor vendor, String description) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .placeholders(vendor.placeholders())
                .failOnMissingLocations(true)
                .loggers(FlywayLogs.class.getName())
                .load();
        FlywayException last = null;
        // Two processes opening a new database at once may race to create the schema: the loser
        // retries and then finds it in place.
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                refuseNewerSchema(flyway, description);
                MigrateResult result = flyway.migrate();
                if (result.migrationsExecuted > 0) {
                    LOG.info("featurestore schema of {} migrated from version {} to {} ({} migration(s))", description,
                            result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                            result.targetSchemaVersion, result.migrationsExecuted);
                }
                MigrationInfo current = flyway.info().current();
                return current == null ? "none" : current.getVersion().getVersion();
            } catch (FlywayException e) {
                last = e;
                try {
                    Thread.sleep(100L * (attempt + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new StorageException("cannot create or migrate the featurestore schema of " + description + ": "
                + (last == null ? "interrupted" : last.getMessage()), last);
    }

    private static void refuseNewerSchema(Flyway flyway, String description) {
        MigrationVersion known = MigrationVersion.EMPTY;
        MigrationVersion newest = null;
        for (MigrationInfo info : flyway.info().all()) {
            MigrationState state = info.getState();
            if (info.getVersion() == null) {
                continue;
            }
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                if (newest == null || info.getVersion().isNewerThan(newest.getVersion())) {
                    newest = info.getVersion();
                }
            } else if (info.getVersion().isNewerThan(known.getVersion())) {
                known = info.getVersion();
            }
        }
        if (newest != null) {
            throw new StorageException(String.format(Locale.ROOT,
                    "the featurestore schema of %s is at version %s, newer than this library knows (%s); "
                            + "open it with a newer featurestore release", description, newest.getVersion(),
                    known.getVersion()), null);
        }
    }
}
