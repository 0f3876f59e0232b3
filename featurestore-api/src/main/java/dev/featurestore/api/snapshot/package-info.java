/**
 * The snapshot SPI: file formats a feature snapshot can be written in ({@link
 * dev.featurestore.api.snapshot.SnapshotFormat}, found with {@link java.util.ServiceLoader}), the
 * metadata every snapshot file carries ({@link dev.featurestore.api.snapshot.SnapshotMetadata})
 * and the audit record of one exported secid ({@link dev.featurestore.api.snapshot.SnapshotRecord}).
 */
package dev.featurestore.api.snapshot;
