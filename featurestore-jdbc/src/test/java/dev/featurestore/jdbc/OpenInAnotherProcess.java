package dev.featurestore.jdbc;

import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A process of {@link SqliteConcurrentCreateTest}: opens a store on a file of its own first (so
 * that classes and the native library are loaded), then, round by round, waits until an agreed
 * instant and opens three stores at once, from three threads each after a seeded delay of up to
 * 2 milliseconds, on the round's new SQLite file, creating it. Prints {@code OPENED round rows}
 * or {@code FAILED round message} for each store, and exits with 3 when any open failed.
 *
 * <p>Arguments: {@code dir rounds startEpochMillis intervalMillis seed}.
 */
public final class OpenInAnotherProcess {
    private static final int THREADS = 3;

    private OpenInAnotherProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long start = Long.parseLong(args[2]);
        long interval = Long.parseLong(args[3]);
        Random random = new Random(Long.parseLong(args[4]));
        try (Store warm = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("warm-" + ProcessHandle.current()
                .pid() + ".db")).build()) {
            warm.snapshots().all();
        }
        boolean failed = false;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < rounds; round++) {
                String url = "jdbc:sqlite:" + dir.resolve("new-" + round + ".db");
                long at = start + round * interval;
                List<Future<String>> opens = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long delayNanos = random.nextInt(2_000) * 1_000L;
                    int r = round;
                    opens.add(pool.submit(() -> {
                        long wait = at - System.currentTimeMillis();
                        if (wait > 2) {
                            Thread.sleep(wait - 2);
                        }
                        while (System.currentTimeMillis() < at) {
                            Thread.onSpinWait();
                        }
                        long go = System.nanoTime() + delayNanos;
                        while (System.nanoTime() < go) {
                            Thread.onSpinWait();
                        }
                        try (Store store = FeatureStore.builder().storage(url).build()) {
                            return "OPENED " + r + " " + store.snapshots().all().size();
                        } catch (RuntimeException e) {
                            return "FAILED " + r + " " + e.getMessage();
                        }
                    }));
                }
                for (Future<String> open : opens) {
                    String line = open.get(2, TimeUnit.MINUTES);
                    failed |= line.startsWith("FAILED");
                    System.out.println(line);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.exit(failed ? 3 : 0);
    }
}
