package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.pipeline.PipelineResult;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Pipeline export: the rows the build wrote are exported as a read of the store would export them")
class PipelineExportTest {
    private static final SyntheticCandles GEN = SyntheticCandles.seed(7).start(LocalDate.of(2024, 3, 4)).tradingDays(8);
    private static final Instant FROM = GEN.firstTradingDay().atStartOfDay(SyntheticCandles.MOSCOW).toInstant();
    private static final Instant TO = GEN.end();
    private static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH");
    private static final Clock CLOCK = Clock.fixed(TO.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    @DisplayName("A whole run writes the same snapshot bytes and quality report as build, export and quality "
            + "run one by one, each reading the store")
    void wholeRunEqualsStagesOneByOne() throws Exception {
        List<String> sets = List.of("tech_v1", "tech_v2");
        for (String set : sets) {
            List<String> timeframes;
            try (Store any = FeatureStore.builder().build()) {
                timeframes = any.registry().featureSet(set).timeframes().stream().map(Object::toString).toList();
            }
            assertThat(timeframes).isNotEmpty();
            for (String tf : timeframes) {
                try (Store whole = FeatureStore.builder().build(); Store staged = FeatureStore.builder().build()) {
                    Path a = dir.resolve(set + tf + "-whole");
                    Path b = dir.resolve(set + tf + "-staged");
                    PipelineResult r = pipeline(set, tf, a).source(SyntheticCandleSource.of(GEN)).run(whole);

                    pipeline(set, tf, b).source(SyntheticCandleSource.of(GEN)).stages(Stage.INGEST).run(staged);
                    staged.forSet(set).timeframe(tf).secids(SECIDS).between(FROM, TO).completeThrough(TO).build();
                    List<SnapshotRecord> exported = staged.forSet(set).timeframe(tf).secids(SECIDS).between(FROM, TO)
                            .export("parquet", b.resolve("snapshots"));
                    PipelineResult quality = pipeline(set, tf, b).stages(Stage.QUALITY).run(staged);

                    assertThat(r.snapshots()).extracting(SnapshotRecord::secid)
                            .containsExactlyElementsOf(exported.stream().map(SnapshotRecord::secid).toList())
                            .containsExactlyInAnyOrderElementsOf(SECIDS);
                    assertThat(r.snapshots()).extracting(SnapshotRecord::rowsCount)
                            .containsExactlyElementsOf(exported.stream().map(SnapshotRecord::rowsCount).toList());
                    assertThat(r.snapshots().get(0).sha256()).as("%s %s", set, tf).isEqualTo(exported.get(0).sha256());
                    assertThat(Files.readAllBytes(Path.of(r.snapshots().get(0).path())))
                            .isEqualTo(Files.readAllBytes(Path.of(exported.get(0).path())));
                    List<FeatureFrame> stored = new ArrayList<>();
                    for (String s : SECIDS.stream().sorted().toList()) { // a snapshot holds its secids in order
                        stored.add(whole.forSet(set).timeframe(tf).secid(s).between(FROM, TO).frame());
                    }
                    ParquetSnapshotFormatTest.assertSameFrames(SnapshotExporter.read(r.snapshots().get(0)), stored);
                    // the whole run's report also has the ingest's raw input counts; everything else is equal
                    assertThat(r.quality().features()).as("%s %s", set, tf).isEqualTo(quality.quality().features());
                    assertThat(r.quality().secids()).as("%s %s", set, tf)
                            .usingRecursiveFieldByFieldElementComparatorIgnoringFields("rawRows", "duplicates",
                                    "outOfOrder")
                            .containsExactlyElementsOf(quality.quality().secids());
                    assertThat(r.quality().secids()).allSatisfy(q -> assertThat(q.rawRows()).isPositive());
                }
            }
        }
    }

    @Test
    @DisplayName("An export-only run reads the stored rows and writes the same file again (nothing new recorded)")
    void exportOnlyReadsTheStore() {
        try (Store store = FeatureStore.builder().build()) {
            PipelineResult r = pipeline("tech_v2", "5m", dir).source(SyntheticCandleSource.of(GEN)).run(store);
            PipelineResult again = pipeline("tech_v2", "5m", dir).stages(Stage.EXPORT).run(store);
            assertThat(again.snapshots()).isEqualTo(r.snapshots());
        }
    }

    @Test
    @DisplayName("The memory budget changes where a run keeps its rows, not what it writes: with every secid "
            + "held, one held and the rest in the temporary file, or all in the file, the snapshot and the "
            + "report are the same, byte for byte")
    void memoryBudgetKeepsTheBytes() throws Exception {
        List<byte[]> snapshots = new ArrayList<>();
        List<byte[]> reports = new ArrayList<>();
        long perSecid = -1;
        for (int k = 0; k < 3; k++) {
            try (Store store = FeatureStore.builder().build()) {
                Path out = dir.resolve("budget" + k);
                long budget = k == 0 ? Pipeline.DEFAULT_MEMORY_BUDGET : k == 1 ? perSecid * 3 / 2 : 0;
                PipelineResult r = pipeline("tech_v2", "5m", out).source(SyntheticCandleSource.of(GEN))
                        .memoryBudget(budget).run(store);
                if (k == 0) {
                    // rows of the first secid: its values (ts and features) and its candles (ts, OHLCV)
                    int features = store.registry().featureSet("tech_v2").features().size();
                    perSecid = 8L * r.builds().get(0).rows() * (1 + features + 6);
                    assertThat(perSecid * SECIDS.size()).isLessThan(Pipeline.DEFAULT_MEMORY_BUDGET);
                }
                snapshots.add(Files.readAllBytes(Path.of(r.snapshots().get(0).path())));
                reports.add(Files.readAllBytes(r.qualityFile()));
                assertThat(r.quality().secids()).hasSize(SECIDS.size());
            }
        }
        for (int k = 1; k < 3; k++) {
            assertThat(snapshots.get(k)).as("snapshot %d", k).isEqualTo(snapshots.get(0));
            assertThat(reports.get(k)).as("report %d", k).isEqualTo(reports.get(0));
        }
        assertThatThrownBy(() -> Pipeline.forSet("tech_v2").memoryBudget(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    private static Pipeline pipeline(String set, String tf, Path out) {
        return Pipeline.forSet(set).timeframe(tf).secids(SECIDS).between(FROM, TO).clock(CLOCK).runId("run")
                .snapshotOutputDir(out.resolve("snapshots")).snapshotFileFormat("parquet")
                .qualityReportDir(out.resolve("quality"));
    }
}
