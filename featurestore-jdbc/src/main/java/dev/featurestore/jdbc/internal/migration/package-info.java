/**
 * The Java migrations of the fact-layer schema, registered with Flyway by {@code Migrations} (not
 * found by scanning). Not public API.
 */
package dev.featurestore.jdbc.internal.migration;
