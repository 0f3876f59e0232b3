/**
 * JMH benchmarks of the fact layer: feature values written per second (SQLite batches,
 * PostgreSQL {@code COPY} and plain JDBC batches) and the latency of one as-of window fetch from a
 * database holding a million rows of features. PostgreSQL runs as a real embedded server started
 * by the benchmark, with {@code fsync} and {@code synchronous_commit} on.
 */
package dev.featurestore.bench.storage;
