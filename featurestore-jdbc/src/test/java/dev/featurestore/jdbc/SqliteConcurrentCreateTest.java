package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A new SQLite file opened by several stores at the same instant")
class SqliteConcurrentCreateTest {
    private static final int ROUNDS = Integer.getInteger("rounds", 10);
    private static final int THREAD_ROUNDS = Integer.getInteger("threadRounds", 50);
    private static final long SEED = 20_240_108L;

    @TempDir
    Path dir;

    @Test
    @DisplayName("Two JVMs, three threads each, open the same new file at the same instant, 10 rounds with seeded delays: all six opens succeed")
    void twoProcesses() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.currentTimeMillis() + 8_000;
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            Path log = dir.resolve("open-" + p + ".log");
            logs.add(log);
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    OpenInAnotherProcess.class.getName(), dir.toString(), Integer.toString(ROUNDS),
                    Long.toString(start), "300", Long.toString(SEED + p))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        try {
            for (int p = 0; p < 2; p++) {
                Process process = processes.get(p);
                assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("process %d finished", p).isTrue();
                String log = Files.readString(logs.get(p), StandardCharsets.UTF_8);
                assertThat(process.exitValue()).as("process %d (seed %d); output:%n%s", p, SEED + p, log).isZero();
                for (int round = 0; round < ROUNDS; round++) {
                    String opened = "OPENED " + round + " 0";
                    assertThat(log.lines().filter(opened::equals).count()).as("process %d round %d", p, round)
                            .isEqualTo(3);
                }
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        for (int round = 0; round < ROUNDS; round++) {
            try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("new-" + round + ".db"))
                    .build()) {
                assertThat(store.snapshots().all()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("Four threads open the same new file at once after seeded delays, 50 rounds: every store opens")
    void fourThreads() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < THREAD_ROUNDS; round++) {
                long seed = 7_000L + round;
                Random random = new Random(seed);
                String url = "jdbc:sqlite:" + dir.resolve("threads-" + round + ".db");
                CyclicBarrier barrier = new CyclicBarrier(threads);
                List<Future<Integer>> opens = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long delayMicros = random.nextInt(100);
                    opens.add(pool.submit(() -> {
                        barrier.await();
                        TimeUnit.MICROSECONDS.sleep(delayMicros);
                        try (Store store = FeatureStore.builder().storage(url).build()) {
                            return store.snapshots().all().size();
                        }
                    }));
                }
                for (Future<Integer> open : opens) {
                    assertThat(open.get(2, TimeUnit.MINUTES)).as("seed %d", seed).isZero();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
