package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.testkit.SnapshotFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Export killed at random moments")
class KillTest {
    private static final int SECIDS = 2;
    private static final int ROWS = 40_000;
    private static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    @DisplayName("a child JVM killed mid-export leaves either no file or a complete one at each final path, never a partial one")
    void killedExportLeavesNoPartialFile() throws Exception {
        List<FeatureFrame> frames = SnapshotFixtures.large(SECIDS, ROWS);
        Path ref = dir.resolve("ref");
        String refSha = SnapshotExporter.builder().format("parquet").build()
                .export(ref, frames, SnapshotFixtures.meta(), LocalDate.of(2026, 1, 1)).get(0).sha256();
        long rows = (long) SECIDS * ROWS;

        Path out = dir.resolve("out");
        Path leaf = out.resolve("tech_v2").resolve("1m");
        int completed = 0;
        Set<String> tempsSeen = new HashSet<>();
        for (int i = 0; i < KILLS; i++) {
            long seed = 1000 + i;
            long delay = new Random(seed).nextInt(1500);
            Path log = dir.resolve("child-" + i + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    ExportLoop.class.getName(), out.toString(), Integer.toString(SECIDS), Integer.toString(ROWS),
                    "parquet").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // once warmed up (first export done), kill at a seeded random moment of the export loop
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log, StandardCharsets.UTF_8).contains("DONE ") && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(p.isAlive()).as("child of seed %d runs: %s", seed, Files.readString(log)).isTrue();
            Thread.sleep(delay);
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("child of seed %d ended", seed).isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output).as("child output, seed %d, killed after %d ms", seed, delay)
                    .doesNotContain("Exception");
            completed += (int) output.lines().filter(l -> l.startsWith("DONE ")).count();
            if (!Files.isDirectory(leaf)) {
                continue;
            }
            List<Path> entries;
            try (Stream<Path> s = Files.list(leaf)) {
                entries = s.collect(Collectors.toCollection(ArrayList::new));
            }
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (name.startsWith(".")) {
                    assertThat(name).as("temporary file, seed %d", seed).matches("\\.\\d{8}\\.parquet\\.[0-9a-f]{16}\\.tmp");
                    tempsSeen.add(name);
                    continue;
                }
                assertThat(name).as("final file, seed %d", seed).matches("\\d{8}\\.parquet");
                assertThat(SnapshotFiles.sha256(e)).as("sha256 of %s after kill with seed %d at %d ms", name, seed, delay)
                        .isEqualTo(refSha);
                assertThat(DuckDb.count(e)).isEqualTo(rows);
                Files.delete(e);
            }
        }
        assertThat(completed).as("exports that finished before a kill, over all runs").isGreaterThanOrEqualTo(KILLS);

        // a later export into the same directory removes what killed exports left behind
        SnapshotExporter cleaner = SnapshotExporter.builder().format("parquet").staleTempAge(Duration.ZERO).build();
        cleaner.export(out, frames, SnapshotFixtures.meta(), LocalDate.of(2030, 1, 1));
        try (Stream<Path> s = Files.list(leaf)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("20300101.parquet");
        }
        System.out.println("kill test: " + completed + " exports completed, " + tempsSeen.size() + " temporary files left by kills");
    }
}
