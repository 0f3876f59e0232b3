/**
 * Long work over the store: a resumable ingest of candles from a
 * {@link dev.featurestore.api.source.CandleSource} ({@link dev.featurestore.core.pipeline.Ingest},
 * reached by {@code store.ingest(source)}), the one-call {@link dev.featurestore.core.pipeline.Pipeline}
 * that runs ingest, build, export and the data-quality report, and the
 * {@link dev.featurestore.core.pipeline.ProgressListener} they report their progress to.
 */
package dev.featurestore.core.pipeline;
