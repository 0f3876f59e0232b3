/**
 * How long work reports its progress: the {@link dev.featurestore.core.progress.Stage}s of a run
 * and the {@link dev.featurestore.core.progress.ProgressListener} that hears them, shared by the
 * ingest and the pipeline. Depends on the JDK (and SLF4J for the logging listener) only.
 */
package dev.featurestore.core.progress;
