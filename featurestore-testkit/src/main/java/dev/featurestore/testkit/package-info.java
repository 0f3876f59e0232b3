/**
 * Tests every storage implementation runs: extend
 * {@link dev.featurestore.testkit.FeatureStorageContract} and open a store on a fresh database
 * of yours; {@link dev.featurestore.testkit.RandomCandles} makes the seeded series.
 *
 * <pre>{@code
 * class MyStorageContractTest extends FeatureStorageContract {
 *     protected Store openStore(Path dir, Map<String, String> options) {
 *         Store.Builder b = FeatureStore.builder().storage("my:" + dir);
 *         options.forEach(b::option);
 *         return b.build();
 *     }
 * }
 * }</pre>
 *
 * <p>Capability suites a storage extends as well when it has the capability:
 * {@link dev.featurestore.testkit.SnapshotLogContract} (keeps the snapshot audit log),
 * {@link dev.featurestore.testkit.ConcurrentProcessesContract} (written by two processes at once,
 * survives a writer killed part way; the second process is
 * {@link dev.featurestore.testkit.StorageWorker}),
 * {@link dev.featurestore.testkit.DirectoryStorageContract} (kept as files in a directory, as the
 * {@code parquet:} and {@code feather:} storages are) and
 * {@link dev.featurestore.testkit.StreamCheckpointContract} (keeps stream checkpoints: a stream
 * resumed from saved state equals one replayed from all history, over 40 seeded series).
 */
package dev.featurestore.testkit;
