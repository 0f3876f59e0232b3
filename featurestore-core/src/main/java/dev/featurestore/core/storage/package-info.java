/**
 * The store's side of the fact layer: {@link dev.featurestore.core.storage.Candles} (ingest and
 * read candles through {@code store.candles()}) and
 * {@link dev.featurestore.core.storage.InMemoryStorage}, the storage of a store built without a
 * storage URL, for unit tests of training code.
 */
package dev.featurestore.core.storage;
