/**
 * Feather snapshots: {@link dev.featurestore.arrow.FeatherSnapshotFormat}, the {@code feather}
 * {@link dev.featurestore.api.snapshot.SnapshotFormat} (the Arrow IPC file format, version 2),
 * written and read with Apache Arrow Java without exposing any Arrow type.
 *
 * <p>Arrow reads direct buffers' addresses, so on JDK 17 and later the JVM must run with
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; without it the first use throws a
 * {@link dev.featurestore.api.FeatureStoreException} that names the flag.
 */
package dev.featurestore.arrow;
