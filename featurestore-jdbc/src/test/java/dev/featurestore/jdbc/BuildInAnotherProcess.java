package dev.featurestore.jdbc;

import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.util.Arrays;
import java.util.List;

/**
 * The second process of {@link SqliteTwoProcessTest}: builds one feature set for some secids,
 * several rounds, on a SQLite file, and prints the rows written.
 *
 * <p>Arguments: {@code url featureSet timeframe rounds secid...}.
 */
public final class BuildInAnotherProcess {
    private BuildInAnotherProcess() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String set = args[1];
        String timeframe = args[2];
        int rounds = Integer.parseInt(args[3]);
        List<String> secids = Arrays.asList(args).subList(4, args.length);
        long rows = 0;
        try (Store store = FeatureStore.builder().storage(url).build()) {
            for (int r = 0; r < rounds; r++) {
                for (BuildRecord record : store.forSet(set).timeframe(timeframe).secids(secids).build()) {
                    rows += record.rows();
                }
            }
        }
        System.out.println("BUILT " + rows);
    }
}
