package dev.featurestore.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.Timeframe;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The records of a stored stream: BuildRecord.continues and StreamCheckpoint")
class StreamRecordsTest {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final String FP = "a".repeat(64);
    private static final Instant STARTED = Instant.parse("2024-01-02T10:00:00.123456Z");

    private static BuildRecord row(long ts, Instant startedAt, String fingerprint) {
        return new BuildRecord("tech_v2", M5, "SBER", ts, ts + 300_000, 0, 1, 120, startedAt, startedAt,
                BuildRecord.Status.COMPLETED, fingerprint);
    }

    @Test
    @DisplayName("a later row of the same stream continues its record; another stream, set, fingerprint or an overlap does not")
    void continues() {
        BuildRecord first = row(0, STARTED, FP);
        assertThat(row(300_000, STARTED, FP).continues(first)).isTrue();
        assertThat(row(900_000, STARTED, FP).continues(first)).as("after a gap").isTrue();
        // storages keep the start time to the millisecond
        assertThat(row(300_000, Instant.parse("2024-01-02T10:00:00.123Z"), FP).continues(first)).isTrue();
        assertThat(row(300_000, STARTED.plusMillis(1), FP).continues(first)).as("another stream").isFalse();
        assertThat(row(300_000, STARTED, "b".repeat(64)).continues(first)).as("another fingerprint").isFalse();
        assertThat(row(0, STARTED, FP).continues(first)).as("an overlap").isFalse();
        assertThat(row(300_000, STARTED, FP).continues(first.failed(STARTED))).as("after a failure").isFalse();
        BuildRecord otherSet = new BuildRecord("tech_v1", M5, "SBER", 300_000, 600_000, 0, 1, 120, STARTED, STARTED,
                BuildRecord.Status.COMPLETED, FP);
        assertThat(otherSet.continues(first)).isFalse();
        BuildRecord otherWindow = new BuildRecord("tech_v2", M5, "SBER", 300_000, 600_000, 0, 1, 60, STARTED,
                STARTED, BuildRecord.Status.COMPLETED, FP);
        assertThat(otherWindow.continues(first)).isFalse();
    }

    @Test
    @DisplayName("a checkpoint copies its state, compares it by content and checks its fingerprint")
    void checkpoint() {
        byte[] state = {1, 2, 3};
        StreamCheckpoint c = new StreamCheckpoint("tech_v2", M5, "SBER", 42, FP, state, STARTED);
        state[0] = 9;
        assertThat(c.state()).containsExactly(1, 2, 3);
        c.state()[1] = 9;
        assertThat(c.state()).containsExactly(1, 2, 3);
        StreamCheckpoint same = new StreamCheckpoint("tech_v2", M5, "SBER", 42, FP, new byte[] {1, 2, 3}, STARTED);
        assertThat(c).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(c).isNotEqualTo(new StreamCheckpoint("tech_v2", M5, "SBER", 42, FP, new byte[] {1, 2}, STARTED));
        assertThat(c.toString()).contains("tech_v2", "SBER", "3 bytes");
        assertThatThrownBy(() -> new StreamCheckpoint("tech_v2", M5, "SBER", 42, "ABC", state, STARTED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ABC'");
        assertThatThrownBy(() -> new StreamCheckpoint("tech_v2", M5, "SBER", 42, FP, null, STARTED))
                .isInstanceOf(NullPointerException.class);
    }
}
