package dev.featurestore.jdbc.internal;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway's log, routed through SLF4J with its routine messages (versions, validation, "schema is
 * up to date") at DEBUG, so that opening a store is quiet at INFO; warnings and errors stay what
 * Flyway says they are. {@link Migrations} logs the one INFO line worth having, when a migration
 * ran. Flyway creates this class by name. Not public API.
 */
public final class FlywayLogs implements LogCreator {
    /** Created by Flyway from the {@code loggers} setting. */
    public FlywayLogs() {
    }

    @Override
    public Log createLogger(Class<?> clazz) {
        Logger slf4j = LoggerFactory.getLogger(clazz);
        return new Log() {
            @Override
            public void debug(String message) {
                slf4j.debug(message);
            }

            @Override
            public void info(String message) {
                slf4j.debug(message);
            }

            @Override
            public void warn(String message) {
                slf4j.warn(message);
            }

            @Override
            public void error(String message) {
                slf4j.error(message);
            }

            @Override
            public void error(String message, Exception e) {
                slf4j.error(message, e);
            }

            @Override
            public void notice(String message) {
                slf4j.debug(message);
            }
        };
    }
}
