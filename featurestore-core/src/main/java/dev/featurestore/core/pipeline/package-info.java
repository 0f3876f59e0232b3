/**
 * The one-call {@link dev.featurestore.core.pipeline.Pipeline} that runs ingest
 * ({@link dev.featurestore.core.ingest}), build, export and the data-quality report, reporting its
 * progress to a {@link dev.featurestore.core.progress.ProgressListener}.
 */
package dev.featurestore.core.pipeline;
