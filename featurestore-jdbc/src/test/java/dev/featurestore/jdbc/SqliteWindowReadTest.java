package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.testkit.RandomCandles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SQLite window reads from the driver's statement, kept per connection")
class SqliteWindowReadTest {
    private static final Timeframe M5 = Timeframe.parse("5m");

    @TempDir
    Path dir;

    @Test
    @DisplayName("equal the stored rows bit for bit, see what another store wrote since, and hold no read transaction")
    void keptStatements() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("fs.db");
        CandleSeries all = RandomCandles.series("SBER", M5, 1_200, 7);
        try (Store reader = FeatureStore.builder().storage(url).build();
                Store writer = FeatureStore.builder().storage(url).build()) {
            SplittableRandom random = new SplittableRandom(11);
            int stored = 400;
            writer.candles().upsert(all.slice(0, stored));
            writer.forSet("tech_v2").timeframe(M5).secid("SBER").build();
            for (int round = 0; round < 8; round++) {
                FeatureFrame frame = reader.forSet("tech_v2").timeframe(M5).secid("SBER").frame();
                for (int k = 0; k < 25; k++) {
                    int last = 119 + random.nextInt(frame.size() - 119);
                    FeatureWindow w = reader.forSet("tech_v2").timeframe(M5).secid("SBER").window(120)
                            .asOf(Instant.ofEpochMilli(frame.ts(last) + M5.millis())).fetch();
                    for (int i = 0; i < 120; i++) {
                        int r = last - 119 + i;
                        assertThat(w.ts(i)).isEqualTo(frame.ts(r));
                        for (int j = 0; j < w.features(); j++) {
                            assertThat(Double.doubleToRawLongBits(w.get(i, j))).as("round %d row %d feature %d", round,
                                    r, j).isEqualTo(Double.doubleToRawLongBits(frame.value(r, j)));
                        }
                    }
                }
                assertThat(checkpointBusy(url)).as("round %d: a reader holds the WAL", round).isZero();
                // Another store adds candles and rows; the next fetch of the newest window has them.
                int more = stored + 50 + random.nextInt(50);
                writer.candles().upsert(all.slice(stored, more));
                writer.forSet("tech_v2").timeframe(M5).secid("SBER").build();
                stored = more;
                FeatureWindow newest = reader.forSet("tech_v2").timeframe(M5).secid("SBER").window(120)
                        .asOf(Instant.ofEpochMilli(all.ts(stored - 1) + M5.millis())).fetch();
                assertThat(newest.ts(119)).as("round %d", round).isEqualTo(all.ts(stored - 1));
            }
        }
    }

    /** {@code PRAGMA wal_checkpoint(TRUNCATE)}'s busy flag: 1 when a reader keeps the WAL from being reset. */
    private static int checkpointBusy(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }
}
