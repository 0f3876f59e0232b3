package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.SnapshotLog;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Parquet export and the parquet: file storage are quiet at INFO: no Hadoop or Parquet line")
class QuietExportTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("With slf4j-simple at its default INFO level, a build, a Parquet export, its read-back and a "
            + "parquet: store print nothing")
    void exportIsQuiet() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ExportAndRead.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
        // The child's own line only (it checked the rows read back against the audit row's count).
        assertThat(lines).as("what the JVM printed").singleElement().asString().matches("rows read back: [1-9][0-9]*");
    }

    /** Exports a snapshot from a parquet: store, reads it back, and prints only the rows it read. */
    public static final class ExportAndRead {
        private ExportAndRead() {
        }

        public static void main(String[] args) {
            Path root = Path.of(args[0]);
            CandleSeries candles = SyntheticCandles.seed(3).start(LocalDate.of(2024, 1, 8)).tradingDays(3)
                    .generate("SBER");
            try (Store store = FeatureStore.builder().storage("parquet:" + root.resolve("store")).build()) {
                store.candles().upsert(candles);
                store.forSet("tech_v2").timeframe("5m").secids("SBER").build();
                List<SnapshotRecord> records = store.forSet("tech_v2").timeframe("5m").secids("SBER")
                        .export("parquet", root.resolve("snapshots"));
                int rows = SnapshotLog.read(records.get(0), true).stream().mapToInt(f -> f.size()).sum();
                if (rows == 0 || rows != records.get(0).rowsCount()) {
                    throw new AssertionError("read back " + rows + " rows of " + records.get(0).rowsCount());
                }
                System.out.println("rows read back: " + rows);
            }
        }
    }
}
