/**
 * Snapshot export independent of the file format: the directory layout
 * ({@link dev.featurestore.core.snapshot.SnapshotLayout}), the atomic, immutable write with its
 * SHA-256 ({@link dev.featurestore.core.snapshot.SnapshotExporter}), and the lookup of formats by
 * name ({@link dev.featurestore.core.snapshot.SnapshotFormats}). The formats themselves live in
 * {@code featurestore-parquet} and {@code featurestore-arrow}.
 */
package dev.featurestore.core.snapshot;
