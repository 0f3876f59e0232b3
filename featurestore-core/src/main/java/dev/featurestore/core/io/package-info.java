/**
 * File helpers shared by the storages, the snapshot exporter, the quality reports and the command
 * line: {@link dev.featurestore.core.io.AtomicFiles} writes a file whole or not at all.
 */
package dev.featurestore.core.io;
