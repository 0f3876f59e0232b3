package dev.featurestore.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.StoredQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.pipeline.PipelineResult;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.source.CsvCandleSource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("1d candles of a store whose registry names exchange.timezone: America/New_York (DST)")
class ExchangeDaysStoreTest {
    private static final Timeframe D1 = Timeframe.parse("1d");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDate FIRST = LocalDate.of(2024, 3, 1);
    private static final LocalDate LAST = LocalDate.of(2024, 11, 10);

    private Store store;
    private ExchangeCalendar calendar;

    @BeforeEach
    void open() throws URISyntaxException {
        Path registry = Path.of(getClass().getResource("/registry/new_york_daily.yaml").toURI());
        store = FeatureStore.builder().registry(registry).build();
        calendar = store.registry().calendar();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** One daily candle per calendar day, keyed at 09:30 New York time (inside its day). */
    private static CandleSeries sessionOpens() {
        CandleSeries.Builder b = CandleSeries.builder("AAPL").timeframe(D1);
        int i = 0;
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1), i++) {
            double open = 170 + 5 * Math.sin(i * 0.37);
            double close = open * (1 + 0.01 * Math.cos(i * 0.91));
            b.add(d.atTime(LocalTime.of(9, 30)).atZone(NEW_YORK).toInstant().toEpochMilli(), open,
                    Math.max(open, close) + 0.5 + (i % 3) * 0.1, Math.min(open, close) - 0.4, close, 1e6 + i);
        }
        return b.build();
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    @DisplayName("upserted candles are keyed by the start of their New York day: 23 h and 25 h apart at the changeovers")
    void storedOnDayStarts() {
        CandleSeries source = sessionOpens();
        store.candles().upsert(source);
        CandleSeries stored = store.candles().readAll("AAPL", D1);
        assertThat(stored.size()).isEqualTo(source.size());
        LocalDate d = FIRST;
        for (int i = 0; i < stored.size(); i++, d = d.plusDays(1)) {
            assertThat(stored.ts(i)).as("row %d", i).isEqualTo(d.atStartOfDay(NEW_YORK).toInstant().toEpochMilli());
        }
        assertThat(stored.closes()).containsExactly(source.closes());
        int mar10 = (int) (LocalDate.of(2024, 3, 10).toEpochDay() - FIRST.toEpochDay());
        int nov3 = (int) (LocalDate.of(2024, 11, 3).toEpochDay() - FIRST.toEpochDay());
        assertThat(stored.ts(mar10)).isEqualTo(ms("2024-03-10T05:00:00Z"));
        assertThat(Duration.ofMillis(stored.ts(mar10 + 1) - stored.ts(mar10))).isEqualTo(Duration.ofHours(23));
        assertThat(stored.ts(nov3)).isEqualTo(ms("2024-11-03T04:00:00Z"));
        assertThat(Duration.ofMillis(stored.ts(nov3 + 1) - stored.ts(nov3))).isEqualTo(Duration.ofHours(25));
        // the same days upserted again, keyed otherwise inside each day, change nothing
        assertThat(store.candles().upsert(stored).unchanged()).isEqualTo(stored.size());
    }

    @ParameterizedTest(name = "as of {0}: newest row {1}")
    @CsvSource({
        // Sunday 10 March lasts 23 hours; its candle is known at 11 March 00:00 EDT = 04:00Z, not at ts + 24 h
        "2024-03-11T03:59:59.999Z, 2024-03-09T05:00:00Z",
        "2024-03-11T04:00:00Z, 2024-03-10T05:00:00Z",
        "2024-03-11T04:59:59.999Z, 2024-03-10T05:00:00Z",
        // Sunday 3 November lasts 25 hours; its candle is not known before 4 November 00:00 EST = 05:00Z
        "2024-11-04T04:00:00Z, 2024-11-02T04:00:00Z",
        "2024-11-04T04:59:59.999Z, 2024-11-02T04:00:00Z",
        "2024-11-04T05:00:00Z, 2024-11-03T04:00:00Z"})
    @DisplayName("as-of reads around both DST changes see a day's candle exactly from the next day's start")
    void asOfAroundChangeovers(String asOf, String newest) {
        CandleSeries source = sessionOpens();
        store.candles().upsert(source);
        StoredQuery q = store.forSet("daily_v1").timeframe(D1).secid("AAPL");
        q.build();
        Instant t = Instant.parse(asOf);
        FeatureWindow fetched = q.window(1).asOf(t).fetch();
        assertThat(fetched.ts(0)).isEqualTo(ms(newest));
        FeatureFrame frame = q.asOf(t).frame();
        assertThat(frame.ts(frame.size() - 1)).isEqualTo(ms(newest));
        FeatureWindow computed = store.forSet("daily_v1").timeframe(D1).window(1).asOf(t).latest(source);
        assertThat(computed.ts(0)).isEqualTo(ms(newest));
        assertThat(computed.get(0, 0)).isEqualTo(fetched.get(0, 0));
        assertThat(calendar.availableAt(D1, ms(newest))).isLessThanOrEqualTo(t.toEpochMilli());
    }

    @Test
    @DisplayName("a 1d range of N trading dates reads, ingests and builds exactly N candles")
    void rangeOfNDates(@TempDir Path dir) throws IOException {
        LocalDate from = LocalDate.of(2024, 3, 8);
        LocalDate to = LocalDate.of(2024, 3, 12); // five dates, across the spring change
        Instant a = calendar.rangeStart(D1, from);
        Instant b = calendar.rangeEnd(D1, to);
        assertThat(a).isEqualTo(Instant.parse("2024-03-08T05:00:00Z"));
        assertThat(b).isEqualTo(Instant.parse("2024-03-13T04:00:00Z"));

        // a CSV of the days keyed inside each New York day
        CandleSeries source = sessionOpens();
        List<String> lines = new ArrayList<>();
        lines.add("secid,ts,open,high,low,close,volume");
        for (int i = 0; i < source.size(); i++) {
            lines.add("AAPL," + Instant.ofEpochMilli(source.ts(i)) + "," + source.open(i) + "," + source.high(i)
                    + "," + source.low(i) + "," + source.close(i) + "," + source.volume(i));
        }
        Path csv = Files.write(dir.resolve("daily.csv"), lines, StandardCharsets.UTF_8);
        CsvCandleSource file = CsvCandleSource.of(csv, D1).exchangeZone(NEW_YORK);
        assertThat(store.ingest(file).secids("AAPL").timeframe(D1).between(a, b).run().total().inserted()).isEqualTo(5);
        assertThat(store.candles().read("AAPL", D1, a, b).size()).isEqualTo(5);

        // the whole file (the history before the range gives the warm-up), not resuming after 12 March
        store.ingest(file).secids("AAPL").timeframe(D1).between(calendar.rangeStart(D1, FIRST),
                calendar.rangeEnd(D1, LAST)).resume(false).run();
        assertThat(store.candles().read("AAPL", D1, a, b).size()).isEqualTo(5);
        PipelineResult built = Pipeline.forSet("daily_v1").timeframe(D1).secids("AAPL").between(a, b)
                .snapshotFileFormat().stages(Stage.BUILD).run(store);
        assertThat(built.stage(Stage.BUILD).orElseThrow().rows()).isEqualTo(5);
        FeatureFrame rows = store.forSet("daily_v1").timeframe(D1).secid("AAPL").frame();
        assertThat(rows.size()).isEqualTo(5);
        assertThat(rows.ts(0)).isEqualTo(a.toEpochMilli());
        assertThat(rows.ts(4)).isEqualTo(ms("2024-03-12T04:00:00Z"));
    }

    @Test
    @DisplayName("daily features over the same candles keep their values bit for bit, whatever the source's ts")
    void valuesUnchanged() {
        CandleSeries source = sessionOpens();
        FeatureFrame before = store.forSet("daily_v1").timeframe(D1).compute(source);
        store.candles().upsert(source);
        store.forSet("daily_v1").timeframe(D1).secid("AAPL").build();
        FeatureFrame after = store.forSet("daily_v1").timeframe(D1).secid("AAPL").frame();
        assertThat(after.size()).isEqualTo(before.size());
        for (int j = 0; j < before.featureNames().size(); j++) {
            for (int r = 0; r < before.size(); r++) {
                assertThat(Double.doubleToRawLongBits(after.value(r, j)))
                        .as("%s row %d", before.featureNames().get(j), r)
                        .isEqualTo(Double.doubleToRawLongBits(before.value(r, j)));
            }
        }
        assertThat(after.ts(0)).isEqualTo(calendar.tradingDayStart(before.ts(0)));
    }
}
