/**
 * Tests every storage implementation runs: extend
 * {@link dev.featurestore.testkit.FeatureStorageContract} and open a store on a fresh database
 * of yours; {@link dev.featurestore.testkit.RandomCandles} makes the seeded series.
 *
 * <pre>{@code
 * class MyStorageContractTest extends FeatureStorageContract {
 *     protected Store openStore(Path dir) {
 *         return FeatureStore.builder().storage(myStorage(dir)).build();
 *     }
 * }
 * }</pre>
 */
package dev.featurestore.testkit;
