package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("featurestore dataset and snapshots show of a dataset's split")
class DatasetCommandTest {
    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("fs.db");
    }

    private String[] ranges;

    @BeforeEach
    void ingestAndBuild() {
        Cli.Run ingest = Cli.run("ingest", "--synthetic", "--days", "5", "--secids", "SBER,GAZP", "--db", db(), "-q");
        assertThat(ingest.code()).as(ingest.err()).isZero();
        Cli.Run build = Cli.run("build", "--set", "tech_v2", "--secids", "SBER,GAZP", "--db", db(), "-q");
        assertThat(build.code()).as(build.err()).isZero();
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            long[] ts = store.forSet("tech_v2").timeframe("5m").secid("SBER").frame().timestamps();
            String a = Instant.ofEpochMilli(ts[0]).toString();
            String b = Instant.ofEpochMilli(ts[ts.length / 2]).toString();
            String c = Instant.ofEpochMilli(ts[ts.length * 3 / 4]).toString();
            String d = Instant.ofEpochMilli(ts[ts.length - 1] + 1).toString();
            ranges = new String[] {a + "/" + b, b + "/" + c, c + "/" + d, a, d};
        }
    }

    @Test
    @DisplayName("exports one file per split and records it; snapshots show prints split, label, normalization and "
            + "hashes")
    void exportAndShow() throws Exception {
        Path snap = dir.resolve("snap");
        Cli.Run run = Cli.run("dataset", "--set", "tech_v2", "--secids", "SBER,GAZP", "--window", "30", "--labels",
                "fwd_ret_12,fwd_sign_12", "--train", ranges[0], "--valid", ranges[1], "--test", ranges[2],
                "--normalize", "robust_zscore", "--per-secid", "--clip", "5", "--snapshot-dir", snap.toString(),
                "--db", db());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("purge 42 bars", "label fwd_ret_12 = forward_return(h=12)", "robust_zscore",
                "per_secid", "SBER=", "GAZP=", "purged", "wrote ");
        List<SnapshotRecord> rows;
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            rows = store.snapshots().all();
        }
        assertThat(rows).hasSize(6);
        assertThat(rows).allSatisfy(r -> assertThat(Path.of(r.path())).exists());
        SnapshotRecord train = rows.stream().filter(r -> r.dataset().split().equals("train")).findFirst()
                .orElseThrow();
        assertThat(Files.exists(Path.of(train.path()))).isTrue();
        Cli.Run show = Cli.run("snapshots", "show", train.sha256(), "--db", db());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("split:            train [", "label:            fwd_ret_12 = forward_return(h=12)",
                "label:            fwd_sign_12 = sign(h=12, threshold=0.001)", "normalization:    norm_",
                "robust_zscore per_secid clip 5.0", "normalization_sha256: " + train.dataset().normalizationSha256(),
                "dataset:          " + train.dataset().datasetFingerprint(), "sha256:           " + train.sha256());

        Cli.Run again = Cli.run("dataset", "--set", "tech_v2", "--secids", "SBER,GAZP", "--window", "30", "--labels",
                "fwd_ret_12,fwd_sign_12", "--train", ranges[0], "--valid", ranges[1], "--test", ranges[2],
                "--normalize", "robust_zscore", "--per-secid", "--clip", "5", "--snapshot-dir", snap.toString(),
                "--db", db());
        assertThat(again.code()).as(again.err()).isZero();
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            assertThat(store.snapshots().all()).as("the same dataset again records nothing new").hasSize(6);
        }
    }

    @Test
    @DisplayName("walk-forward folds print their summaries; bad usage exits 2 with one line")
    void foldsAndBadUsage() {
        Cli.Run folds = Cli.run("dataset", "--secids", "SBER", "--labels", "fwd_ret_12", "--walk-forward", "3",
                "--rolling", "--from", ranges[3], "--to", ranges[4], "--db", db());
        assertThat(folds.code()).as(folds.err()).isZero();
        assertThat(folds.out()).contains("fold 0:", "fold 2:", "train [", "test [");
        Cli.Run unknown = Cli.run("dataset", "--secids", "SBER", "--labels", "fwd_ret_99", "--train", ranges[0],
                "--db", db());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("fwd_ret_99").contains("fwd_ret_12");
        Cli.Run badRange = Cli.run("dataset", "--secids", "SBER", "--labels", "fwd_ret_12", "--train", "2024-01-02",
                "--db", db());
        assertThat(badRange.code()).isEqualTo(2);
        assertThat(badRange.err()).contains("FROM/TO");
        Cli.Run overlap = Cli.run("dataset", "--secids", "SBER", "--labels", "fwd_ret_12", "--train", ranges[0],
                "--valid", ranges[0], "--db", db());
        assertThat(overlap.code()).isEqualTo(2);
        assertThat(overlap.err()).contains("overlap");
    }
}
