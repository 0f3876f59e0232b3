package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.testkit.RandomCandles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process exporting snapshots into an SQLite-backed store, killed (SIGKILL) at seeded random
 * moments, repeatedly: no audit row ever points to a missing, partial or different file; every
 * file at a final path is complete; a file left without rows is recorded by the next identical
 * export.
 */
@DisplayName("Snapshot export into SQLite killed at random moments")
class SnapshotExportKillTest {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final long SEED = 20241124L;
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    @DisplayName("After each kill every audit row verifies and every snapshot file is complete (seed 20241124)")
    void killedExportsLeaveConsistentLog() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("kill.db");
        Path out = dir.resolve("snapshots");
        try (Store store = FeatureStore.builder().storage(url).build()) {
            store.candles().upsert(RandomCandles.series("SBER", M5, 4000, 1));
            store.candles().upsert(RandomCandles.series("GAZP", M5, 4000, 2));
            store.forSet("tech_v2").timeframe(M5).secids("SBER", "GAZP").build();
        }
        Random random = new Random(SEED);
        LocalDate first = LocalDate.of(2030, 1, 1);
        for (int round = 0; round < ROUNDS; round++) {
            long delay = random.nextInt(400);
            Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), ExportInLoop.class.getName(), url,
                    out.toString(), first.plusDays(round * 1000L).toString())).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                // Wait for the first export (the slowest, loading the classes), then kill a few
                // exports later, at a moment that falls anywhere in one.
                StringBuilder seen = new StringBuilder();
                String line;
                while ((line = r.readLine()) != null && !line.equals("EXPORTED 0")) {
                    seen.append(line).append('\n');
                }
                assertThat(line).as("round %d: the child exported once; its output:%n%s", round, seen)
                        .isEqualTo("EXPORTED 0");
                Thread.sleep(delay);
                child.destroyForcibly();
                assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
            }
            checkConsistent(url, out, round, delay);
        }
        assertThat(snapshotFiles(out)).as("the children exported something before being killed").isNotEmpty();
        // Every complete file without rows is recorded by an identical export of its date.
        int unrecorded = 0;
        try (Store store = FeatureStore.builder().storage(url).build()) {
            for (Path file : snapshotFiles(out)) {
                if (rowsOf(store, file).isEmpty()) {
                    unrecorded++;
                    LocalDate day = SnapshotQuery.fileDate(file.toString());
                    List<SnapshotRecord> rows = store.forSet("tech_v2").timeframe(M5).secids("SBER", "GAZP")
                            .export("parquet", out, ExportOptions.defaults().date(day));
                    assertThat(rows).hasSize(2);
                    assertThat(rows.get(0).path()).isEqualTo(file.toString());
                }
            }
            for (Path file : snapshotFiles(out)) {
                assertThat(rowsOf(store, file)).as("rows of %s", file).hasSize(2)
                        .extracting(SnapshotRecord::sha256).containsOnly(SnapshotFiles.sha256(file));
            }
            System.out.println("SnapshotExportKillTest: " + snapshotFiles(out).size() + " files, " + unrecorded
                    + " of them left without rows by a kill and recorded afterwards");
        }
    }

    private static void checkConsistent(String url, Path out, int round, long delay) throws Exception {
        try (Store store = FeatureStore.builder().storage(url).build()) {
            List<SnapshotRecord> rows = store.snapshots().all();
            for (SnapshotRecord r : rows) {
                store.snapshots().verify(r);
            }
            for (Path file : snapshotFiles(out)) {
                List<FeatureFrame> frames = SnapshotExporter.read(file);
                assertThat(frames).as("round %d (kill after %d ms): %s is complete", round, delay, file)
                        .extracting(FeatureFrame::secid).containsExactly("GAZP", "SBER");
                List<SnapshotRecord> ofFile = rowsOf(store, file);
                assertThat(ofFile.size()).as("rows of %s: none or one per secid", file).isIn(0, 2);
            }
            System.out.println("SnapshotExportKillTest round " + round + ": killed after " + delay + " ms; "
                    + snapshotFiles(out).size() + " files, " + rows.size() + " audit rows");
        }
    }

    private static List<SnapshotRecord> rowsOf(Store store, Path file) {
        List<SnapshotRecord> out = new ArrayList<>();
        for (SnapshotRecord r : store.snapshots().onDate(SnapshotQuery.fileDate(file.toString()))) {
            if (r.path().equals(file.toString())) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<Path> snapshotFiles(Path out) throws Exception {
        Path leaf = out.resolve("tech_v2").resolve("5m");
        if (!Files.isDirectory(leaf)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(leaf)) {
            List<Path> list = new ArrayList<>();
            files.filter(p -> p.getFileName().toString().endsWith(".parquet")).forEach(list::add);
            return list;
        }
    }
}
