package dev.featurestore.jdbc.postgres;

import static dev.featurestore.testkit.FeatureStorageContract.assertSameCandles;
import static dev.featurestore.testkit.FeatureStorageContract.assertSameFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.ingest.Ingest;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import dev.featurestore.test.postgres.PostgresDatabase;
import dev.featurestore.jdbc.postgres.PostgresStorage.Step;
import dev.featurestore.testkit.RandomCandles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PostgreSQL storage against a real server that is shut down the hard way (SIGQUIT to the
 * postmaster, as {@code pg_ctl stop -m immediate}) in the middle of a build, of an export's audit
 * commit and of an ingest, and against a connection ended from the server side
 * ({@code pg_terminate_backend}) in the middle of a {@code COPY}. Each fault falls at an exact
 * point of the write ({@link PostgresStorage#onStep}), not at a moment left to timing.
 *
 * <p>Every case checks the same three things: the call fails with a {@link StorageException}
 * naming its operation; after the server is back nothing of the failed write is stored (no
 * COMPLETED build with partial rows, no audit row without its file, no candle of a failed page);
 * and running the same call again on the same store gives the values an in-memory store computes,
 * bit for bit. The last tests are about the pool: the store is never reopened.
 */
@DisplayName("PostgreSQL storage when the server stops or drops the connection")
class PostgresFaultsTest {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final String SET = "tech_v2";
    private static final List<CandleSeries> CANDLES = List.of(RandomCandles.series("SBER", M5, 1500, 11),
            RandomCandles.series("GAZP", M5, 1500, 12));

    @TempDir
    static Path dir;

    private static RestartablePostgres server;

    @BeforeAll
    static void startServer() {
        server = RestartablePostgres.start(dir.resolve("pgdata"));
    }

    @AfterEach
    void serverRuns() {
        server.ensureRunning();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------- the server stops

    @ParameterizedTest(name = "stopped at {0}")
    @EnumSource(Step.class)
    @DisplayName("a build whose server stops while it writes GAZP keeps SBER built, nothing of GAZP, and builds GAZP"
            + " again bit for bit")
    void buildSurvivesServerStop(Step step) throws SQLException {
        PostgresDatabase db = server.newDatabase();
        try (Store store = open(db)) {
            CANDLES.forEach(store.candles()::upsert);
            AtomicInteger fired = faultAt(store, step, "write the build of feature set 'tech_v2', secid 'GAZP'", 1,
                    server::crashAndRestart);

            assertThatThrownBy(() -> store.forSet(SET).timeframe(M5).secids("SBER", "GAZP").build())
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e).hasMessageContaining("cannot write the build of feature set 'tech_v2', secid"
                                + " 'GAZP', timeframe 5m in PostgreSQL storage").hasMessageContaining(db.name());
                        assertThat(e.sqlState()).startsWith("08");
                    });
            assertThat(fired).hasValue(1);

            // Read back from the restarted server: SBER whole, GAZP not at all.
            assertThat(store.storage().builds(SET, M5, "SBER")).singleElement()
                    .satisfies(b -> assertThat(b.status()).isEqualTo(BuildRecord.Status.COMPLETED));
            assertSameFrame(frame(store, "SBER"), reference().get(0));
            assertThat(store.storage().builds(SET, M5, "GAZP")).allSatisfy(b -> {
                assertThat(b.status()).isEqualTo(BuildRecord.Status.FAILED);
                assertThat(b.rows()).isZero();
            });
            assertThat(featureRows(db, "GAZP")).isZero();

            List<BuildRecord> again = store.forSet(SET).timeframe(M5).secid("GAZP").build();
            assertThat(again.get(0).rows()).isEqualTo(reference().get(1).size());
            assertSameFrame(frame(store, "GAZP"), reference().get(1));
            assertThat(featureRows(db, "GAZP"))
                    .isEqualTo((long) reference().get(1).size() * reference().get(1).featureNames().size());
        }
    }

    @Test
    @DisplayName("an export whose server stops in the audit commit leaves its complete file and no row; exporting"
            + " again records that file")
    void exportSurvivesServerStopInAuditCommit() throws IOException {
        PostgresDatabase db = server.newDatabase();
        Path out = dir.resolve("snapshots-" + db.name());
        LocalDate day = LocalDate.of(2030, 1, 2);
        try (Store store = open(db)) {
            CANDLES.forEach(store.candles()::upsert);
            store.forSet(SET).timeframe(M5).secids("SBER", "GAZP").build();
            AtomicInteger fired = faultAt(store, Step.BEFORE_COMMIT, "record 2 snapshot audit rows", 1,
                    server::crashAndRestart);

            assertThatThrownBy(() -> export(store, out, day)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("was written completely, but its audit rows could not be recorded")
                    .hasMessageContaining("cannot record 2 snapshot audit rows of " + out)
                    .hasMessageContaining(db.name());
            assertThat(fired).hasValue(1);

            assertThat(store.snapshots().all()).as("no audit row after the restart").isEmpty();
            Path file = onlySnapshotFile(out);
            List<FeatureFrame> inFile = SnapshotExporter.read(file);
            assertThat(inFile).extracting(FeatureFrame::secid).containsExactly("GAZP", "SBER");
            assertSameFrame(inFile.get(0), reference().get(1));
            assertSameFrame(inFile.get(1), reference().get(0));

            List<SnapshotRecord> rows = export(store, out, day);
            assertThat(rows).hasSize(2).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo(file.toString());
                assertThat(r.sha256()).isEqualTo(SnapshotFiles.sha256(file));
            });
            assertThat(onlySnapshotFile(out)).isEqualTo(file);
            assertThat(store.snapshots().all()).hasSize(2).allSatisfy(store.snapshots()::verify);
        }
    }

    @ParameterizedTest(name = "stopped at {0}")
    @EnumSource(Step.class)
    @DisplayName("an ingest whose server stops in its third page keeps the two pages before; running it again"
            + " resumes and stores every candle bit for bit")
    void ingestSurvivesServerStop(Step step) {
        SyntheticCandles generator = SyntheticCandles.seed(5).tradingDays(8);
        int page = 800; // 59 KB of COPY data: one chunk per page
        SyntheticCandleSource source = SyntheticCandleSource.of(generator).pageSize(page);
        CandleSeries expected;
        try (Store memory = FeatureStore.builder().build()) {
            ingest(memory, source, generator).run();
            expected = memory.candles().readAll("SBER", Timeframe.ONE_MINUTE);
        }
        assertThat(expected.size()).isGreaterThan(3000);

        PostgresDatabase db = server.newDatabase();
        try (Store store = open(db)) {
            AtomicInteger fired = faultAt(store, step, "upsert " + page + " candles of secid 'SBER'", 3,
                    server::crashAndRestart);
            assertThatThrownBy(() -> ingest(store, source, generator).run())
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e).hasMessageContaining("cannot upsert " + page + " candles of secid 'SBER',"
                                + " timeframe 1m in PostgreSQL storage").hasMessageContaining(db.name());
                        assertThat(e.sqlState()).startsWith("08");
                    });
            assertThat(fired).hasValue(3);

            assertSameCandles(store.candles().readAll("SBER", Timeframe.ONE_MINUTE), expected.slice(0, 2 * page));
            ingest(store, source, generator).run();
            assertSameCandles(store.candles().readAll("SBER", Timeframe.ONE_MINUTE), expected);
        }
    }

    // ---------------------------------------------------------------- the connection is dropped

    @Test
    @DisplayName("a build whose connection is ended from the server mid-COPY stores no row of it, is recorded FAILED,"
            + " and builds again bit for bit")
    void buildSurvivesTerminatedBackendMidCopy() throws SQLException {
        PostgresDatabase db = server.newDatabase();
        try (Store store = open(db)) {
            store.candles().upsert(CANDLES.get(0));
            AtomicInteger fired = faultAt(store, Step.COPY_CHUNK_SENT, "write the build of feature set 'tech_v2'", 2,
                    () -> terminateCopyingBackend(db));

            assertThatThrownBy(() -> store.forSet(SET).timeframe(M5).secid("SBER").build())
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e).hasMessageContaining("cannot write the build of feature set 'tech_v2', secid"
                                + " 'SBER', timeframe 5m in PostgreSQL storage");
                        assertThat(e.sqlState()).matches("08...|57P01");
                    });
            assertThat(fired).hasValue(2);

            assertThat(store.storage().builds(SET, M5, "SBER")).singleElement().satisfies(b -> {
                assertThat(b.status()).isEqualTo(BuildRecord.Status.FAILED);
                assertThat(b.rows()).isZero();
            });
            assertThat(featureRows(db, "SBER")).isZero();

            store.forSet(SET).timeframe(M5).secid("SBER").build();
            assertSameFrame(frame(store, "SBER"), reference().get(0));
        }
    }

    @Test
    @DisplayName("a candle upsert whose connection is ended from the server mid-COPY stores no candle; upserting again"
            + " stores every one bit for bit")
    void upsertSurvivesTerminatedBackendMidCopy() {
        PostgresDatabase db = server.newDatabase();
        CandleSeries series = RandomCandles.series("SBER", Timeframe.ONE_MINUTE, 3000, 3);
        try (Store store = open(db)) {
            AtomicInteger fired = faultAt(store, Step.COPY_CHUNK_SENT, "upsert 3000 candles", 1,
                    () -> terminateCopyingBackend(db));
            assertThatThrownBy(() -> store.candles().upsert(series))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e).hasMessageContaining("cannot upsert 3000 candles of secid 'SBER', timeframe 1m");
                        assertThat(e.sqlState()).matches("08...|57P01");
                    });
            assertThat(fired).hasValue(1);

            assertThat(store.candles().readAll("SBER", Timeframe.ONE_MINUTE).size()).isZero();
            assertThat(store.candles().upsert(series)).isEqualTo(new UpsertResult(3000, 0, 0));
            assertSameCandles(store.candles().readAll("SBER", Timeframe.ONE_MINUTE), series);
        }
    }

    // ---------------------------------------------------------------- the pool

    @Test
    @DisplayName("the same store works again after the server restarts while it is idle, without being reopened")
    void sameStoreAfterRestart() throws InterruptedException {
        PostgresDatabase db = server.newDatabase();
        try (Store store = open(db)) {
            store.candles().upsert(CANDLES.get(0));
            store.forSet(SET).timeframe(M5).secid("SBER").build();
            // Idle for longer than HikariCP's alive-bypass window (0.5 s), as a store is while a
            // server restarts: its pooled connections are checked before use, found dead, replaced.
            Thread.sleep(600);
            server.crashAndRestart();

            long started = System.nanoTime();
            assertSameCandles(store.candles().readAll("SBER", M5), CANDLES.get(0));
            System.out.printf("PostgresFaultsTest: first call after the restart took %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            assertSameFrame(frame(store, "SBER"), reference().get(0));
            assertThat(store.candles().upsert(CANDLES.get(1)).inserted()).isEqualTo(CANDLES.get(1).size());
            store.forSet(SET).timeframe(M5).secid("GAZP").build();
            assertSameFrame(frame(store, "GAZP"), reference().get(1));
        }
    }

    @Test
    @DisplayName("after a write the server stopped, the next call waits for the server and completes once it is back")
    void callWaitsForServer() throws Exception {
        PostgresDatabase db = server.newDatabase();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Store store = open(db)) {
            store.candles().upsert(CANDLES.get(0));
            faultAt(store, Step.BEFORE_COMMIT, "upsert", 1, server::stopImmediately);
            assertThatThrownBy(() -> store.candles().upsert(CANDLES.get(1))).isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot upsert 1500 candles of secid 'GAZP'");

            Future<CandleSeries> read = caller.submit(() -> store.candles().readAll("SBER", M5));
            awaitTrue("the call waits for a connection",
                    () -> read.isDone() || storage(store).callersWaitingForConnection() == 1);
            assertThat(read).as("the call waits while the server is down").isNotDone();
            server.restart();
            assertSameCandles(read.get(1, TimeUnit.MINUTES), CANDLES.get(0));
            assertThat(store.candles().readAll("GAZP", M5).size()).isZero();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    @DisplayName("a call while the server stays down fails after connection.timeout.ms naming its operation; the pool"
            + " reconnects by itself once the server is back")
    void callFailsWhileServerStaysDown() {
        PostgresDatabase db = server.newDatabase();
        try (Store store = open(db, "connection.timeout.ms", "1000")) {
            store.candles().upsert(CANDLES.get(0));
            faultAt(store, Step.BEFORE_COMMIT, "upsert", 1, server::stopImmediately);
            assertThatThrownBy(() -> store.candles().upsert(CANDLES.get(1))).isInstanceOf(StorageException.class);

            assertThatThrownBy(() -> store.candles().readAll("SBER", M5))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e).hasMessageContaining("cannot read candles of secid 'SBER', timeframe 5m in"
                                + " PostgreSQL storage").hasMessageContaining(db.name())
                                .hasMessageContaining("request timed out after");
                        assertThat(e.sqlState()).isEqualTo("08001");
                    });
            assertThat(storage(store).idleConnections()).as("idle connections while the server is down").isZero();

            server.restart();
            long started = System.nanoTime();
            awaitTrue("the pool has reconnected", () -> storage(store).idleConnections() > 0);
            System.out.printf("PostgresFaultsTest: the pool reconnected %d ms after the restart%n",
                    (System.nanoTime() - started) / 1_000_000);
            assertSameCandles(store.candles().readAll("SBER", M5), CANDLES.get(0));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Store open(PostgresDatabase db, String... options) {
        Store.Builder b = FeatureStore.builder().storage(db.url()).user(db.user()).password(db.password());
        for (int i = 0; i < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return b.build();
    }

    private static PostgresStorage storage(Store store) {
        return (PostgresStorage) store.storage();
    }

    /**
     * Runs {@code fault} on the calling thread when a call whose operation starts with {@code
     * operation} reaches {@code step} for the {@code nth} time; the counter tells how often it did.
     */
    private static AtomicInteger faultAt(Store store, Step step, String operation, int nth, Runnable fault) {
        AtomicInteger reached = new AtomicInteger();
        storage(store).onStep((s, op) -> {
            if (s == step && op.startsWith(operation) && reached.incrementAndGet() == nth) {
                fault.run();
            }
        });
        return reached;
    }

    /**
     * Ends, from the server side, the one backend of {@code db} that is in a {@code COPY} of the
     * store's staging tables, and returns once it has exited.
     */
    private static void terminateCopyingBackend(PostgresDatabase db) {
        try (Connection c = server.admin(db.name());
                PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid, 60000) FROM"
                        + " pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        + " AND state = 'active' AND query LIKE 'COPY fs_stage_%'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("a backend in COPY").isTrue();
            assertThat(rs.getBoolean(1)).as("terminated").isTrue();
            assertThat(rs.next()).as("one backend in COPY").isFalse();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, failing after a minute (a condition that never comes). */
    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Ingest ingest(Store store, SyntheticCandleSource source, SyntheticCandles generator) {
        Instant from = generator.firstTradingDay().atStartOfDay(SyntheticCandles.MOSCOW).toInstant();
        return store.ingest(source).secids("SBER").timeframe(Timeframe.ONE_MINUTE).between(from, generator.end());
    }

    private static List<SnapshotRecord> export(Store store, Path out, LocalDate day) {
        return store.forSet(SET).timeframe(M5).secids("SBER", "GAZP").export("parquet", out,
                ExportOptions.defaults().date(day));
    }

    private static Path onlySnapshotFile(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertThat(all).as("files under %s", out).hasSize(1);
            return all.get(0);
        }
    }

    private static FeatureFrame frame(Store store, String secid) {
        return store.forSet(SET).timeframe(M5).secid(secid).frame();
    }

    /** The stored tech_v2 frames of SBER and GAZP as an in-memory store builds them from {@link #CANDLES}. */
    private static List<FeatureFrame> reference() {
        return Reference.FRAMES;
    }

    private static final class Reference {
        static final List<FeatureFrame> FRAMES = build();

        private static List<FeatureFrame> build() {
            try (Store memory = FeatureStore.builder().build()) {
                CANDLES.forEach(memory.candles()::upsert);
                memory.forSet(SET).timeframe(M5).secids("SBER", "GAZP").build();
                return List.of(frame(memory, "SBER"), frame(memory, "GAZP"));
            }
        }
    }

    /** The stored feature values of {@code secid} (rows x features of the typed tables), counted by the server. */
    private static long featureRows(PostgresDatabase db, String secid) throws SQLException {
        try (Connection c = server.admin(db.name());
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM feature_values WHERE secid = ?")) {
            ps.setString(1, secid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
