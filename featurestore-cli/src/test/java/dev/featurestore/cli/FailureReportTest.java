package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures are real: a regular file stands where a snapshot directory must be made, so the write
 * fails in the file system as on a full disk or a read-only mount (the tests may run as root,
 * for whom a read-only directory is writable).
 */
@DisplayName("Progress tells the truth: a failed stage says so with its set and timeframe, and the error comes first")
class FailureReportTest {
    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("fs.db");
    }

    private List<SnapshotRecord> auditRows() {
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            return store.snapshots().all();
        }
    }

    private Cli.Run run(Path snapshotDir, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--synthetic", "--days", "3", "--secids", "SBER,GAZP",
                "--snapshot-dir", snapshotDir.toString(), "--quality-dir", dir.resolve("quality").toString(),
                "--db", db()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    @DisplayName("run --parallel: tech_v2's export fails, tech_v1 completes; the error is the first stderr line, and the summary says what was and was not written")
    void oneOfTwoSetsFails() throws Exception {
        Path snap = Files.createDirectories(dir.resolve("snap"));
        Files.writeString(snap.resolve("tech_v2"), "a file where tech_v2's directory must go");
        Cli.Run r = run(snap, "--set", "tech_v1,tech_v2", "--parallel", "--format", "parquet");
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        List<String> err = r.errLines();
        assertThat(err.get(0)).startsWith("featurestore run: tech_v2 5m export: cannot create the snapshot directory")
                .contains(snap.resolve("tech_v2").toString()).doesNotContain("tech_v1");
        assertThat(err.subList(1, err.size())).as("progress follows the error")
                .anyMatch(l -> l.startsWith("tech_v2 5m export: FAILED after "))
                .anyMatch(l -> l.startsWith("tech_v1 export: done in"))
                .noneMatch(l -> l.startsWith("tech_v2 export: done"))
                .noneMatch(l -> l.startsWith("tech_v2 quality"));

        String out = r.out();
        assertThat(out).contains("tech_v1 5m (run").contains("tech_v1/5m/20240110.parquet").contains("2 audit rows");
        String v2 = out.substring(out.indexOf("tech_v2 5m: FAILED in export"));
        assertThat(v2.lines().toList()).hasSize(5).satisfies(lines -> {
            assertThat(lines.get(1)).startsWith("  ingest  done, ");
            assertThat(lines.get(2)).startsWith("  build   done, ");
            assertThat(lines.get(3)).startsWith("  export  FAILED after ").contains("no snapshot written and recorded")
                    .contains("cannot create the snapshot directory");
            assertThat(lines.get(4)).isEqualTo("  quality not run");
        });
        assertThat(auditRows()).extracting(SnapshotRecord::featureSet).containsOnly("tech_v1").hasSize(2);
        assertThat(dir.resolve("quality")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("tech_v1_5m_"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("tech_v2"));
    }

    @Test
    @DisplayName("run --parallel: when both sets fail, the error names each set, timeframe and stage")
    void bothSetsFail() throws Exception {
        Path snap = Files.writeString(dir.resolve("snap"), "a file where the snapshot directory must go");
        Cli.Run r = run(snap, "--set", "tech_v1,tech_v2", "--parallel", "--format", "parquet,feather");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.errLines().get(0)).startsWith("featurestore run: tech_v1 5m export: ")
                .contains("; tech_v2 5m export: ");
        assertThat(r.err()).contains("tech_v1 5m export: FAILED after").contains("tech_v2 5m export: FAILED after")
                .doesNotContain("export: done");
        assertThat(r.out()).contains("tech_v1 5m: FAILED in export").contains("tech_v2 5m: FAILED in export");
        assertThat(auditRows()).isEmpty();
    }

    @Test
    @DisplayName("export of two sets one after the other: the first fails, the second is reported as not run")
    void laterSetNotRun() throws Exception {
        assertThat(run(dir.resolve("ok-snap"), "--set", "tech_v1,tech_v2", "-q").code()).isZero();
        Path snap = Files.createDirectories(dir.resolve("snap"));
        Files.writeString(snap.resolve("tech_v2"), "in the way");
        Cli.Run r = Cli.run("export", "--set", "tech_v2,tech_v1", "--secids", "SBER,GAZP", "--snapshot-dir",
                snap.toString(), "--db", db(), "--plain");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.errLines().get(0)).startsWith("featurestore export: tech_v2 5m export: ");
        assertThat(r.out()).contains("tech_v2 5m: FAILED in export")
                .contains("tech_v1 5m: not run (a set before it failed)\n  export  not run");
        assertThat(snap.resolve("tech_v1")).doesNotExist();
    }

    @Test
    @DisplayName("demo: tech_v2's snapshots cannot be written; it never says 'tech_v2 export: done', and the summary lists tech_v1's files and tech_v2's failure")
    void demoFailure() throws Exception {
        Path snap = Files.createDirectories(dir.resolve("data/processed/features"));
        Files.writeString(snap.resolve("tech_v2"), "in the way");
        Cli.Run r = Cli.run("demo", "--dir", dir.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.errLines().get(0)).startsWith("featurestore demo: tech_v2 5m export: ");
        assertThat(r.err()).contains("tech_v2 5m export: FAILED after").doesNotContain("tech_v2 export: done")
                .contains("tech_v1 export: done");
        assertThat(r.out()).contains("tech_v1/5m/20240112.parquet").contains("tech_v1/5m/20240112.feather")
                .contains("tech_v2 5m: FAILED in export").contains("  quality not run");
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("featurestore.db")).build()) {
            assertThat(store.snapshots().all()).extracting(SnapshotRecord::featureSet).containsOnly("tech_v1");
        }
    }

    @Test
    @DisplayName("progress lines are held off a terminal and written after the command's own lines; on a terminal they go out at once")
    void heldOffTerminal() {
        StringWriter text = new StringWriter();
        Stderr err = new Stderr(text);
        PrintWriter progress = Stderr.progress(err, false);
        progress.println("build SBER: 10 rows (1/1)");
        assertThat(text.toString()).isEmpty();
        err.println("featurestore build: the error");
        Stderr.release(err);
        assertThat(text.toString().lines()).containsExactly("featurestore build: the error", "build SBER: 10 rows (1/1)");
        assertThat(Stderr.progress(err, true)).isSameAs(err);
    }
}
