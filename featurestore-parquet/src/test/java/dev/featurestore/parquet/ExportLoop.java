package dev.featurestore.parquet;

import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.testkit.SnapshotFixtures;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * The child process of {@link KillTest}: exports the same large snapshot over and over, each time
 * under the next date, and prints {@code DONE <path>} after each export returns.
 */
public final class ExportLoop {
    private ExportLoop() {
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        int secids = Integer.parseInt(args[1]);
        int rows = Integer.parseInt(args[2]);
        SnapshotExporter exporter = SnapshotExporter.builder().format(args[3]).build();
        var frames = SnapshotFixtures.large(secids, rows);
        LocalDate day = LocalDate.of(2026, 1, 1);
        System.out.println("STARTED");
        System.out.flush();
        for (int k = 0;; k++) {
            List<SnapshotRecord> r = exporter.export(out, frames, SnapshotFixtures.meta(), day.plusDays(k));
            System.out.println("DONE " + r.get(0).path());
            System.out.flush();
        }
    }
}
