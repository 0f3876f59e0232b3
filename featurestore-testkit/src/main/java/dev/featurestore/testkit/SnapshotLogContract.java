package dev.featurestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotConflictException;
import dev.featurestore.api.snapshot.SnapshotIntegrityException;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.snapshot.UnsafeSnapshotPathException;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.ForwardingFeatureStorage;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotFormats;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.snapshot.SnapshotLog;
import dev.featurestore.core.snapshot.SnapshotVerification;
import dev.featurestore.core.snapshot.Snapshots;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of the snapshot audit log ({@code train_data_snapshots}) every storage keeps, seen
 * through the public API: {@code StoredQuery.export(...)} writes a snapshot and records
 * one row per secid; {@code store.snapshots()} finds them by feature set, timeframe, secid, date
 * and hash; an identical export returns the rows already recorded; different content is refused
 * unless overwrite is asked for, which the new rows record; reading back verifies the hash; a
 * failure to record leaves a complete file and no row; hostile names are data, never SQL or a path.
 *
 * <p>Extend it and implement {@link #openStore(Path)}; JUnit runs every test against your storage.
 * Random series are seeded; the seed is in each test's display name. The snapshots are written in
 * {@link #format()}, Parquet unless overridden, so the test's class path needs that format
 * ({@code featurestore-parquet}, or {@code featurestore-arrow} for Feather).
 */
public abstract class SnapshotLogContract {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final Timeframe H1 = Timeframe.parse("1h");

    /** A fresh temporary directory for each test, for a subclass to open its storage in. */
    @TempDir
    protected Path dir;

    /** The store under test, opened before each test on a fresh database. */
    protected Store store;

    private Path out;

    /**
     * A store on a fresh, empty database of the implementation under test, with files (if any)
     * under {@code dir}. Called once before each test; the contract closes it.
     *
     * @param dir the directory for the store's files, inside the test's temporary directory
     * @return the store under test
     * @throws Exception when the store cannot be opened; the test fails with it
     */
    protected abstract Store openStore(Path dir) throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore(dir.resolve("db"));
        out = dir.resolve("snapshots");
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** {@return the snapshot format the contract exports in; {@code parquet} unless overridden} */
    protected String format() {
        return "parquet";
    }

    /** {@return the seeds of the property tests, fixed so every run tests the same series} */
    protected static Stream<Long> seeds() {
        return Stream.of(1L, 42L, 20240102L);
    }

    /** Ingests random 5-minute candles of the secids and builds tech_v1 over them. */
    private List<CandleSeries> ingestAndBuild(long seed, int candles, String... secids) {
        List<CandleSeries> series = new ArrayList<>();
        for (int i = 0; i < secids.length; i++) {
            CandleSeries s = RandomCandles.series(secids[i], M5, candles, seed + i);
            store.candles().upsert(s);
            series.add(s);
        }
        store.forSet("tech_v1").timeframe(M5).secids(secids).build();
        return series;
    }

    private StoredQuery v1(String... secids) {
        return store.forSet("tech_v1").timeframe(M5).secids(secids);
    }

    // ---------------------------------------------------------------- record

    @Test
    @DisplayName("An export keeps the set's fingerprint in the file's metadata and in its audit rows, and rows keep the fingerprint given (or none)")
    void exportKeepsFingerprint() {
        ingestAndBuild(5, 200, "SBER", "GAZP");
        String fingerprint = store.registry().fingerprint("tech_v1");
        List<SnapshotRecord> records = v1("SBER", "GAZP").export(format(), out);
        assertThat(records).extracting(SnapshotRecord::fingerprint).containsOnly(fingerprint);
        assertThat(store.snapshots().all()).extracting(SnapshotRecord::fingerprint).containsOnly(fingerprint);
        assertThat(SnapshotFormats.byName(format()).readMetadata(Path.of(records.get(0).path())).fingerprint())
                .isEqualTo(fingerprint);

        SnapshotRecord r = records.get(0);
        String other = "0123456789abcdef".repeat(4);
        SnapshotRecord withOther = new SnapshotRecord(r.secid(), r.timeframe(), r.featureSet(), r.rowsCount(),
                "elsewhere/tech_v1/5m/20240101." + format(), r.format(), r.sha256(), r.minTs(), r.maxTs(),
                r.historyStartTs(), r.createdAt().plusMillis(1), r.libraryVersion(), null, other);
        SnapshotRecord withNone = withOther.withFingerprint(null);
        store.storage().recordSnapshots(List.of(withOther));
        store.storage().recordSnapshots(List.of(new SnapshotRecord(withNone.secid(), withNone.timeframe(),
                withNone.featureSet(), withNone.rowsCount(), withNone.path(), withNone.format(), "c".repeat(64),
                withNone.minTs(), withNone.maxTs(), withNone.historyStartTs(), withNone.createdAt().plusMillis(1),
                withNone.libraryVersion(), null, null)));
        List<SnapshotRecord> elsewhere = store.snapshots().find(SnapshotQuery.all().date(LocalDate.of(2024, 1, 1)));
        assertThat(elsewhere).extracting(SnapshotRecord::fingerprint).containsExactly(other, null);
        assertThat(elsewhere.get(0)).isEqualTo(withOther);
    }

    @Test
    @DisplayName("A dataset export records per split and secid the split's range, labels, normalization and dataset "
            + "fingerprint; the storage gives them back as written and the normalization loads by id")
    void datasetExportRecordsSplits() {
        ingestAndBuild(9, 400, "SBER", "GAZP");
        long[] ts = v1("SBER").frame().timestamps();
        java.time.Instant a = java.time.Instant.ofEpochMilli(ts[0]);
        java.time.Instant b = java.time.Instant.ofEpochMilli(ts[ts.length / 2]);
        java.time.Instant c = java.time.Instant.ofEpochMilli(ts[ts.length - 1] + 1);
        dev.featurestore.core.DatasetQuery q = v1("SBER", "GAZP").window(20).labels("fwd_ret_12")
                .split(dev.featurestore.core.dataset.Split.train(a, b), dev.featurestore.core.dataset.Split.test(b, c))
                .normalize(dev.featurestore.core.dataset.Normalization.zScore().perSecid());
        dev.featurestore.core.dataset.Dataset ds = q.dataset();
        List<SnapshotRecord> records = q.export(format(), out);
        assertThat(records).hasSize(4);
        assertThat(store.snapshots().ofDataset(ds.fingerprint())).containsExactlyInAnyOrderElementsOf(records);
        assertThat(records).extracting(r -> r.dataset().split()).containsExactly("train", "train", "test", "test");
        for (SnapshotRecord r : records) {
            dev.featurestore.api.snapshot.DatasetInfo info = r.dataset();
            assertThat(info.datasetFingerprint()).isEqualTo(ds.fingerprint());
            assertThat(info.labels()).isEqualTo("fwd_ret_12 = forward_return(h=12)");
            assertThat(info.normalizationId()).isEqualTo(ds.normalization().orElseThrow().id());
            assertThat(info.splitFromTs()).isEqualTo(ds.split(info.split()).split().fromMs());
            assertThat(info.splitToTs()).isEqualTo(ds.split(info.split()).split().toMs());
            assertThat(r.path()).endsWith("." + info.split() + "." + format());
            assertThat(r.fingerprint()).isEqualTo(store.registry().fingerprint("tech_v1"));
        }
        assertThat(store.snapshots().normalization(ds.normalization().get().id())).contains(ds.normalization().get());
        assertThat(store.snapshots().normalization("norm_0000000000000000")).isEmpty();
        // the same dataset exported again records nothing new
        assertThat(q.export(format(), out)).containsExactlyInAnyOrderElementsOf(records);
        assertThat(store.snapshots().all()).hasSize(4);
        assertThat(store.snapshots().verify(out).findings()).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("An export writes one file and records one row per secid with counts, range, hash and history start")
    void exportRecordsOneRowPerSecid(long seed) {
        List<CandleSeries> series = ingestAndBuild(seed, 300, "SBER", "GAZP");
        Instant from = Instant.ofEpochMilli(series.get(0).ts(100));
        Instant to = Instant.ofEpochMilli(series.get(0).ts(250));

        List<SnapshotRecord> records = v1("SBER", "GAZP").between(from, to).export(format(), out);

        assertThat(records).as("seed %d", seed).extracting(SnapshotRecord::secid).containsExactly("GAZP", "SBER");
        Path file = Path.of(records.get(0).path());
        assertThat(file).isRegularFile();
        assertThat(file.getFileName().toString()).endsWith("." + format());
        assertThat(file.getParent()).isEqualTo(out.resolve("tech_v1").resolve("5m"));
        assertThat(records).extracting(SnapshotRecord::sha256).containsOnly(SnapshotFiles.sha256(file));
        for (int i = 0; i < records.size(); i++) {
            SnapshotRecord r = records.get(i);
            CandleSeries source = r.secid().equals("SBER") ? series.get(0) : series.get(1);
            FeatureFrame stored = store.forSet("tech_v1").timeframe(M5).secid(r.secid()).between(from, to).frame();
            assertThat(r.rowsCount()).as("rows of %s, seed %d", r.secid(), seed).isEqualTo(stored.size());
            assertThat(r.minTs()).isEqualTo(stored.ts(0)).isGreaterThanOrEqualTo(from.toEpochMilli());
            assertThat(r.maxTs()).isEqualTo(stored.ts(stored.size() - 1)).isLessThanOrEqualTo(to.toEpochMilli());
            assertThat(r.historyStartTs()).isEqualTo(source.ts(0));
            assertThat(r.featureSet()).isEqualTo("tech_v1");
            assertThat(r.timeframe()).isEqualTo(M5);
            assertThat(r.format()).isEqualTo(format());
            assertThat(r.replaced()).isFalse();
        }
        long lastAvailable = Math.max(records.get(0).maxTs(), records.get(1).maxTs()) + M5.millis();
        assertThat(SnapshotQuery.fileDate(records.get(0).path()))
                .isEqualTo(LocalDate.ofInstant(Instant.ofEpochMilli(lastAvailable), ZoneOffset.UTC));

        assertThat(store.snapshots().all()).as("the audit log holds exactly the returned rows")
                .containsExactlyInAnyOrderElementsOf(records);
        List<FeatureFrame> back = store.snapshots().read(records.get(1));
        assertThat(back).extracting(FeatureFrame::secid).containsExactly("GAZP", "SBER");
        for (FeatureFrame f : back) {
            assertSameValues(f, store.forSet("tech_v1").timeframe(M5).secid(f.secid()).between(from, to).frame());
        }
        assertSameValues(store.snapshots().frame(records.get(1)),
                store.forSet("tech_v1").timeframe(M5).secid("SBER").between(from, to).frame());
    }

    @Test
    @DisplayName("Records are found by feature set, timeframe, secid, date and hash, each criterion alone and combined")
    void findByEachKey() {
        CandleSeries sber = RandomCandles.series("SBER", M5, 400, 7);
        CandleSeries gazp = RandomCandles.series("GAZP", M5, 400, 8);
        store.candles().upsert(sber);
        store.candles().upsert(gazp);
        store.forSet("tech_v1").timeframe(M5).secids("SBER", "GAZP").build();
        store.forSet("tech_v2").timeframe(M5).secids("SBER").build();
        LocalDate d1 = LocalDate.of(2030, 1, 1);
        LocalDate d2 = LocalDate.of(2030, 1, 2);
        List<SnapshotRecord> a = v1("SBER", "GAZP").export(format(), out, ExportOptions.defaults().date(d1));
        List<SnapshotRecord> b = v1("SBER").export(format(), out, ExportOptions.defaults().date(d2));
        List<SnapshotRecord> c = store.forSet("tech_v2").timeframe(M5).secid("SBER").export(format(), out,
                ExportOptions.defaults().date(d1));
        Snapshots snapshots = store.snapshots();

        assertThat(snapshots.all()).hasSize(4);
        assertThat(snapshots.find(SnapshotQuery.all().featureSet("tech_v1"))).containsExactlyInAnyOrderElementsOf(
                concat(a, b));
        assertThat(snapshots.find(SnapshotQuery.all().featureSet("tech_v2"))).containsExactlyElementsOf(c);
        assertThat(snapshots.find(SnapshotQuery.all().timeframe(M5))).hasSize(4);
        assertThat(snapshots.find(SnapshotQuery.all().timeframe(H1))).isEmpty();
        assertThat(snapshots.find(SnapshotQuery.all().secid("GAZP"))).containsExactly(a.get(0));
        assertThat(snapshots.find("tech_v1", M5, "SBER")).containsExactly(a.get(1), b.get(0));
        assertThat(snapshots.onDate(d1)).containsExactlyInAnyOrderElementsOf(concat(a, c));
        assertThat(snapshots.onDate(d2)).containsExactlyElementsOf(b);
        assertThat(snapshots.onDate(LocalDate.of(2030, 1, 3))).isEmpty();
        assertThat(snapshots.bySha256(b.get(0).sha256())).containsExactlyElementsOf(b);
        assertThat(snapshots.bySha256(a.get(0).sha256())).containsExactlyInAnyOrderElementsOf(a);
        assertThat(snapshots.bySha256("0".repeat(64))).isEmpty();
        assertThat(snapshots.find(SnapshotQuery.all().featureSet("tech_v1").date(d1).secid("SBER")))
                .containsExactly(a.get(1));
        assertThat(snapshots.latest(SnapshotQuery.all().featureSet("tech_v1").secid("SBER"))).contains(b.get(0));
        assertThat(snapshots.latest(SnapshotQuery.all().featureSet("nope"))).isEmpty();
        assertThat(snapshots.all()).as("oldest first").isSortedAccordingTo(
                (x, y) -> x.createdAt().compareTo(y.createdAt()));
    }

    // ---------------------------------------------------------------- immutability

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Exporting identical content again returns the recorded rows and adds none")
    void identicalExportReturnsExistingRecord(long seed) throws IOException {
        ingestAndBuild(seed, 200, "SBER", "GAZP");
        List<SnapshotRecord> first = v1("SBER", "GAZP").export(format(), out);
        Path file = Path.of(first.get(0).path());
        var modified = Files.getLastModifiedTime(file);
        List<SnapshotRecord> again = v1("SBER", "GAZP").export(format(), out);
        List<SnapshotRecord> overwriteSame = v1("SBER", "GAZP").export(format(), out,
                ExportOptions.defaults().overwrite(true));
        assertThat(again).as("seed %d", seed).isEqualTo(first);
        assertThat(overwriteSame).as("overwrite with identical content changes nothing").isEqualTo(first);
        assertThat(store.snapshots().all()).hasSize(2);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Eight threads exporting identical content to the same directory at once record one row per secid, and all get those rows")
    void concurrentIdenticalExportsRecordOnce(long seed) throws Exception {
        ingestAndBuild(seed, 200, "SBER", "GAZP");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier barrier = new CyclicBarrier(threads);
            List<Future<List<SnapshotRecord>>> exports = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                exports.add(pool.submit(() -> {
                    barrier.await();
                    return v1("SBER", "GAZP").export(format(), out);
                }));
            }
            List<SnapshotRecord> first = exports.get(0).get(2, TimeUnit.MINUTES);
            for (Future<List<SnapshotRecord>> export : exports) {
                assertThat(export.get(2, TimeUnit.MINUTES)).as("seed %d", seed)
                        .isEqualTo(first);
            }
            assertThat(store.snapshots().all()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(first)
                    .extracting(SnapshotRecord::secid).containsExactlyInAnyOrder("SBER", "GAZP");
            store.snapshots().verify(first.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("The storage adds no rows for a batch whose path, hash, secid and replaced hash match the newest rows recorded (another process's export of the same content)")
    void storageRecordsIdenticalContentOnce() {
        ingestAndBuild(11, 200, "SBER", "GAZP");
        List<SnapshotRecord> first = v1("SBER", "GAZP").export(format(), out);
        List<SnapshotRecord> sameContentLater = new ArrayList<>();
        for (SnapshotRecord r : first) {
            sameContentLater.add(new SnapshotRecord(r.secid(), r.timeframe(), r.featureSet(), r.rowsCount(), r.path(),
                    r.format(), r.sha256(), r.minTs(), r.maxTs(), r.historyStartTs(), r.createdAt().plusMillis(5),
                    r.libraryVersion(), r.replacedSha256(), r.fingerprint()));
        }
        store.storage().recordSnapshots(sameContentLater);
        assertThat(store.snapshots().all()).containsExactlyInAnyOrderElementsOf(first);

        // Another hash at the path, then the first hash again as an overwrite: both are new rows.
        List<SnapshotRecord> other = new ArrayList<>();
        List<SnapshotRecord> back = new ArrayList<>();
        for (SnapshotRecord r : first) {
            other.add(new SnapshotRecord(r.secid(), r.timeframe(), r.featureSet(), r.rowsCount(), r.path(), r.format(),
                    "ab".repeat(32), r.minTs(), r.maxTs(), r.historyStartTs(), r.createdAt().plusMillis(10),
                    r.libraryVersion(), r.sha256(), r.fingerprint()));
            back.add(new SnapshotRecord(r.secid(), r.timeframe(), r.featureSet(), r.rowsCount(), r.path(), r.format(),
                    r.sha256(), r.minTs(), r.maxTs(), r.historyStartTs(), r.createdAt().plusMillis(20),
                    r.libraryVersion(), "ab".repeat(32), r.fingerprint()));
        }
        store.storage().recordSnapshots(other);
        store.storage().recordSnapshots(back);
        assertThat(store.snapshots().all()).containsExactlyInAnyOrderElementsOf(concat(concat(first, other), back));
    }

    @Test
    @DisplayName("Different content to an existing snapshot path is refused; the file and the log stay as they were")
    void differentContentIsRefused() {
        List<CandleSeries> series = ingestAndBuild(3, 300, "SBER");
        LocalDate day = LocalDate.of(2030, 5, 5);
        List<SnapshotRecord> first = v1("SBER").between(Instant.ofEpochMilli(series.get(0).ts(0)),
                Instant.ofEpochMilli(series.get(0).ts(200))).export(format(), out, ExportOptions.defaults().date(day));
        Throwable t = catchThrowable(() -> v1("SBER").export(format(), out, ExportOptions.defaults().date(day)));
        assertThat(t).isInstanceOf(SnapshotConflictException.class).hasMessageContaining(first.get(0).path())
                .hasMessageContaining(first.get(0).sha256()).hasMessageContaining("overwrite");
        assertThat(SnapshotFiles.sha256(Path.of(first.get(0).path()))).isEqualTo(first.get(0).sha256());
        assertThat(store.snapshots().all()).containsExactlyElementsOf(first);
        store.snapshots().verify(first.get(0));
    }

    @Test
    @DisplayName("An overwrite asked for is recorded with the replaced file's hash; old rows stay and no longer verify")
    void overwriteIsRecorded() {
        List<CandleSeries> series = ingestAndBuild(4, 300, "SBER", "GAZP");
        LocalDate day = LocalDate.of(2030, 6, 6);
        ExportOptions at = ExportOptions.defaults().date(day);
        Instant mid = Instant.ofEpochMilli(series.get(0).ts(200));
        Instant start = Instant.ofEpochMilli(series.get(0).ts(0));
        List<SnapshotRecord> a = v1("SBER", "GAZP").between(start, mid).export(format(), out, at);
        List<SnapshotRecord> b = v1("SBER", "GAZP").export(format(), out, at.overwrite(true));

        assertThat(b).extracting(SnapshotRecord::path).containsOnly(a.get(0).path());
        assertThat(b.get(0).sha256()).isNotEqualTo(a.get(0).sha256());
        assertThat(b).extracting(SnapshotRecord::replacedSha256).containsOnly(a.get(0).sha256());
        assertThat(b).allMatch(SnapshotRecord::replaced);
        assertThat(b.get(1).rowsCount()).isGreaterThan(a.get(1).rowsCount());
        assertThat(store.snapshots().all()).containsExactlyInAnyOrderElementsOf(concat(a, b));
        store.snapshots().verify(b.get(0));
        assertThatThrownBy(() -> store.snapshots().read(a.get(0))).isInstanceOf(SnapshotIntegrityException.class)
                .hasMessageContaining(a.get(0).sha256()).hasMessageContaining(b.get(0).sha256());

        // Going back to the first content is a new overwrite, recorded as such, not the old rows.
        List<SnapshotRecord> back = v1("SBER", "GAZP").between(start, mid).export(format(), out, at.overwrite(true));
        assertThat(back).extracting(SnapshotRecord::sha256).containsOnly(a.get(0).sha256());
        assertThat(back).extracting(SnapshotRecord::replacedSha256).containsOnly(b.get(0).sha256());
        assertThat(store.snapshots().all()).hasSize(6);
        assertThat(store.snapshots().bySha256(a.get(0).sha256())).hasSize(4);
        assertThat(store.snapshots().latest(SnapshotQuery.all().secid("SBER"))).contains(back.get(1));
    }

    // ---------------------------------------------------------------- verification

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Reading back detects a modified file by its hash, and a missing file by name")
    void hashVerificationDetectsModifiedFile(long seed) throws IOException {
        ingestAndBuild(seed, 200, "SBER");
        SnapshotRecord r = v1("SBER").export(format(), out).get(0);
        Path file = Path.of(r.path());
        long size = Files.size(file);
        long at = Math.floorMod(seed * 7919, size);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x01);
        }
        assertThatThrownBy(() -> store.snapshots().read(r)).as("byte %d of %d flipped, seed %d", at, size, seed)
                .isInstanceOf(SnapshotIntegrityException.class).hasMessageContaining(r.path())
                .hasMessageContaining(r.sha256());
        assertThatThrownBy(() -> store.snapshots().frame(r)).isInstanceOf(SnapshotIntegrityException.class);
        assertThatThrownBy(() -> store.snapshots().verify(r)).isInstanceOf(SnapshotIntegrityException.class);
        Files.delete(file);
        assertThatThrownBy(() -> store.snapshots().read(r)).isInstanceOf(StorageException.class)
                .hasMessageContaining(r.path()).hasMessageContaining("missing");
    }

    // ---------------------------------------------------------------- failures

    @Test
    @DisplayName("When the rows cannot be recorded the complete file stays without a row; the next identical export records it")
    void recordingFailureLeavesFileWithoutRow() {
        ingestAndBuild(5, 200, "SBER", "GAZP");
        Store failing = FeatureStore.builder().registry(store.registry())
                .storage(new FailingToRecord(store.storage())).build();
        // not closed: it shares the storage of `store`, which the contract closes
        Throwable t = catchThrowable(() -> failing.forSet("tech_v1").timeframe(M5).secids("SBER", "GAZP")
                .export(format(), out));
        assertThat(t).isInstanceOf(StorageException.class).hasMessageContaining("written completely")
                .hasMessageContaining("could not be recorded").hasMessageContaining("injected");
        assertThat(store.snapshots().all()).isEmpty();
        List<SnapshotRecord> recorded = v1("SBER", "GAZP").export(format(), out);
        assertThat(recorded).hasSize(2);
        assertThat(store.snapshots().all()).containsExactlyInAnyOrderElementsOf(recorded);
        store.snapshots().verify(recorded.get(0));
        try (Stream<Path> files = Files.list(Path.of(recorded.get(0).path()).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file is left")
                    .containsExactly(Path.of(recorded.get(0).path()).getFileName().toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("verify lists a file no audit row names, rows whose file is changed or missing, and stale temporary files; an export that records the file clears it")
    void verifyFindsWhatTheLogDoesNotKnow() throws IOException {
        ingestAndBuild(7, 200, "SBER", "GAZP");
        Snapshots snapshots = store.snapshots();
        assertThat(snapshots.verify(out).clean()).as("nothing exported yet").isTrue();
        Store failing = FeatureStore.builder().registry(store.registry())
                .storage(new FailingToRecord(store.storage())).build();
        // not closed: it shares the storage of `store`, which the contract closes
        assertThatThrownBy(() -> failing.forSet("tech_v1").timeframe(M5).secids("SBER", "GAZP").export(format(), out))
                .isInstanceOf(StorageException.class);
        Path file;
        try (Stream<Path> s = Files.walk(out)) {
            file = s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        SnapshotVerification unrecorded = snapshots.verify(out);
        assertThat(unrecorded.filesChecked()).isEqualTo(1);
        assertThat(unrecorded.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(SnapshotVerification.Kind.UNRECORDED);
            assertThat(f.file()).isEqualTo(file.toAbsolutePath().normalize());
            assertThat(f.detail()).contains(SnapshotFiles.sha256(file)).contains("export the same content again");
        });

        // temporary files: a stale one of ours is listed and the next export deletes it; a young one of ours,
        // a file of any other name and a final-looking file elsewhere are never touched
        Path leaf = file.getParent();
        Path stale = Files.writeString(leaf.resolve("." + file.getFileName() + ".0123456789abcdef.tmp"), "");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.writeString(leaf.resolve(".20300101." + format() + ".fedcba9876543210.tmp"), "");
        Path foreign = Files.writeString(leaf.resolve(".notes.0123456789abcdef.tmp"), "mine");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path other = Files.writeString(leaf.resolve("README.txt"), "not a snapshot");
        assertThat(snapshots.verify(out).findings()).extracting(SnapshotVerification.Finding::kind)
                .containsExactlyInAnyOrder(SnapshotVerification.Kind.UNRECORDED, SnapshotVerification.Kind.TEMPORARY);
        assertThat(snapshots.verify(out).findings(SnapshotVerification.Kind.TEMPORARY)).singleElement()
                .extracting(SnapshotVerification.Finding::file).isEqualTo(stale.toAbsolutePath().normalize());

        List<SnapshotRecord> recorded = v1("SBER", "GAZP").export(format(), out);
        assertThat(recorded).hasSize(2).extracting(SnapshotRecord::path).containsOnly(file.toString());
        assertThat(stale).doesNotExist();
        assertThat(young).exists();
        assertThat(foreign).hasContent("mine");
        assertThat(other).exists();
        Files.delete(young);
        SnapshotVerification clean = snapshots.verify(out);
        assertThat(clean.clean()).as("%s", clean.findings()).isTrue();
        assertThat(clean.pathsChecked()).isEqualTo(1);

        Files.writeString(file, "changed");
        assertThat(snapshots.verify(out).findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(SnapshotVerification.Kind.CHANGED);
            assertThat(f.detail()).contains(recorded.get(0).sha256()).contains(SnapshotFiles.sha256(file))
                    .contains("[GAZP, SBER]");
        });
        Files.delete(file);
        assertThat(snapshots.verify(dir.resolve("elsewhere")).findings()).as("rows of every directory are checked")
                .singleElement().satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(SnapshotVerification.Kind.MISSING);
                    assertThat(f.detail()).contains(recorded.get(0).sha256()).contains("missing");
                });
    }

    @Test
    @DisplayName("verify takes older rows of a path replaced by a recorded overwrite as history, not as a changed file")
    void verifyAfterOverwrite() {
        List<CandleSeries> series = ingestAndBuild(8, 300, "SBER");
        ExportOptions at = ExportOptions.defaults().date(LocalDate.of(2030, 7, 7));
        v1("SBER").between(Instant.ofEpochMilli(series.get(0).ts(0)), Instant.ofEpochMilli(series.get(0).ts(200)))
                .export(format(), out, at);
        v1("SBER").export(format(), out, at.overwrite(true));
        assertThat(store.snapshots().all()).hasSize(2);
        SnapshotVerification v = store.snapshots().verify(out);
        assertThat(v.clean()).as("%s", v.findings()).isTrue();
        assertThat(v.filesChecked()).isEqualTo(1);
    }

    @Test
    @DisplayName("An export refused before writing (conflict) records nothing, and a failing format leaves no file")
    void refusedExportsRecordNothing() {
        ingestAndBuild(6, 200, "SBER");
        assertThatThrownBy(() -> v1("SBER").export("no-such-format", out)).isInstanceOf(FeatureStoreException.class)
                .hasMessageContaining("no-such-format");
        assertThatThrownBy(() -> v1("SBER").export(format(), out, ExportOptions.defaults().compression("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThat(out).doesNotExist();
        assertThat(store.snapshots().all()).isEmpty();
    }

    @Test
    @DisplayName("An export needs a timeframe, skips secids without stored rows, and fails when none has any")
    void exportQueryRules() {
        ingestAndBuild(9, 200, "SBER");
        assertThatThrownBy(() -> store.forSet("tech_v1").secid("SBER").export(format(), out))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("timeframe");
        assertThatThrownBy(() -> v1("NOPE").export(format(), out)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("NOPE").hasMessageContaining("build()");
        List<SnapshotRecord> rows = v1("SBER", "NOPE").export(format(), out);
        assertThat(rows).extracting(SnapshotRecord::secid).containsExactly("SBER");
        assertThat(store.snapshots().find(SnapshotQuery.all().secid("NOPE"))).isEmpty();
    }

    // ---------------------------------------------------------------- hostile input

    @Test
    @DisplayName("Injection strings in secids are stored and found as data, or rejected clearly; SQL is never executed")
    void hostileSecidsAreData() {
        CandleSeries safe = RandomCandles.series("SAFE", M5, 150, 11);
        store.candles().upsert(safe);
        store.forSet("tech_v1").timeframe(M5).secid("SAFE").build();
        List<SnapshotRecord> safeRows = v1("SAFE").export(format(), out, ExportOptions.defaults()
                .date(LocalDate.of(2030, 1, 1)));
        int day = 2;
        List<SnapshotRecord> all = new ArrayList<>(safeRows);
        for (String name : FeatureStorageContract.HOSTILE_NAMES) {
            LocalDate date = LocalDate.of(2030, 1, day++);
            CandleSeries hostile = rename(safe, name);
            Throwable ingest = catchThrowable(() -> {
                store.candles().upsert(hostile);
                store.forSet("tech_v1").timeframe(M5).secid(name).build();
            });
            if (ingest != null) {
                assertThat(ingest).as("rejection of %s", printable(name))
                        .isInstanceOfAny(FeatureStoreException.class, IllegalArgumentException.class);
                continue;
            }
            List<SnapshotRecord> rows = v1(name).export(format(), out, ExportOptions.defaults().date(date));
            all.addAll(rows);
            assertThat(rows).extracting(SnapshotRecord::secid).containsExactly(name);
            assertThat(store.snapshots().find(SnapshotQuery.all().secid(name))).as("find %s", printable(name))
                    .containsExactlyElementsOf(rows);
            assertThat(store.snapshots().frame(rows.get(0)).secid()).isEqualTo(name);
            assertThat(Path.of(rows.get(0).path()).normalize().startsWith(out.normalize()))
                    .as("a secid never shapes the path").isTrue();
        }
        for (String name : FeatureStorageContract.HOSTILE_NAMES) {
            assertThat(store.snapshots().find(SnapshotQuery.all().featureSet(name))).isEmpty();
            assertThat(store.snapshots().find(SnapshotQuery.all().sha256(name))).isEmpty();
        }
        assertThat(store.snapshots().all()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(store.snapshots().find(SnapshotQuery.all().secid("SAFE"))).containsExactlyElementsOf(safeRows);
        assertThat(store.candles().readAll("SAFE", M5).size()).isEqualTo(150);
    }

    @Test
    @DisplayName("Feature-set names that could leave the snapshot directory are refused before any file or row")
    void pathRulesRejectEscapes() throws IOException {
        long[] ts = {RandomCandles.START, RandomCandles.START + M5.millis()};
        double[][] columns = {{1.5, -2.25}, {0, 1}};
        SnapshotLog log = new SnapshotLog(store.storage());
        SnapshotExporter exporter = SnapshotExporter.builder().format(format()).build();
        Path inner = out.resolve("inner");
        for (String name : List.of("../escape", "..", "a/b", "a\\b", ".hidden", "x'; DROP TABLE train_data_snapshots; --",
                "nul\u0000byte", "")) {
            FeatureFrame frame = FeatureFrame.of("SBER", name, M5, List.of("f", "c"),
                    List.of(FeatureKind.NUMERIC, FeatureKind.CATEGORICAL), ts, columns);
            BuildRecord record = new BuildRecord(name, M5, "SBER", ts[0], ts[1] + 1, ts[0], 2, 2, Instant.now(),
                    Instant.now(), BuildRecord.Status.COMPLETED, store.registry().fingerprint("tech_v2"));
            Throwable stored = catchThrowable(() -> store.storage().writeBuild(record, frame));
            if (stored != null) {
                assertThat(stored).isInstanceOfAny(FeatureStoreException.class, IllegalArgumentException.class);
                continue;
            }
            assertThatThrownBy(() -> log.export(exporter, inner, List.of(frame), null)).as("set %s", printable(name))
                    .isInstanceOf(UnsafeSnapshotPathException.class);
        }
        assertThat(out).doesNotExist();
        assertThat(store.snapshots().all()).isEmpty();
    }

    @Test
    @DisplayName("Older candles backfilled between two builds: each exported row carries the history start of the build that wrote it")
    void backfillBetweenBuildsKeepsEachBuildsHistoryStart() {
        CandleSeries sber = RandomCandles.series("SBER", M5, 400, 21);
        CandleSeries gazp = RandomCandles.series("GAZP", M5, 400, 22);
        store.candles().upsert(sber.slice(100, 300));
        store.candles().upsert(gazp);
        v1("SBER", "GAZP").build();
        // older candles arrive (a backfill), and newer ones; only the newer range is built again
        store.candles().upsert(sber.slice(0, 100));
        store.candles().upsert(sber.slice(300, 400));
        Instant cut = Instant.ofEpochMilli(sber.ts(300));
        Instant end = Instant.ofEpochMilli(sber.ts(399) + 1);
        BuildRecord later = v1("SBER").between(cut, end).build().get(0);
        assertThat(later.historyStartTs()).isEqualTo(sber.ts(0));
        assertThat(store.storage().builds("tech_v1", M5, "SBER")).extracting(BuildRecord::historyStartTs)
                .containsExactly(sber.ts(100), sber.ts(0));

        // rows the first build wrote: its history start, not the latest build's
        Instant from = Instant.ofEpochMilli(sber.ts(150));
        Instant to = Instant.ofEpochMilli(sber.ts(250));
        List<SnapshotRecord> early = v1("SBER", "GAZP").between(from, to).export(format(), out.resolve("early"));
        assertThat(early).extracting(SnapshotRecord::secid).containsExactly("GAZP", "SBER");
        assertThat(early.get(1).historyStartTs()).isEqualTo(sber.ts(100));
        assertThat(early.get(0).historyStartTs()).isEqualTo(gazp.ts(0));
        assertThat(store.snapshots().all()).containsExactlyInAnyOrderElementsOf(early);

        // rows the later build wrote: the backfilled history start
        List<SnapshotRecord> late = v1("SBER").between(cut, end).export(format(), out.resolve("late"));
        assertThat(late).singleElement().satisfies(r -> {
            assertThat(r.historyStartTs()).isEqualTo(sber.ts(0));
            assertThat(r.minTs()).isEqualTo(sber.ts(300));
        });

        // rows of both builds: the earliest start any of them was computed from
        List<SnapshotRecord> both = v1("SBER").between(from, end).export(format(), out.resolve("both"));
        assertThat(both).singleElement().satisfies(r -> assertThat(r.historyStartTs()).isEqualTo(sber.ts(0)));
    }

    // ---------------------------------------------------------------- helpers

    private static List<SnapshotRecord> concat(List<SnapshotRecord> a, List<SnapshotRecord> b) {
        List<SnapshotRecord> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String printable(String s) {
        return s.replace("\u0000", "\\0");
    }

    private static CandleSeries rename(CandleSeries s, String secid) {
        return CandleSeries.of(secid, s.timeframe().orElse(null), s.timestamps(), s.opens(), s.highs(), s.lows(), s.closes(),
                s.volumes());
    }

    private static void assertSameValues(FeatureFrame actual, FeatureFrame expected) {
        assertThat(actual.secid()).isEqualTo(expected.secid());
        assertThat(actual.featureNames()).isEqualTo(expected.featureNames());
        assertThat(actual.size()).as("rows of %s", expected.secid()).isEqualTo(expected.size());
        for (int r = 0; r < expected.size(); r++) {
            assertThat(actual.ts(r)).isEqualTo(expected.ts(r));
            for (int j = 0; j < expected.featureNames().size(); j++) {
                assertThat(Double.doubleToLongBits(actual.value(r, j)))
                        .as("%s row %d feature %s", expected.secid(), r, expected.featureNames().get(j))
                        .isEqualTo(Double.doubleToLongBits(expected.value(r, j)));
            }
        }
    }

    /** The storage under test, except that recording snapshot rows fails: an injected fault. */
    private static final class FailingToRecord extends ForwardingFeatureStorage {
        FailingToRecord(FeatureStorage delegate) {
            super(delegate);
        }

        @Override
        public void recordSnapshots(List<SnapshotRecord> records) {
            throw new StorageException("injected failure while recording " + records.size() + " rows", null);
        }
    }
}
