package dev.featurestore.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.parquet.ParquetSnapshotFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The spark-submit entry point")
class SparkBuildTest {

    @Test
    @DisplayName("builds and records a snapshot from a candle CSV and from the fact layer over JDBC")
    void csvAndJdbc(@TempDir Path dir) throws Exception {
        List<CandleSeries> series = TestCandles.generate(81, 3, 4);
        Path csv = dir.resolve("candles.csv");
        List<String> lines = new ArrayList<>();
        lines.add("SECID,ts,Open,High,Low,Close,Volume");
        for (CandleSeries s : series) {
            for (int i = 0; i < s.size(); i++) {
                String ts = i % 2 == 0 ? Instant.ofEpochMilli(s.ts(i)).toString() : Long.toString(s.ts(i));
                lines.add(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s", s.secid(), ts, s.open(i), s.high(i),
                        s.low(i), s.close(i), s.volume(i)));
            }
        }
        Files.write(csv, lines, StandardCharsets.UTF_8);
        String db = "jdbc:sqlite:" + dir.resolve("fs.db");
        try (Store store = FeatureStore.builder().storage(db).build()) {
            for (CandleSeries s : series) {
                store.candles().upsert(s);
            }
        }

        assertThat(run("--master", "local[2]", "--set", "tech_v2", "--timeframe", "5m", "--candles", csv.toString(),
                "--snapshot-output-dir", dir.resolve("from-csv").toString(), "--store", db)).isEqualTo(0);
        assertThat(run("--master", "local[2]", "--set", "tech_v2", "--timeframe", "15m", "--jdbc-url", db,
                "--snapshot-output-dir", dir.resolve("from-jdbc").toString(), "--store", db)).isEqualTo(0);

        try (Store store = FeatureStore.builder().storage(db).build()) {
            for (String tf : List.of("5m", "15m")) {
                List<SnapshotRecord> recorded = store.storage().snapshots(SnapshotQuery.all().timeframe(dev.featurestore.api.Timeframe.parse(tf)));
                assertThat(recorded).hasSize(series.size());
                for (SnapshotRecord r : recorded) {
                    CandleSeries s = series.stream().filter(c -> c.secid().equals(r.secid())).findFirst().orElseThrow();
                    FeatureFrame want = FeatureStore.forSet("tech_v2").timeframe(tf).compute(s);
                    FeatureFrame got = new ParquetSnapshotFormat().read(Path.of(r.path())).stream()
                            .filter(f -> f.secid().equals(r.secid())).findFirst().orElseThrow();
                    assertThat(got.timestamps()).isEqualTo(want.timestamps());
                    for (int f = 0; f < want.featureNames().size(); f++) {
                        assertThat(got.column(f)).isEqualTo(want.column(f));
                    }
                }
            }
        }

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Files.write(csv, List.of("secid,ts,open,high,low,close", "A,2024-01-08T07:00:00Z,1,1,1,1"));
            assertThat(run("--master", "local[1]", "--set", "tech_v2", "--timeframe", "5m", "--candles",
                    csv.toString(), "--snapshot-output-dir", dir.resolve("bad").toString(), "--store", db))
                    .isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("no column 'volume'");
    }

    private static int run(String... args) {
        return SparkBuild.run(args);
    }
}
