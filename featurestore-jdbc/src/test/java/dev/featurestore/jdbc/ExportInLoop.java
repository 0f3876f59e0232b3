package dev.featurestore.jdbc;

import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.ExportOptions;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The child process of {@link SnapshotExportKillTest}: exports the stored tech_v2 5m rows of SBER
 * and GAZP again and again, each time as the snapshot of the next date, until it is killed.
 *
 * <p>Arguments: {@code url outputDir firstDate(YYYY-MM-DD)}.
 */
public final class ExportInLoop {
    private ExportInLoop() {
    }

    public static void main(String[] args) {
        Store store = FeatureStore.builder().storage(args[0]).build();
        Path out = Path.of(args[1]);
        LocalDate day = LocalDate.parse(args[2]);
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; i < 10_000; i++) {
            store.forSet("tech_v2").timeframe(Timeframe.parse("5m")).secids("SBER", "GAZP")
                    .export("parquet", out, ExportOptions.defaults().date(day.plusDays(i)));
            System.out.println("EXPORTED " + i);
            System.out.flush();
        }
    }
}
