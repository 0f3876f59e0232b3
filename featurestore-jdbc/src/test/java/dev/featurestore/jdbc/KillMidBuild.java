package dev.featurestore.jdbc;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.time.Instant;

/**
 * The second process of {@link SqliteKillTest}: rewrites the stored tech_v2 5m rows of a secid
 * with changed values and halts the JVM (no shutdown hooks, no rollback) once half of them are
 * staged. Exits with status 3 when it got that far.
 *
 * <p>Arguments: {@code url secid}.
 */
public final class KillMidBuild {
    /** The exit status of a halt after half the rows. */
    static final int HALTED = 3;

    private KillMidBuild() {
    }

    public static void main(String[] args) {
        Timeframe m5 = Timeframe.parse("5m");
        Store store = FeatureStore.builder().storage(args[0]).build();
        FeatureFrame stored = store.forSet("tech_v2").timeframe(m5).secid(args[1]).frame();
        double[][] changed = new double[stored.featureNames().size()][];
        for (int j = 0; j < changed.length; j++) {
            changed[j] = stored.column(j);
            for (int r = 0; r < changed[j].length; r++) {
                changed[j][r] = changed[j][r] + 1;
            }
        }
        FeatureFrame replacement = FeatureFrame.of(args[1], "tech_v2", m5, stored.featureNames(), stored.kinds(),
                stored.timestamps(), changed);
        BuildRecord record = new BuildRecord("tech_v2", m5, args[1], stored.ts(0), stored.ts(stored.size() - 1) + 1,
                stored.ts(0), stored.size(), 120, Instant.now(), null, BuildRecord.Status.COMPLETED,
                store.registry().fingerprint("tech_v2"));
        int half = stored.size() / 2;
        store.storage().writeBuild(record, replacement, row -> {
            if (row == half) {
                System.out.println("HALTING after row " + row);
                System.out.flush();
                Runtime.getRuntime().halt(HALTED);
            }
        });
        System.out.println("NOT HALTED");
    }
}
