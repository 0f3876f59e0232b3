/**
 * Snapshot export independent of the file format: the directory layout
 * ({@link dev.featurestore.core.snapshot.SnapshotLayout}), the atomic, immutable write with its
 * SHA-256 ({@link dev.featurestore.core.snapshot.SnapshotExporter}), the lookup of formats by
 * name ({@link dev.featurestore.core.snapshot.SnapshotFormats}), the audit log of a store's
 * storage ({@link dev.featurestore.core.snapshot.SnapshotLog}, which records rows only once the
 * file is complete) and its finder ({@link dev.featurestore.core.snapshot.Snapshots}, from
 * {@code store.snapshots()}), and the options of {@code FeatureQuery.export}
 * ({@link dev.featurestore.core.snapshot.ExportOptions}). The formats themselves live in
 * {@code featurestore-parquet} and {@code featurestore-arrow}.
 */
package dev.featurestore.core.snapshot;
