package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.RandomCandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SQLite build killed mid-way")
class SqliteKillTest {
    private static final Timeframe M5 = Timeframe.parse("5m");

    @TempDir
    Path dir;

    @Test
    @DisplayName("A process halted after staging half of a build's rows leaves the previous state intact")
    void haltedBuildLeavesNothing() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("kill.db");
        FeatureFrame before;
        FeatureWindow windowBefore;
        try (Store store = FeatureStore.builder().storage(url).build()) {
            CandleSeries series = RandomCandles.series("SBER", M5, 20_000, 77);
            store.candles().upsert(series);
            store.forSet("tech_v2").timeframe(M5).secid("SBER").build();
            before = store.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
            windowBefore = store.forSet("tech_v2").timeframe(M5).window(120).secid("SBER").fetchLatest();
        }
        Path out = dir.resolve("child.out");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillMidBuild.class.getName(), url, "SBER"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child output:%n%s", output).isEqualTo(KillMidBuild.HALTED);
        assertThat(output).contains("HALTING after row " + before.size() / 2);

        try (Store store = FeatureStore.builder().storage(url).build()) {
            FeatureFrame after = store.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
            assertThat(after.timestamps()).isEqualTo(before.timestamps());
            for (int j = 0; j < before.featureNames().size(); j++) {
                assertThat(after.column(j)).as(before.featureNames().get(j)).containsExactly(before.column(j));
            }
            FeatureWindow windowAfter = store.forSet("tech_v2").timeframe(M5).window(120).secid("SBER").fetchLatest();
            assertThat(windowAfter.toFlatArray()).containsExactly(windowBefore.toFlatArray());
            assertThat(store.storage().builds("tech_v2", M5, "SBER")).hasSize(1);
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }
}
