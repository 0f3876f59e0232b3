/**
 * Snapshot write benchmarks: Parquet (snappy, zstd) and Feather written by featurestore, and
 * DuckDB copying the same table to Parquet with one thread, for a million rows of twenty features.
 */
package dev.featurestore.bench.snapshot;
