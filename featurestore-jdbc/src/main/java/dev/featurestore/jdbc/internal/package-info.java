/**
 * Internals of the JDBC storages, shared by SQLite and PostgreSQL: the migration runner, the
 * connection pools, the value-blob layout. Not public API; may change in any release.
 */
package dev.featurestore.jdbc.internal;
