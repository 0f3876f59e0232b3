package dev.featurestore.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.DatasetQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.dataset.Dataset;
import dev.featurestore.core.dataset.DatasetSplit;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.dataset.Normalization;
import dev.featurestore.core.dataset.Split;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotFormats;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Dataset export: one Parquet file per split, read back with the library and with DuckDB")
class DatasetExportTest {
    private static final int W = 24;

    @TempDir
    Path dir;

    @Test
    @DisplayName("every split's rows, labels and metadata come back bit for bit, and the audit log keeps the "
            + "normalization loadable by id")
    void roundTrip() throws Exception {
        List<String> secids = List.of("SBER", "GAZP");
        try (Store store = FeatureStore.builder().build()) {
            for (var series : SyntheticCandles.seed(5).tradingDays(6).generate(secids)) {
                store.candles().upsert(series);
            }
            store.forSet("tech_v2").timeframe("5m").secids(secids).build();
            long[] ts = store.forSet("tech_v2").timeframe("5m").secid("SBER").frame().timestamps();
            Instant a = Instant.ofEpochMilli(ts[0]);
            Instant b = Instant.ofEpochMilli(ts[ts.length / 2]);
            Instant c = Instant.ofEpochMilli(ts[ts.length * 3 / 4]);
            Instant d = Instant.ofEpochMilli(ts[ts.length - 1] + 1);
            DatasetQuery q = store.forSet("tech_v2").timeframe("5m").secids(secids).window(W)
                    .labels("fwd_ret_12", "fwd_sign_12").split(Split.train(a, b), Split.valid(b, c), Split.test(c, d))
                    .normalize(Normalization.robustZScore().clip(5));
            Dataset ds = q.dataset();
            List<SnapshotRecord> records = q.export("parquet", dir);
            assertThat(records).hasSize(6);
            FittedNormalization norm = ds.normalization().orElseThrow();
            assertThat(store.snapshots().normalization(norm.id())).contains(norm);
            assertThat(store.snapshots().ofDataset(ds.fingerprint())).hasSize(6);
            for (int code = 0; code < 3; code++) {
                DatasetSplit split = ds.splits().get(code);
                assertThat(split.count()).isPositive();
                SnapshotRecord r = records.get(2 * code);
                assertThat(r.dataset().split()).isEqualTo(split.name());
                assertThat(r.dataset().splitFromTs()).isEqualTo(split.split().fromMs());
                assertThat(r.dataset().labels()).contains("fwd_ret_12 = forward_return(h=12)",
                        "fwd_sign_12 = sign(h=12, threshold=0.001)");
                assertThat(r.dataset().normalizationSha256()).isEqualTo(norm.sha256());
                Path file = Path.of(r.path());
                assertThat(file.getFileName().toString()).matches("[0-9]{8}\\." + split.name() + "\\.parquet");
                assertThat(file.getParent().toString()).endsWith("tech_v2/5m");

                // the library reads back exactly the rows written, metadata with them
                // the file holds secid after secid in name order
                List<FeatureFrame> written = new java.util.ArrayList<>(split.exportFrames(code));
                written.sort(java.util.Comparator.comparing(FeatureFrame::secid));
                SnapshotMetadata meta = SnapshotFormats.byName("parquet").readMetadata(file);
                assertThat(meta.extra()).containsEntry("dataset.split", split.name())
                        .containsEntry("dataset.values", "normalized")
                        .containsEntry("dataset.normalization_id", norm.id())
                        .containsEntry("dataset.fingerprint", ds.fingerprint())
                        .containsEntry("dataset.window", Integer.toString(W));
                assertThat(FittedNormalization.fromJson(meta.extra().get("dataset.normalization"))).isEqualTo(norm);
                ParquetSnapshotFormatTest.assertSameFrames(SnapshotExporter.read(r), written);

                // DuckDB sees the same rows, and each sample's W rows ending at it are its window
                DuckDb.assertHolds(file, written, meta);
                assertWindowsAndLabels(file, split);
            }
        }
    }

    private static void assertWindowsAndLabels(Path file, DatasetSplit split) throws Exception {
        Map<String, Integer> sampleIndex = new HashMap<>();
        for (int n = 0; n < split.count(); n++) {
            sampleIndex.put(split.secid(n) + "@" + split.endTs(n), n);
        }
        String f0 = split.featureNames().get(0);
        String f5 = split.featureNames().get(5);
        double[] ret = split.labels("fwd_ret_12");
        double[] sign = split.labels("fwd_sign_12");
        int seen = 0;
        try (Connection c = DuckDb.open(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT secid, epoch_ms(ts) AS t, sample, fwd_ret_12, fwd_sign_12, " + f0 + ", " + f5
                        + ", list(" + f0 + ") OVER w AS win0, list(" + f5 + ") OVER w AS win5 FROM read_parquet("
                        + DuckDb.lit(file) + ") WINDOW w AS (PARTITION BY secid ORDER BY ts ROWS BETWEEN " + (W - 1)
                        + " PRECEDING AND CURRENT ROW) ORDER BY secid, ts")) {
            while (rs.next()) {
                if (rs.getInt("sample") == 0) {
                    assertThat(rs.getDouble("fwd_ret_12")).isNaN();
                    continue;
                }
                Integer n = sampleIndex.get(rs.getString("secid") + "@" + rs.getLong("t"));
                assertThat(n).as("a sample row of the file is a sample of the split").isNotNull();
                assertThat(rs.getDouble("fwd_ret_12")).isEqualTo(ret[n]);
                assertThat(rs.getDouble("fwd_sign_12")).isEqualTo(sign[n]);
                Object[] win0 = (Object[]) rs.getArray("win0").getArray();
                Object[] win5 = (Object[]) rs.getArray("win5").getArray();
                assertThat(win0).hasSize(W);
                for (int r = 0; r < W; r++) {
                    assertThat((Double) win0[r]).isEqualTo(split.get(n, r, 0));
                    assertThat((Double) win5[r]).isEqualTo(split.get(n, r, 5));
                }
                seen++;
            }
        }
        assertThat(seen).isEqualTo(split.count());
    }
}
