package dev.featurestore.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A stream's record starts after every recorded start of its series, so it never extends a build's record")
class StreamStartTest {
    private static BuildRecord startedAt(Instant t) {
        return new BuildRecord("tech_v2", Timeframe.parse("5m"), "SBER", 0, 300_000, 0, 1, 120, t, t,
                BuildRecord.Status.COMPLETED, "a".repeat(64));
    }

    @Test
    @DisplayName("a build recorded in this millisecond: the stream's start is a later millisecond, and not far later")
    void laterThanABuildOfTheSameMillisecond() {
        for (int i = 0; i < 200; i++) {
            Instant build = Instant.now();
            Instant stream = StoredQuery.startAfterRecorded(List.of(startedAt(Instant.EPOCH), startedAt(build)));
            assertThat(stream.toEpochMilli()).as("try %d", i).isGreaterThan(build.toEpochMilli());
            assertThat(stream).isEqualTo(stream.truncatedTo(ChronoUnit.MILLIS))
                    .isBefore(Instant.now().plusMillis(1));
        }
    }

    @Test
    @DisplayName("no record, or one far ahead of the clock: the start is now, without waiting for it")
    void nowOtherwise() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(StoredQuery.startAfterRecorded(List.of())).isBetween(before, Instant.now());
        Instant ahead = Instant.now().plusSeconds(3_600);
        assertThat(StoredQuery.startAfterRecorded(List.of(startedAt(ahead)))).isBetween(before, Instant.now());
    }
}
