/**
 * Internals of the JDBC storages, shared by SQLite and PostgreSQL: the one fact layer
 * ({@link dev.featurestore.jdbc.internal.JdbcStorage}) and the SQLite dialect, the row layout of
 * feature values ({@link dev.featurestore.jdbc.internal.RowLayout}), the migration runner, the
 * connection pools. Not public API; may change in any release.
 */
package dev.featurestore.jdbc.internal;
