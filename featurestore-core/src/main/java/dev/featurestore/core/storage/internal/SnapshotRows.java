package dev.featurestore.core.storage.internal;

import dev.featurestore.api.snapshot.SnapshotRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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

    /**
     * The records of a batch not recorded yet: a record is left out when the newest row already
     * recorded for its path and secid has the same file hash and the same replaced hash, which is
     * what two exports of identical content at the same moment produce. A storage calls this
     * inside the lock or transaction that also inserts, so that of such exports only the first
     * adds rows. An overwrite back to earlier content still adds its row: the newest row differs.
     *
     * @param recorded rows already recorded at the batch's paths (others are ignored), in any order
     */
    public static List<SnapshotRecord> notYetRecorded(List<SnapshotRecord> batch, Collection<SnapshotRecord> recorded) {
        Map<String, SnapshotRecord> newest = new HashMap<>();
        for (SnapshotRecord r : recorded) {
            newest.merge(r.path() + '\0' + r.secid(), r, (a, b) -> b.createdAt().isBefore(a.createdAt()) ? a : b);
        }
        List<SnapshotRecord> out = new ArrayList<>(batch.size());
        for (SnapshotRecord r : batch) {
            SnapshotRecord last = newest.get(r.path() + '\0' + r.secid());
            if (last == null || !last.sha256().equals(r.sha256())
                    || !Objects.equals(last.replacedSha256(), r.replacedSha256())) {
                out.add(r);
            }
        }
        return out;
    }
}
