package dev.featurestore.testkit;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The second process of {@link ConcurrentProcessesContract}: opens a store by URL, prints
 * {@code READY}, waits for a start file to appear, then does its half of the work and prints
 * what it did. Exits non-zero on any failure.
 *
 * <p>Arguments: {@code upsert <url> <goFile> <secid> <timeframe> <seed> <n> <chunk> <parity>}
 * upserts chunks {@code parity, parity + 2, ...} of {@link RandomCandles#series} and prints
 * {@code UPSERTED <inserted> <replaced> <unchanged>}; {@code build <url> <goFile> <set>
 * <timeframe> <rounds> <secid>...} builds the set for the secids and prints {@code BUILT <rows>}.
 */
public final class StorageWorker {
    private StorageWorker() {
    }

    /**
     * Runs one half of the work, as the class comment describes.
     *
     * @param args {@code upsert ...} or {@code build ...}, as above
     * @throws Exception on any failure, which exits the process non-zero
     */
    public static void main(String[] args) throws Exception {
        String url = args[1];
        Path go = Path.of(args[2]);
        try (Store store = FeatureStore.builder().storage(url).build()) {
            System.out.println("READY");
            System.out.flush();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(go)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no start file " + go + " within two minutes");
                }
                Thread.sleep(5);
            }
            switch (args[0]) {
                case "upsert" -> {
                    Timeframe tf = Timeframe.parse(args[4]);
                    CandleSeries all = RandomCandles.series(args[3], tf, Integer.parseInt(args[6]),
                            Long.parseLong(args[5]));
                    int chunk = Integer.parseInt(args[7]);
                    int parity = Integer.parseInt(args[8]);
                    int step = args.length > 9 ? Integer.parseInt(args[9]) : 2;
                    long[] counts = new long[3];
                    for (int c = parity; c * chunk < all.size(); c += step) {
                        var r = store.candles().upsert(all.slice(c * chunk, Math.min(all.size(), (c + 1) * chunk)));
                        counts[0] += r.inserted();
                        counts[1] += r.replaced();
                        counts[2] += r.unchanged();
                    }
                    System.out.println("UPSERTED " + counts[0] + " " + counts[1] + " " + counts[2]);
                }
                case "build" -> {
                    List<String> secids = Arrays.asList(args).subList(6, args.length);
                    long rows = 0;
                    for (int r = 0; r < Integer.parseInt(args[5]); r++) {
                        for (BuildRecord b : store.forSet(args[3]).timeframe(args[4]).secids(secids).build()) {
                            rows += b.rows();
                        }
                    }
                    System.out.println("BUILT " + rows);
                }
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            }
        }
    }
}
