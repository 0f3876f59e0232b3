package dev.featurestore.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.ForwardingFeatureStorage;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.storage.InMemoryStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit-log finder of a store over the in-memory storage, with files written here (core has
 * no snapshot format on its class path; export is tested where one is, by the testkit's
 * SnapshotLogContract).
 */
@DisplayName("Snapshot finder (store.snapshots()) and export preconditions")
class SnapshotsTest {
    private static final Timeframe M5 = Timeframe.parse("5m");

    @TempDir
    Path dir;

    private static SnapshotRecord record(String secid, Path file, String sha, long createdAt) {
        return new SnapshotRecord(secid, M5, "tech_v2", 3, file.toString(), "parquet", sha, 0, 600_000, 0,
                Instant.ofEpochMilli(createdAt), "0.1.0");
    }

    @Test
    @DisplayName("Rows recorded in the storage are found by every key, oldest first, and verified against their file")
    void findAndVerify() throws Exception {
        Path file = dir.resolve("tech_v2").resolve("5m").resolve("20260302.parquet");
        Files.createDirectories(file.getParent());
        Files.write(file, "snapshot bytes".getBytes(StandardCharsets.UTF_8));
        String sha = SnapshotFiles.sha256(file);
        try (Store store = FeatureStore.builder().build()) {
            SnapshotRecord gazp = record("GAZP", file, sha, 2000);
            SnapshotRecord sber = record("SBER", file, sha, 2000);
            SnapshotRecord older = record("SBER", file, "0".repeat(64), 1000);
            store.storage().recordSnapshots(List.of(gazp, sber));
            store.storage().recordSnapshots(List.of(older));
            Snapshots s = store.snapshots();
            assertThat(s.all()).containsExactly(older, gazp, sber);
            assertThat(s.find("tech_v2", M5, "SBER")).containsExactly(older, sber);
            assertThat(s.find("tech_v2", Timeframe.parse("1h"))).isEmpty();
            assertThat(s.onDate(LocalDate.of(2026, 3, 2))).hasSize(3);
            assertThat(s.bySha256(sha)).containsExactly(gazp, sber);
            assertThat(s.latest(SnapshotQuery.all().secid("SBER"))).contains(sber);
            s.verify(sber);
            assertThatThrownBy(() -> s.verify(older)).isInstanceOf(SnapshotIntegrityException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(sha);
            assertThatThrownBy(() -> s.read(sber)).as("no format on core's class path")
                    .isInstanceOf(FeatureStoreException.class).hasMessageContaining("featurestore-parquet");
            Files.write(file, "changed".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> s.read(sber)).isInstanceOf(SnapshotIntegrityException.class);
            Files.delete(file);
            assertThatThrownBy(() -> s.frame(sber)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("missing");
            assertThatThrownBy(() -> store.storage().recordSnapshots(List.of(record("LKOH", file, sha, 3000), sber)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("already recorded");
            assertThat(s.all()).as("a refused batch records nothing").hasSize(3);
        }
    }

    @Test
    @DisplayName("Export checks timeframe, secids, the snapshot log and the format before writing anything")
    void exportPreconditions() {
        try (Store store = FeatureStore.builder().build()) {
            assertThatThrownBy(() -> store.forSet("tech_v2").secid("SBER").export("parquet", dir))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("timeframe");
            assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secid("SBER").export("parquet", dir))
                    .isInstanceOf(FeatureStoreException.class).hasMessageContaining("no snapshot format 'parquet'")
                    .hasMessageContaining("featurestore-parquet");
        }
        try (Store store = FeatureStore.builder().storage(new NoLog(new InMemoryStorage())).build()) {
            assertThatThrownBy(() -> store.forSet("tech_v2").timeframe(M5).secid("SBER").export("parquet", dir))
                    .isInstanceOf(FeatureStoreException.class).hasMessageContaining("keeps no snapshot audit log");
            assertThatThrownBy(store::snapshots).isInstanceOf(FeatureStoreException.class)
                    .hasMessageContaining("keeps no snapshot audit log");
        }
        assertThat(dir.toFile().list()).isEmpty();
    }

    /** A storage that keeps no snapshot log: every method but the log's delegates. */
    private static final class NoLog extends ForwardingFeatureStorage {
        NoLog(FeatureStorage d) {
            super(d);
        }

        @Override
        public boolean keepsSnapshotLog() {
            return false;
        }

        @Override
        public void recordSnapshots(List<SnapshotRecord> records) {
            throw new UnsupportedOperationException("NoLog keeps no snapshot audit log");
        }

        @Override
        public List<SnapshotRecord> snapshots(SnapshotQuery query) {
            throw new UnsupportedOperationException("NoLog keeps no snapshot audit log");
        }
    }
}
