package dev.featurestore.core.snapshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Snapshots#verify(Path)} found when it compared a snapshot directory with the audit
 * log: every file at a final snapshot path that no audit row names, every path whose rows point to
 * a missing file or to content other than the newest rows record, and temporary files that a
 * killed export left behind. Nothing found means each snapshot on disk is recorded and each
 * recorded snapshot is on disk as recorded.
 *
 * @param dir the snapshot directory scanned, as given
 * @param filesChecked the files at final snapshot paths found under {@code dir}
 * @param pathsChecked the distinct file paths the audit log names (anywhere)
 * @param findings what is wrong, in the order found (files under {@code dir} first)
 */
public record SnapshotVerification(Path dir, int filesChecked, int pathsChecked, List<Finding> findings) {
    /**
     * Checks the fields and copies the findings.
     *
     * @param dir the snapshot directory scanned
     * @param filesChecked the files at final snapshot paths found under {@code dir}
     * @param pathsChecked the distinct file paths the audit log names
     * @param findings what is wrong, in the order found
     * @throws NullPointerException when {@code dir} or {@code findings} is null
     */
    public SnapshotVerification {
        Objects.requireNonNull(dir, "dir");
        findings = List.copyOf(findings);
    }

    /** {@return whether nothing was found: every snapshot on disk recorded, every recorded one on disk as recorded} */
    public boolean clean() {
        return findings.isEmpty();
    }

    /**
     * The findings of one kind.
     *
     * @param kind the kind wanted
     * @return those findings, in the order found; empty when none
     */
    public List<Finding> findings(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** What a finding is about. */
    public enum Kind {
        /** A file at a final snapshot path that no audit row names (an export stopped before recording it). */
        UNRECORDED,
        /** Audit rows whose file does not exist. */
        MISSING,
        /** Audit rows whose file exists with content other than the newest rows of that path record. */
        CHANGED,
        /** A temporary file of an export older than {@link dev.featurestore.core.io.AtomicFiles#STALE_AGE}. */
        TEMPORARY;

        /** {@return the kind as the command line prints it, lower-case, e.g. {@code unrecorded}} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One thing found.
     *
     * @param kind what it is
     * @param file the file concerned (absolute)
     * @param detail hashes, secids and what to do, in words
     */
    public record Finding(Kind kind, Path file, String detail) {
        /**
         * Checks the fields.
         *
         * @param kind what it is
         * @param file the file concerned
         * @param detail hashes, secids and what to do, in words
         * @throws NullPointerException when a field is null
         */
        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return kind.label() + ": " + file + ": " + detail;
        }
    }
}
