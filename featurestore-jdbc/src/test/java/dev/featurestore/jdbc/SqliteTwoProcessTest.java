package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.RandomCandles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SQLite shared by two processes")
class SqliteTwoProcessTest {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    @DisplayName("tech_v1 built by a second JVM while this one builds tech_v2 on the same file: both complete, every row present")
    void twoProcessesBuildTwoSets() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        List<String> secids = List.of("A", "B", "C", "D");
        List<CandleSeries> candles = new ArrayList<>();
        try (Store store = FeatureStore.builder().storage(url).build()) {
            for (int i = 0; i < secids.size(); i++) {
                CandleSeries s = RandomCandles.series(secids.get(i), M1, 8000, 500 + i);
                candles.add(s);
                store.candles().upsert(s);
            }
        }

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BuildInAnotherProcess.class.getName(), url, "tech_v1", "5m",
                Integer.toString(ROUNDS)));
        command.addAll(secids);
        Path out = dir.resolve("child.out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();

        try (Store store = FeatureStore.builder().storage(url).build()) {
            for (int r = 0; r < ROUNDS; r++) {
                assertThat(store.forSet("tech_v2").timeframe(M5).secids(secids).build()).hasSize(secids.size());
            }
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
            String childOutput = read(out);
            assertThat(child.exitValue()).as("child exit; output:%n%s", childOutput).isZero();

            long expectedV1Rows = 0;
            for (CandleSeries s : candles) {
                FeatureFrame v1 = store.forSet("tech_v1").timeframe(M5).compute(s);
                FeatureFrame v2 = store.forSet("tech_v2").timeframe(M5).compute(s);
                expectedV1Rows += v1.size();
                assertSame(store.forSet("tech_v1").timeframe(M5).secid(s.secid()).frame(), v1);
                assertSame(store.forSet("tech_v2").timeframe(M5).secid(s.secid()).frame(), v2);
                assertThat(store.storage().builds("tech_v1", M5, s.secid())).hasSize(ROUNDS)
                        .allMatch(b -> b.status() == BuildRecord.Status.COMPLETED);
                assertThat(store.storage().builds("tech_v2", M5, s.secid())).hasSize(ROUNDS);
            }
            assertThat(childOutput).contains("BUILT " + expectedV1Rows * ROUNDS);
        } finally {
            child.destroyForcibly();
        }
    }

    private static void assertSame(FeatureFrame actual, FeatureFrame expected) {
        assertThat(actual.timestamps()).isEqualTo(expected.timestamps());
        for (int j = 0; j < expected.featureNames().size(); j++) {
            double[] a = actual.column(j);
            double[] e = expected.column(j);
            for (int r = 0; r < e.length; r++) {
                assertThat(Double.doubleToRawLongBits(a[r])).isEqualTo(Double.doubleToRawLongBits(e[r]));
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
