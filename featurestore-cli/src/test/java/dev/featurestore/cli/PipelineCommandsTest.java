package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.quality.QualityReport;
import dev.featurestore.core.quality.QualityReports;
import dev.featurestore.core.source.SyntheticCandles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("featurestore ingest, build, export, quality, run and snapshots over a SQLite database")
class PipelineCommandsTest {
    private static final SyntheticCandles GEN = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(3);

    @TempDir
    Path dir;

    private String db() {
        return "jdbc:sqlite:" + dir.resolve("fs.db");
    }

    private Cli.Run run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!args[0].equals("snapshots")) {
            all.add("--db");
            all.add(db());
        }
        return Cli.run(all.toArray(String[]::new));
    }

    private String[] job(String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command, "--secids", "SBER,GAZP", "--plain",
                "--snapshot-dir", dir.resolve("snap").toString(), "--quality-dir", dir.resolve("quality").toString()));
        all.addAll(Arrays.asList(more));
        if (!all.contains("--set")) {
            all.addAll(List.of("--set", "tech_v2"));
        }
        return all.toArray(String[]::new);
    }

    @Test
    @DisplayName("ingest --synthetic stores the generated candles; a second ingest stores nothing new")
    void ingestSynthetic() {
        Cli.Run first = run("ingest", "--synthetic", "--days", "3", "--secids", "SBER,GAZP", "--plain");
        assertThat(first.code()).as(first.err()).isZero();
        int sber = GEN.generate("SBER").size();
        assertThat(first.out()).contains("SBER: " + sber + " 1m candles read, " + sber + " new");
        assertThat(first.err()).contains("ingest SBER: " + sber + " rows (1/2)").contains("ingest: done in");
        Cli.Run second = run("ingest", "--synthetic", "--days", "3", "--secids", "SBER,GAZP", "-q");
        assertThat(second.code()).isZero();
        assertThat(second.out()).contains("SBER: 1 1m candles read, 0 new, 0 replaced, 1 unchanged (resumed from")
                .contains("ingested 0 new candles");
        assertThat(second.err()).isEmpty();
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            assertThat(store.candles().readAll("SBER", Timeframe.ONE_MINUTE).closes())
                    .isEqualTo(GEN.generate("SBER").closes());
        }
    }

    @Test
    @DisplayName("ingest --csv stores every secid of the file over its whole range")
    void ingestCsv() {
        Path csv = Cli.writeCandles(dir.resolve("c.csv"), GEN.generate(List.of("SBER", "LKOH")));
        Cli.Run r = run("ingest", "--csv", csv.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("LKOH: " + GEN.generate("LKOH").size() + " 1m candles read");
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            assertThat(store.candles().readAll("LKOH", Timeframe.ONE_MINUTE).timestamps()).isEqualTo(GEN.generate("LKOH").timestamps());
        }
    }

    @Test
    @DisplayName("build, export and quality one after the other; the Parquet snapshot opens in DuckDB with every row")
    void buildExportQuality() throws Exception {
        assertThat(run("ingest", "--synthetic", "--days", "3", "--secids", "SBER,GAZP", "-q").code()).isZero();
        Cli.Run build = run(job("build"));
        assertThat(build.code()).as(build.err()).isZero();
        String fingerprint = dev.featurestore.core.registry.FeatureRegistry.builtin().fingerprint("tech_v2");
        assertThat(build.out()).contains("feature rows built and stored, set fingerprint " + fingerprint);
        Cli.Run export = run(job("export", "--format", "parquet,feather"));
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).contains("audit rows, set fingerprint " + fingerprint);
        Path parquet = dir.resolve("snap/tech_v2/5m/20240110.parquet");
        assertThat(parquet).isRegularFile();
        assertThat(dir.resolve("snap/tech_v2/5m/20240110.feather")).isRegularFile();
        Cli.Run quality = run(job("quality", "--run-id", "q1"));
        assertThat(quality.code()).as(quality.err()).isZero();
        QualityReport report = QualityReports.read(dir.resolve("quality/tech_v2_5m_q1.json"));
        Path page = dir.resolve("quality/tech_v2_5m_q1.html");
        assertThat(quality.out()).contains("page " + page);
        assertThat(java.nio.file.Files.readString(page))
                .isEqualTo(dev.featurestore.report.html.QualityHtml.render(report));
        Cli.Run noHtml = run(job("quality", "--run-id", "q2", "--no-html"));
        assertThat(noHtml.code()).as(noHtml.err()).isZero();
        assertThat(dir.resolve("quality/tech_v2_5m_q2.json")).isRegularFile();
        assertThat(dir.resolve("quality/tech_v2_5m_q2.html")).doesNotExist();
        assertThat(noHtml.out()).doesNotContain(".html");
        long rows = 0;
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            for (String s : List.of("SBER", "GAZP")) {
                FeatureFrame f = store.forSet("tech_v2").timeframe("5m").secid(s).frame();
                assertThat(report.secid(s).orElseThrow().cleanRows()).isEqualTo(f.size());
                rows += f.size();
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*), count(distinct secid) from read_parquet('"
                        + parquet.toString().replace("'", "''") + "')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(rows);
            assertThat(rs.getLong(2)).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("run does all stages for two sets at once; snapshots list and show read the audit log; --verify catches a changed file")
    void runAndSnapshots() throws Exception {
        Cli.Run r = run(job("run", "--synthetic", "--days", "3", "--set", "tech_v1,tech_v2", "--parallel",
                "--format", "parquet,feather"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tech_v1 5m (run").contains("tech_v2 5m (run").contains("ingest").contains("build")
                .contains("export").contains("quality").contains(".html");
        assertThat(Cli.listing(dir.resolve("quality"))).filteredOn(n -> n.endsWith(".html")).hasSize(2);
        List<SnapshotRecord> rows;
        try (Store store = FeatureStore.builder().storage(db()).build()) {
            rows = store.snapshots().all();
        }
        assertThat(rows).hasSize(8);
        Cli.Run list = Cli.run("snapshots", "list", "--db", db(), "--set", "tech_v1", "--secid", "GAZP");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("2 row(s)").contains("tech_v1/5m/20240110.parquet")
                .contains("tech_v1/5m/20240110.feather").doesNotContain("SBER");
        SnapshotRecord parquet = rows.stream().filter(x -> x.format().equals("parquet") && x.featureSet().equals("tech_v2"))
                .findFirst().orElseThrow();
        Cli.Run show = Cli.run("snapshots", "show", parquet.sha256().substring(0, 10), "--verify", "--db", db());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("sha256:           " + parquet.sha256()).contains("secid:            SBER")
                .contains("verified:");
        Files.write(Path.of(parquet.path()), "changed".getBytes(StandardCharsets.UTF_8));
        Cli.Run tampered = Cli.run("snapshots", "show", parquet.path(), "--verify", "--db", db());
        assertThat(tampered.code()).isEqualTo(3);
        assertThat(tampered.err()).contains(parquet.path());
        Cli.Run none = Cli.run("snapshots", "show", "deadbeefdeadbeef", "--db", db());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("deadbeefdeadbeef");
    }

    @Test
    @DisplayName("a failed check marked blocking in the registry exits 1 and names the check and the report")
    void blockingCheckExits1() throws Exception {
        String yaml;
        try (InputStream in = FeatureStore.class.getResourceAsStream("/dev/featurestore/feature_store.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String strict = yaml.replaceAll("missing_candles: *\\{[^}]*\\}", "missing_candles: {warn: 0, fail: 0, blocking: true}");
        assertThat(strict).isNotEqualTo(yaml);
        Path config = Files.writeString(dir.resolve("strict.yaml"), strict);
        Cli.Run r = run(job("run", "--synthetic", "--days", "3", "--config", config.toString(), "--run-id", "r1"));
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains("blocking").contains("missing_candles").contains("tech_v2_5m_r1.json");
        assertThat(QualityReports.read(dir.resolve("quality/tech_v2_5m_r1.json")).blockingFailure()).isTrue();
        Cli.Run q = run(job("quality", "--config", config.toString()));
        assertThat(q.code()).isEqualTo(1);
        assertThat(run(job("quality")).code()).isZero();
    }

    @Test
    @DisplayName("--memory-budget 0 sends every secid's rows through the temporary file and writes the same snapshot; a bad size exits 2")
    void memoryBudget() throws Exception {
        Cli.Run held = run(job("run", "--synthetic", "--days", "3", "--run-id", "a", "--memory-budget", "1g"));
        assertThat(held.code()).as(held.err()).isZero();
        Cli.Run spilled = run("run", "--secids", "SBER,GAZP", "--plain", "--set", "tech_v2", "--synthetic", "--days", "3",
                "--snapshot-dir", dir.resolve("snap0").toString(), "--quality-dir", dir.resolve("quality").toString(),
                "--run-id", "b", "--memory-budget", "0");
        assertThat(spilled.code()).as(spilled.err()).isZero();
        byte[] a = Files.readAllBytes(dir.resolve("snap/tech_v2/5m/20240110.parquet"));
        assertThat(Files.readAllBytes(dir.resolve("snap0/tech_v2/5m/20240110.parquet"))).isEqualTo(a);
        for (String bad : new String[] {"12x", "-1", "m", "99999999999g"}) {
            Cli.Run r = Cli.run("run", "--secids", "SBER", "--synthetic", "--days", "3", "--db",
                    "jdbc:sqlite:" + dir.resolve("untouched.db"), "--memory-budget", bad);
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err()).contains("--memory-budget").contains("'" + bad + "'").contains("512m");
            assertThat(dir.resolve("untouched.db")).as("refused before the database opens").doesNotExist();
        }
    }

    @Test
    @DisplayName("bad input or usage exits 2 with one line on stderr saying what")
    void badInputExits2() {
        Cli.Run noSource = run("ingest", "--secids", "SBER");
        assertThat(noSource.code()).isEqualTo(2);
        assertThat(noSource.err()).contains("--csv FILE, --iss or --synthetic");
        assertThat(run("ingest", "--synthetic", "--csv", "x.csv").code()).isEqualTo(2);
        assertThat(run("ingest", "--iss", "--secids", "SBER").err()).contains("--iss needs");
        assertThat(run("ingest", "--csv", dir.resolve("missing.csv").toString()).code()).isEqualTo(2);
        Cli.Run tf = run(job("build", "--timeframe", "7x"));
        assertThat(tf.code()).isEqualTo(2);
        assertThat(tf.err()).contains("--timeframe").contains("7x");
        Cli.Run set = run(job("build", "--set", "tech_v9"));
        assertThat(set.code()).isEqualTo(2);
        assertThat(set.err()).contains("tech_v9");
        Cli.Run nothing = run(job("build"));
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err()).contains("ingest them first");
        assertThat(run("build", "--set", "tech_v2").err()).contains("--secids is required");
        assertThat(run(job("build", "--from", "2024-01-08")).err()).contains("both --from and --to");
        assertThat(run(job("build", "--from", "yesterday", "--to", "2024-01-09")).err()).contains("'yesterday'");
        assertThat(run(job("export", "--format", "csv")).err()).contains("csv");
        assertThat(Cli.run("snapshots").code()).isEqualTo(2);
        for (Cli.Run r : List.of(noSource, tf, set, nothing)) {
            assertThat(r.errLines()).hasSize(1);
        }
    }

    @Test
    @DisplayName("a database that cannot be opened exits 3")
    void storageErrorExits3() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Cli.Run r = Cli.run("ingest", "--synthetic", "--db", "jdbc:sqlite:" + file.resolve("sub/fs.db"), "-q");
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("fs.db");
        assertThat(Cli.run("snapshots", "list", "--db", "jdbc:sqlite:" + file.resolve("x.db")).code()).isEqualTo(3);
    }
}
