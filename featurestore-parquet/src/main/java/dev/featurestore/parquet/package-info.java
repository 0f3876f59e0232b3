/**
 * Parquet snapshots: {@link dev.featurestore.parquet.ParquetSnapshotFormat}, the {@code parquet}
 * {@link dev.featurestore.api.snapshot.SnapshotFormat}, written and read with parquet-hadoop
 * without exposing any Parquet or Hadoop type.
 */
package dev.featurestore.parquet;
