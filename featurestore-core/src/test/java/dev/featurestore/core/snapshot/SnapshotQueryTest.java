package dev.featurestore.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Snapshot query")
class SnapshotQueryTest {
    private static final String SHA = "a".repeat(64);

    private static SnapshotRecord record(String set, String tf, String secid, String path, String sha) {
        return new SnapshotRecord(secid, Timeframe.parse(tf), set, 10, path, "parquet", sha, 0, 9, 0,
                Instant.parse("2026-01-01T00:00:00Z"), "v");
    }

    @Test
    @DisplayName("each criterion narrows the match, unset criteria match anything")
    void matches() {
        SnapshotRecord r = record("tech_v2", "5m", "SBER", "data/tech_v2/5m/20260302.parquet", SHA);
        assertThat(SnapshotQuery.all().matches(r)).isTrue();
        assertThat(SnapshotQuery.all().featureSet("tech_v2").timeframe(Timeframe.parse("5m")).secid("SBER")
                .date(LocalDate.of(2026, 3, 2)).sha256(SHA).matches(r)).isTrue();
        assertThat(SnapshotQuery.all().featureSet("tech_v1").matches(r)).isFalse();
        assertThat(SnapshotQuery.all().timeframe(Timeframe.parse("1h")).matches(r)).isFalse();
        assertThat(SnapshotQuery.all().secid("GAZP").matches(r)).isFalse();
        assertThat(SnapshotQuery.all().date(LocalDate.of(2026, 3, 3)).matches(r)).isFalse();
        assertThat(SnapshotQuery.all().sha256("b".repeat(64)).matches(r)).isFalse();
    }

    @Test
    @DisplayName("the date comes from the YYYYMMDD file name, with either separator, and is absent otherwise")
    void fileDate() {
        assertThat(SnapshotQuery.fileDate("x/tech_v2/1m/20251231.feather")).isEqualTo(LocalDate.of(2025, 12, 31));
        assertThat(SnapshotQuery.fileDate("x\\tech_v2\\1m\\20260101.parquet")).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(SnapshotQuery.fileDate("20260230.parquet")).isNull();
        assertThat(SnapshotQuery.fileDate("x/notes.parquet")).isNull();
        assertThat(SnapshotQuery.fileDate("x/2026010.parquet")).isNull();
    }
}
