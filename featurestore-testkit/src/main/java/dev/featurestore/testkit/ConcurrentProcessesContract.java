package dev.featurestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of a storage two processes write at once: a second JVM ({@link StorageWorker},
 * same class path) and this one upsert alternate chunks of one series, or build two feature sets,
 * on the same storage; nothing is lost and nothing is mixed. For storages whose writes read,
 * merge and rewrite, this is what catches a lost update. And a writer killed ({@code SIGKILL})
 * part way leaves every write whole or absent.
 *
 * <p>Extend it and implement {@link #storageUrl(Path)}; add JVM options the child needs with
 * {@link #childJvmOptions()}.
 */
public abstract class ConcurrentProcessesContract {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");

    /** A fresh temporary directory for each test, for a subclass to open its storage in. */
    @TempDir
    protected Path dir;

    /**
     * The URL of a fresh storage with its files (if any) under {@code dir}, the same for both
     * processes. Called once per test.
     *
     * @param dir the test's temporary directory ({@link #dir})
     * @return a storage URL both this JVM and the child open, e.g. {@code jdbc:sqlite:<dir>/fs.db}
     * @throws Exception when the storage cannot be prepared; the test fails with it
     */
    protected abstract String storageUrl(Path dir) throws Exception;

    /**
     * {@return the JVM options of the second process, e.g. {@code --add-opens} flags; none by
     * default}
     */
    protected List<String> childJvmOptions() {
        return List.of();
    }

    @Test
    @DisplayName("Two processes upserting alternate chunks of one series at once keep every candle")
    void interleavedUpserts() throws Exception {
        String url = storageUrl(dir);
        int n = 2400;
        int chunk = 30;
        long seed = 77;
        CandleSeries all = RandomCandles.series("SBER", M1, n, seed);
        Path go = dir.resolve("go");
        Path out = dir.resolve("child.out");
        Process child = start(out, "upsert", url, go.toString(), "SBER", "1m", Long.toString(seed),
                Integer.toString(n), Integer.toString(chunk), "1");
        try (Store store = FeatureStore.builder().storage(url).build()) {
            awaitReady(child, out);
            Files.createFile(go);
            UpsertResult mine = new UpsertResult(0, 0, 0);
            for (int c = 0; c * chunk < n; c += 2) {
                mine = mine.plus(store.candles().upsert(all.slice(c * chunk, Math.min(n, (c + 1) * chunk))));
            }
            String childOutput = awaitExit(child, out);
            assertThat(childOutput).contains("UPSERTED " + (n - mine.inserted()) + " 0 0");
            assertThat(mine).isEqualTo(new UpsertResult(n / 2, 0, 0));
            FeatureStorageContract.assertSameCandles(store.candles().readAll("SBER", M1), all);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    @DisplayName("tech_v1 built by a second process while this one builds tech_v2: both complete, every row present")
    void twoProcessesBuildTwoSets() throws Exception {
        String url = storageUrl(dir);
        int rounds = 3;
        List<String> secids = List.of("A", "B", "C");
        List<CandleSeries> candles = new ArrayList<>();
        Path go = dir.resolve("go");
        Path out = dir.resolve("child.out");
        try (Store store = FeatureStore.builder().storage(url).build()) {
            for (int i = 0; i < secids.size(); i++) {
                CandleSeries s = RandomCandles.series(secids.get(i), M1, 6000, 500 + i);
                candles.add(s);
                store.candles().upsert(s);
            }
            List<String> args = new ArrayList<>(List.of("build", url, go.toString(), "tech_v1", "5m",
                    Integer.toString(rounds)));
            args.addAll(secids);
            Process child = start(out, args.toArray(String[]::new));
            try {
                awaitReady(child, out);
                Files.createFile(go);
                for (int r = 0; r < rounds; r++) {
                    assertThat(store.forSet("tech_v2").timeframe(M5).secids(secids).build()).hasSize(secids.size());
                }
                String childOutput = awaitExit(child, out);
                long expectedV1Rows = 0;
                for (CandleSeries s : candles) {
                    FeatureFrame v1 = store.forSet("tech_v1").timeframe(M5).compute(s);
                    FeatureFrame v2 = store.forSet("tech_v2").timeframe(M5).compute(s);
                    expectedV1Rows += v1.size();
                    FeatureStorageContract.assertSameFrame(
                            store.forSet("tech_v1").timeframe(M5).secid(s.secid()).frame(), v1);
                    FeatureStorageContract.assertSameFrame(
                            store.forSet("tech_v2").timeframe(M5).secid(s.secid()).frame(), v2);
                    assertThat(store.storage().builds("tech_v1", M5, s.secid())).hasSize(rounds)
                            .allMatch(b -> b.status() == BuildRecord.Status.COMPLETED);
                    assertThat(store.storage().builds("tech_v2", M5, s.secid())).hasSize(rounds)
                            .allMatch(b -> b.status() == BuildRecord.Status.COMPLETED);
                }
                assertThat(childOutput).contains("BUILT " + expectedV1Rows * rounds);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 23, 31})
    @DisplayName("A process killed while it writes leaves a readable storage holding whole writes only")
    void killedWriterLeavesWholeWrites(long seed) throws Exception {
        String url = storageUrl(dir);
        int n = 30_000;
        int chunk = 300;
        CandleSeries all = RandomCandles.series("SBER", M1, n, seed);
        Path go = dir.resolve("go");
        Path out = dir.resolve("child.out");
        Process child = start(out, "upsert", url, go.toString(), "SBER", "1m", Long.toString(seed),
                Integer.toString(n), Integer.toString(chunk), "0", "1");
        try {
            awaitReady(child, out);
            Files.createFile(go);
            Thread.sleep(200 + new SplittableRandom(seed).nextInt(800));
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("killed child gone").isTrue();
        try (Store store = FeatureStore.builder().storage(url).build()) {
            CandleSeries stored = store.candles().readAll("SBER", M1);
            System.out.println("killedWriterLeavesWholeWrites: seed " + seed + ", " + stored.size() + " of " + n
                    + " candles stored when the writer was killed");
            assertThat(stored.size() % chunk).as("seed %d: %d candles stored, whole chunks of %d only", seed,
                    stored.size(), chunk).isZero();
            FeatureStorageContract.assertSameCandles(stored, all.slice(0, stored.size()));
            UpsertResult rest = store.candles().upsert(all);
            assertThat(rest).isEqualTo(new UpsertResult(n - stored.size(), 0, stored.size()));
            FeatureStorageContract.assertSameCandles(store.candles().readAll("SBER", M1), all);
        }
    }

    private Process start(Path out, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childJvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StorageWorker.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void awaitReady(Process child, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!read(out).contains("READY")) {
            assertThat(child.isAlive()).as("child alive; output:%n%s", read(out)).isTrue();
            assertThat(System.nanoTime()).as("child ready within two minutes").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static String awaitExit(Process child, Path out) throws Exception {
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
        String output = read(out);
        assertThat(child.exitValue()).as("child exit; output:%n%s", output).isZero();
        return output;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
