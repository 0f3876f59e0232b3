package dev.featurestore.core.storage.internal;

import dev.featurestore.api.snapshot.SnapshotRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every storage does alike with snapshot audit rows: the row key {@code snapshot_id} and the
 * checks before recording. Not public API.
 */
public final class SnapshotRows {
    private SnapshotRows() {
    }

    /**
     * The key of an audit row: the SHA-256 (hex) of path, file hash, secid and {@code created_at}
     * (epoch ms), each followed by a NUL. The same export recorded twice has the same key, so a
     * storage refuses the second; one file exported again later (after being replaced) gets a new key.
     */
    public static String id(SnapshotRecord r) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        for (String part : new String[] {r.path(), r.sha256(), r.secid(), Long.toString(r.createdAt().toEpochMilli())}) {
            md.update(part.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Checks a batch before it is recorded: no null record and no key twice.
     *
     * @throws IllegalArgumentException naming the repeated record
     */
    public static void checkBatch(List<SnapshotRecord> records) {
        Objects.requireNonNull(records, "records");
        Set<String> ids = new HashSet<>();
        for (SnapshotRecord r : records) {
            Objects.requireNonNull(r, "a snapshot record is null");
            if (!ids.add(id(r))) {
                throw new IllegalArgumentException("snapshot record of secid '" + r.secid() + "' for " + r.path()
                        + " is given twice in one batch");
            }
        }
    }
}
