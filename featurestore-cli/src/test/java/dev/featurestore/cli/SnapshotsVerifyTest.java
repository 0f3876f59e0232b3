package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("featurestore snapshots verify, and an export killed between the file and its audit rows")
class SnapshotsVerifyTest {
    /** The internal hook of SnapshotLog: halt right after the file is in place, before the audit rows. */
    private static final String HALT_AFTER_FILE = "-Dfeaturestore.internal.haltAfterSnapshotFile=true";
    private static final int HALTED = 86;

    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("fs.db");
    }

    private Path snapshotDir() {
        return dir.resolve("snap");
    }

    private Cli.Run export() {
        return Cli.run("export", "--set", "tech_v2", "--secids", "SBER,GAZP", "--snapshot-dir", snapshotDir().toString(),
                "--db", db(), "-q");
    }

    private Cli.Run verify() {
        return Cli.run("snapshots", "verify", "--snapshot-dir", snapshotDir().toString(), "--db", db());
    }

    private List<SnapshotRecord> auditRows() {
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            return store.snapshots().all();
        }
    }

    private void ingestAndBuild() {
        Cli.Run ingest = Cli.run("ingest", "--synthetic", "--days", "3", "--secids", "SBER,GAZP", "--db", db(), "-q");
        assertThat(ingest.code()).as(ingest.err()).isZero();
        Cli.Run build = Cli.run("build", "--set", "tech_v2", "--secids", "SBER,GAZP", "--db", db(), "-q");
        assertThat(build.code()).as(build.err()).isZero();
    }

    /** Runs the command line in a child JVM that halts exactly after the snapshot file is renamed into place. */
    private int exportHaltingAfterFile() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(java, HALT_AFTER_FILE, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "export", "--set", "tech_v2", "--secids", "SBER,GAZP",
                "--snapshot-dir", snapshotDir().toString(), "--db", db(), "-q")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child ended: %s", Files.readString(log)).isTrue();
        assertThat(Files.readString(log)).as("the child printed nothing before it halted").isEmpty();
        return p.exitValue();
    }

    @Test
    @DisplayName("a process halted after the rename and before the audit commit leaves a file verify reports; the next export records it")
    void killBetweenRenameAndAuditCommit() throws Exception {
        ingestAndBuild();
        assertThat(exportHaltingAfterFile()).as("halted at the hook").isEqualTo(HALTED);
        Path file = snapshotDir().resolve("tech_v2/5m/20240110.parquet");
        assertThat(file).as("the file was renamed into place").isRegularFile();
        assertThat(auditRows()).as("no audit row was committed").isEmpty();

        Cli.Run found = verify();
        assertThat(found.code()).as(found.err()).isEqualTo(3);
        assertThat(found.out()).contains("unrecorded: " + file.toAbsolutePath()).contains("no audit row names this file");
        assertThat(found.errLines()).singleElement().asString().startsWith("featurestore snapshots verify: 1 finding(s) (1 unrecorded)");

        Cli.Run again = export();
        assertThat(again.code()).as(again.err()).isZero();
        List<SnapshotRecord> rows = auditRows();
        assertThat(rows).hasSize(2).extracting(SnapshotRecord::path).containsOnly(file.toString());
        Cli.Run clean = verify();
        assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("verified 1 snapshot file(s) under " + snapshotDir() + " and 1 recorded path(s)");
        assertThat(clean.err()).isEmpty();
    }

    @Test
    @DisplayName("verify exits 3 listing a changed and a missing recorded file and a stale temporary file; an export removes the temporary file")
    void changedMissingAndTemporary() throws Exception {
        ingestAndBuild();
        assertThat(export().code()).isZero();
        Path file = snapshotDir().resolve("tech_v2/5m/20240110.parquet");
        Path tmp = Files.writeString(file.resolveSibling(".20240109.parquet.00112233445566aa.tmp"), "");
        Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Files.write(file, "changed".getBytes(StandardCharsets.UTF_8));
        Cli.Run changed = verify();
        assertThat(changed.code()).isEqualTo(3);
        assertThat(changed.out().lines()).hasSize(2).anyMatch(l -> l.startsWith("changed: " + file.toAbsolutePath()))
                .anyMatch(l -> l.startsWith("temporary: " + tmp.toAbsolutePath()));
        assertThat(changed.errLines()).singleElement().asString().contains("2 finding(s) (1 changed, 1 temporary)");

        Files.delete(file);
        Cli.Run missing = verify();
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.out()).contains("missing: " + file.toAbsolutePath()).contains("[GAZP, SBER]");

        assertThat(export().code()).as("the export writes the file again").isZero();
        assertThat(tmp).as("the export removed the stale temporary file").doesNotExist();
        Cli.Run clean = verify();
        assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
    }

    @Test
    @DisplayName("verify of a directory without snapshots and an empty log finds nothing")
    void nothingToVerify() {
        Cli.Run r = verify();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("verified 0 snapshot file(s)");
    }
}
