package dev.featurestore.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.UnknownFeatureSetException;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.ForwardingFeatureStorage;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.quality.QualityReports;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import dev.featurestore.core.storage.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Pipeline: ingest, build and quality in one call (export is tested where the formats are)")
class PipelineTest {
    private static final SyntheticCandles GEN = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(3);
    private static final Instant FROM = GEN.firstTradingDay().atStartOfDay(SyntheticCandles.MOSCOW).toInstant();
    private static final Instant TO = GEN.end();
    private static final List<String> SECIDS = List.of("SBER", "GAZP");

    @TempDir
    Path dir;

    private Pipeline pipeline(String set) {
        return Pipeline.forSet(set).timeframe("5m").secids(SECIDS).between(FROM, TO)
                .source(SyntheticCandleSource.of(GEN)).snapshotFileFormat().qualityReportDir(dir.resolve("quality"));
    }

    @Test
    @DisplayName("A run ingests, builds the stored candles and writes a quality report over the built rows")
    void runsStages() {
        List<String> stages = Collections.synchronizedList(new ArrayList<>());
        ProgressListener listener = new ProgressListener() {
            @Override
            public void stageStarted(Stage stage, List<String> secids) {
                stages.add("start " + stage.label());
            }

            @Override
            public void stageFinished(Stage stage, Duration took) {
                stages.add("end " + stage.label());
            }
        };
        try (Store store = FeatureStore.builder().build()) {
            PipelineResult r = pipeline("tech_v2").runId("run-1").listener(listener).run(store);
            assertThat(stages).containsExactly("start ingest", "end ingest", "start build", "end build", "start quality",
                    "end quality");
            assertThat(r.stages()).extracting(PipelineResult.StageResult::stage)
                    .containsExactly(Stage.INGEST, Stage.BUILD, Stage.QUALITY);
            long candles = SECIDS.stream().mapToLong(s -> GEN.generate(s).size()).sum();
            assertThat(r.stage(Stage.INGEST).orElseThrow().rows()).isEqualTo(candles);
            long built = 0;
            for (String s : SECIDS) {
                FeatureFrame stored = store.forSet("tech_v2").timeframe("5m").secid(s).frame();
                assertThat(stored.size()).isPositive();
                built += stored.size();
                assertThat(r.quality().secid(s).orElseThrow().cleanRows()).isEqualTo(stored.size());
            }
            assertThat(r.builds()).extracting(BuildRecord::secid).containsExactlyElementsOf(SECIDS);
            assertThat(r.stage(Stage.BUILD).orElseThrow().rows()).isEqualTo(built);
            assertThat(r.stage(Stage.QUALITY).orElseThrow().rows()).isEqualTo(built);
            assertThat(r.qualityFile()).isEqualTo(dir.resolve("quality").resolve("tech_v2_5m_run-1.json"));
            assertThat(QualityReports.read(r.qualityFile())).isEqualTo(r.quality());
            assertThat(r.blockingFailure()).isFalse();
            assertThat(r.snapshots()).isEmpty();

            PipelineResult again = pipeline("tech_v2").runId("run-2").run(store);
            assertThat(again.ingest().total().inserted()).isZero();
            assertThat(again.quality().previousRunId()).isEqualTo("run-1");
            assertThat(again.stage(Stage.BUILD).orElseThrow().rows()).isEqualTo(built);
        }
    }

    @Test
    @DisplayName("A stage that fails is told as failed, never as finished, with the error; files are told as written; later stages do not start")
    void failedStageIsToldAsFailed() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ProgressListener listener = new ProgressListener() {
            @Override
            public void stageStarted(Stage stage, List<String> secids) {
                events.add("start " + stage.label());
            }

            @Override
            public void stageFinished(Stage stage, Duration took) {
                events.add("end " + stage.label());
            }

            @Override
            public void stageFailed(Stage stage, Duration took, Throwable error) {
                events.add("failed " + stage.label() + ": " + error.getClass().getSimpleName());
            }

            @Override
            public void fileWritten(Stage stage, Path file) {
                events.add("wrote " + stage.label() + " " + file.getFileName());
            }
        };
        // a real failure: the report directory would have to be made under a regular file
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        try (Store store = FeatureStore.builder().build()) {
            assertThatThrownBy(() -> pipeline("tech_v2").qualityReportDir(notADirectory.resolve("reports"))
                    .listener(listener).run(store)).isInstanceOf(FeatureStoreException.class)
                    .hasMessageContaining("reports");
            assertThat(events).containsExactly("start ingest", "end ingest", "start build", "end build",
                    "start quality", "failed quality: StorageException");

            events.clear();
            pipeline("tech_v2").runId("ok").listener(listener).run(store);
            assertThat(events).contains("wrote quality tech_v2_5m_ok.json").endsWith("end quality");

            // a listener written before stageFailed existed still hears the end of a failed stage
            List<String> old = new ArrayList<>();
            ProgressListener before = new ProgressListener() {
                @Override
                public void stageFinished(Stage stage, Duration took) {
                    old.add(stage.label());
                }
            };
            assertThatThrownBy(() -> pipeline("tech_v2").qualityReportDir(notADirectory.resolve("reports"))
                    .listener(before).run(store)).isInstanceOf(FeatureStoreException.class);
            assertThat(old).containsExactly("ingest", "build", "quality");
        }
    }

    @Test
    @DisplayName("tech_v1 and tech_v2 run at the same time on two threads over one store and match runs made one by one")
    void twoSetsAtOnce() throws Exception {
        try (Store together = FeatureStore.builder().build(); Store alone = FeatureStore.builder().build()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<PipelineResult> v1 = pool.submit(() -> pipeline("tech_v1").run(together));
                Future<PipelineResult> v2 = pool.submit(() -> pipeline("tech_v2").run(together));
                assertThat(v1.get().featureSet()).isEqualTo("tech_v1");
                assertThat(v2.get().featureSet()).isEqualTo("tech_v2");
            } finally {
                pool.shutdown();
            }
            pipeline("tech_v1").run(alone);
            pipeline("tech_v2").run(alone);
            for (String set : List.of("tech_v1", "tech_v2")) {
                for (String s : SECIDS) {
                    FeatureFrame a = together.forSet(set).timeframe("5m").secid(s).frame();
                    FeatureFrame b = alone.forSet(set).timeframe("5m").secid(s).frame();
                    assertThat(a.size()).as("%s %s", set, s).isEqualTo(b.size()).isPositive();
                    for (int j = 0; j < a.featureNames().size(); j++) {
                        assertThat(a.column(j)).as("%s %s %s", set, s, a.featureNames().get(j)).isEqualTo(b.column(j));
                    }
                }
            }
            for (String s : SECIDS) {
                assertThat(together.candles().readAll(s, Timeframe.ONE_MINUTE).size()).isEqualTo(GEN.generate(s).size());
            }
        }
    }

    @Test
    @DisplayName("Parameters that do not fit are refused at run() before any candle is stored")
    void validatesBeforeWork() {
        try (Store store = FeatureStore.builder().build()) {
            assertThatThrownBy(() -> pipeline("tech_v2").snapshotFileFormat("nosuch").run(store))
                    .isInstanceOf(FeatureStoreException.class).hasMessageContaining("nosuch");
            assertThatThrownBy(() -> pipeline("tech_v9").run(store)).isInstanceOf(UnknownFeatureSetException.class);
            assertThatThrownBy(() -> pipeline("tech_v2").timeframe("7m").run(store))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("7m");
            assertThatThrownBy(() -> Pipeline.forSet("tech_v2").secids(SECIDS).between(FROM, TO).run(store))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("timeframe");
            assertThatThrownBy(() -> Pipeline.forSet("tech_v2").timeframe("5m").between(FROM, TO).run(store))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("secids");
            assertThatThrownBy(() -> Pipeline.forSet("tech_v2").timeframe("5m").secids(SECIDS).snapshotFileFormat()
                    .run(store)).isInstanceOf(InvalidQueryException.class).hasMessageContaining("ingest them first");
            assertThatThrownBy(() -> Pipeline.forSet("tech_v2").timeframe("5m").secids(SECIDS).snapshotFileFormat()
                    .source(SyntheticCandleSource.of(GEN)).run(store))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("between");
            assertThatThrownBy(() -> pipeline("tech_v2").ingestTimeframe("5m").run(store))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5m");
            assertThatThrownBy(() -> pipeline("tech_v2").between(TO, FROM)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pipeline("tech_v2").runId("../x")).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.candles().timeframes("SBER")).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("quality"))).isFalse();
    }

    @Test
    @DisplayName("Without a source the run builds from the candles already stored")
    void withoutSource() {
        try (Store store = FeatureStore.builder().build()) {
            for (String s : SECIDS) {
                store.candles().upsert(GEN.generate(s));
            }
            PipelineResult r = Pipeline.forSet("tech_v1").timeframe("5m").secids(SECIDS).between(FROM, TO)
                    .snapshotFileFormat().qualityReportDir(dir).run(store);
            assertThat(r.ingest()).isNull();
            assertThat(r.stages()).extracting(PipelineResult.StageResult::stage).containsExactly(Stage.BUILD, Stage.QUALITY);
            assertThat(r.stage(Stage.BUILD).orElseThrow().rows()).isPositive();

            PipelineResult storedRange = Pipeline.forSet("tech_v1").timeframe("5m").secids(SECIDS).snapshotFileFormat()
                    .qualityReportDir(dir).stages(Stage.QUALITY).run(store);
            assertThat(storedRange.stages()).extracting(PipelineResult.StageResult::stage).containsExactly(Stage.QUALITY);
            assertThat(storedRange.quality().rangeFrom()).isEqualTo(Instant.ofEpochMilli(GEN.generate("SBER").ts(0)));
            assertThat(storedRange.quality().secid("SBER").orElseThrow().cleanRows())
                    .isEqualTo(r.quality().secid("SBER").orElseThrow().cleanRows());
        }
    }

    @Test
    @DisplayName("The quality stage gets the rows and resampled candles the build made, reads neither again, and "
            + "reports what a quality-only run over the stored data reports")
    void qualityGetsWhatTheBuildMade() {
        Clock clock = Clock.fixed(TO.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        CountingStorage counting = new CountingStorage(new InMemoryStorage());
        try (Store store = FeatureStore.builder().storage(counting).build()) {
            for (String s : SECIDS) {
                store.candles().upsert(GEN.generate(s));
            }
            counting.reset();
            PipelineResult full = Pipeline.forSet("tech_v2").timeframe("5m").secids(SECIDS).between(FROM, TO)
                    .snapshotFileFormat().qualityReportDir(dir.resolve("full")).runId("same").clock(clock).run(store);
            assertThat(counting.candleReads).as("candles read by the build only, once per secid").isEqualTo(SECIDS.size());
            assertThat(counting.featureReads).as("built rows are not read back").isZero();

            counting.reset();
            PipelineResult alone = Pipeline.forSet("tech_v2").timeframe("5m").secids(SECIDS).between(FROM, TO)
                    .snapshotFileFormat().qualityReportDir(dir.resolve("alone")).runId("same").clock(clock)
                    .stages(Stage.QUALITY).run(store);
            assertThat(counting.featureReads).as("a quality-only run reads the stored rows").isEqualTo(SECIDS.size());
            assertThat(alone.quality()).isEqualTo(full.quality());
            assertThat(full.quality().secid("SBER").orElseThrow().cleanRows()).isPositive();
        }
    }

    @Test
    @DisplayName("Rows an earlier build stored beyond this build's range are read from the storage and checked too")
    void rowsOfAnEarlierBuildAreRead() {
        CountingStorage counting = new CountingStorage(new InMemoryStorage());
        try (Store store = FeatureStore.builder().storage(counting).build()) {
            store.candles().upsert(GEN.generate("SBER"));
            // the last 5m bucket is built only when the candles are stated complete through its close
            store.forSet("tech_v2").timeframe("5m").secid("SBER").completeThrough(TO).build();
            FeatureFrame stored = store.forSet("tech_v2").timeframe("5m").secid("SBER").frame();
            Instant future = TO.plus(Duration.ofDays(2));
            Clock before = Clock.fixed(TO, ZoneOffset.UTC); // `future` is not past: nothing states completeness
            counting.reset();
            PipelineResult r = Pipeline.forSet("tech_v2").timeframe("5m").secids("SBER").between(FROM, future)
                    .snapshotFileFormat().qualityReportDir(dir).clock(before).run(store);
            assertThat(r.builds().get(0).toTs()).as("this build leaves the last bucket out")
                    .isLessThanOrEqualTo(stored.ts(stored.size() - 1));
            assertThat(counting.featureReads).isEqualTo(1);
            assertThat(r.quality().secid("SBER").orElseThrow().cleanRows()).isEqualTo(stored.size());
        }
    }

    /** The in-memory storage, counting the reads of candles and of feature rows. */
    private static final class CountingStorage extends ForwardingFeatureStorage {
        int candleReads;
        int featureReads;

        CountingStorage(FeatureStorage delegate) {
            super(delegate);
        }

        void reset() {
            candleReads = 0;
            featureReads = 0;
        }

        @Override
        public CandleSeries readCandles(String secid, Timeframe timeframe, long fromTs, long toTs) {
            candleReads++;
            return super.readCandles(secid, timeframe, fromTs, toTs);
        }

        @Override
        public FeatureFrame readFeatures(String featureSet, List<String> features, String secid, Timeframe timeframe,
                long fromTs, long toTs) {
            featureReads++;
            return super.readFeatures(featureSet, features, secid, timeframe, fromTs, toTs);
        }
    }
}
