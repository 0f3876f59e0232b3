package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotLog;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Snapshots of stored tech_v2 features")
class StoredSnapshotTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("features built into a store export with the build's history start, and DuckDB reads them bit for bit")
    void exportStoredFeatures() throws Exception {
        List<String> secids = List.of("GAZP", "SBER");
        try (Store store = FeatureStore.builder().build()) {
            for (var series : SyntheticCandles.seed(11).tradingDays(2).generate(secids)) {
                store.candles().upsert(series);
            }
            StoredQuery q = store.forSet("tech_v2").timeframe("1m").secids(secids);
            List<BuildRecord> builds = q.build();
            List<FeatureFrame> frames = new ArrayList<>();
            for (String s : secids) {
                frames.add(q.secid(s).frame());
            }
            assertThat(frames).allSatisfy(f -> assertThat(f.size()).isGreaterThan(500));

            Map<String, Long> starts = SnapshotLog.historyStarts(store.storage(), frames);
            for (BuildRecord b : builds) {
                assertThat(starts.get(b.secid())).isEqualTo(b.historyStartTs());
            }
            SnapshotMetadata meta = SnapshotLog.metadata(frames, starts, "test");
            assertThat(meta.features()).isEqualTo(store.registry().featureSet("tech_v2").features());
            assertThat(meta.historyStartTs()).isEqualTo(starts.values().stream().mapToLong(Long::longValue).min()
                    .orElseThrow());
            assertThat(meta.sourceToTs()).isEqualTo(frames.stream().mapToLong(f -> f.ts(f.size() - 1)).max()
                    .orElseThrow());

            List<SnapshotRecord> records = SnapshotExporter.builder().format("parquet").build()
                    .export(dir, frames, meta);
            DuckDb.assertHolds(Path.of(records.get(0).path()), frames, meta);
            ParquetSnapshotFormatTest.assertSameFrames(SnapshotExporter.read(records.get(0)), frames);

            assertThatThrownBy(() -> SnapshotLog.historyStarts(store.storage(),
                    List.of(q.secid("LKOH").frame())))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("LKOH")
                    .hasMessageContaining("build()");
        }
    }
}
