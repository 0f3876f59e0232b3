/**
 * A resumable ingest of candles from a {@link dev.featurestore.api.source.CandleSource} into a
 * storage ({@link dev.featurestore.core.ingest.Ingest}, reached by {@code store.ingest(source)}).
 * Depends on the api, the storage conveniences and the progress listener only, so the store and
 * the pipeline can both use it.
 */
package dev.featurestore.core.ingest;
