package dev.featurestore.jdbc.postgres;

import dev.featurestore.api.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Creates or upgrades the schema with Flyway from the shared history in {@code db/migration},
 * with PostgreSQL's values of its placeholders, and refuses a database whose schema is newer
 * than this library knows.
 */
final class PostgresMigrations {
    /** The values of the shared history's vendor placeholders on PostgreSQL. */
    static final Map<String, String> PLACEHOLDERS = Map.of("blob", "BYTEA", "without_rowid", "");

    private PostgresMigrations() {
    }

    static void migrate(DataSource dataSource, String description) {
        Flyway flyway = Flyway.configure(PostgresMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(PLACEHOLDERS)
                .failOnMissingLocations(true)
                .load();
        try {
            refuseNewerSchema(flyway, description);
            flyway.migrate();
        } catch (FlywayException e) {
            throw new StorageException("cannot migrate the schema of " + description + ": " + e.getMessage(), e);
        }
    }

    private static void refuseNewerSchema(Flyway flyway, String description) {
        List<String> future = new ArrayList<>();
        String known = "none";
        for (MigrationInfo m : flyway.info().all()) {
            MigrationState s = m.getState();
            if (s == MigrationState.FUTURE_SUCCESS || s == MigrationState.FUTURE_FAILED) {
                future.add(m.getVersion() + " (" + m.getDescription() + ")");
            } else if (m.getVersion() != null && s.isResolved()) {
                known = m.getVersion().toString();
            }
        }
        if (!future.isEmpty()) {
            throw new StorageException(description + " has a schema newer than this library knows: it has migration(s) "
                    + future + " but this library knows versions up to " + known
                    + "; open it with a newer featurestore release", null);
        }
    }
}
