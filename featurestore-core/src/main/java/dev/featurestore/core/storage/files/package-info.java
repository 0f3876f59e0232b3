/**
 * A storage kept as files in one directory, one file per series, in a columnar format given by a
 * {@link dev.featurestore.core.storage.files.TableCodec} (Parquet in {@code featurestore-parquet},
 * Feather in {@code featurestore-arrow}). {@link dev.featurestore.core.storage.files.FileStorage}
 * holds the format-independent part: the layout, name encoding, atomic replacement of files,
 * locking between threads and processes, candle merging, the build log and the snapshot log.
 */
package dev.featurestore.core.storage.files;
