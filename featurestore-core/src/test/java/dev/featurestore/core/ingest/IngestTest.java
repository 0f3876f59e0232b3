package dev.featurestore.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Ingest: a resumable backfill from a candle source")
class IngestTest {
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH");
    private static final SyntheticCandles GEN = SyntheticCandles.seed(7).start(LocalDate.of(2024, 3, 4)).tradingDays(4);
    private static final Instant FROM = GEN.firstTradingDay().atStartOfDay(SyntheticCandles.MOSCOW).toInstant();
    private static final Instant TO = GEN.end();

    /** A real source that stops with a network-like error after a number of pages, like a dropped connection. */
    private static final class FailingSource implements CandleSource {
        private final CandleSource inner;
        private final AtomicInteger pagesLeft;

        FailingSource(CandleSource inner, int pages) {
            this.inner = inner;
            this.pagesLeft = new AtomicInteger(pages);
        }

        @Override
        public String name() {
            return "failing";
        }

        @Override
        public Set<Timeframe> nativeTimeframes() {
            return inner.nativeTimeframes();
        }

        @Override
        public InputStats stream(String secid, Timeframe timeframe, Instant from, Instant to,
                Consumer<CandleSeries> pages) {
            return inner.stream(secid, timeframe, from, to, page -> {
                if (pagesLeft.getAndDecrement() <= 0) {
                    throw new SourceException("failing", "test://" + secid, "connection reset", null);
                }
                pages.accept(page);
            });
        }
    }

    static Stream<Long> seeds() {
        return LongStream.range(0, 8).map(i -> 1000 + i * 7919).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A run that fails after some pages, run again, stores exactly what one clean run stores")
    void resumeAfterFailureEqualsCleanRun(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int pageSize = 50 + rnd.nextInt(700);
        SyntheticCandleSource source = SyntheticCandleSource.of(GEN.tradingDays(1 + rnd.nextInt(4))).pageSize(pageSize);
        long totalPages = SECIDS.stream().mapToLong(s -> (source.fetch(s, M1, FROM, TO).size() + pageSize - 1L) / pageSize)
                .sum();
        int failAfter = rnd.nextInt((int) totalPages);
        try (Store clean = FeatureStore.builder().build(); Store crashed = FeatureStore.builder().build()) {
            IngestResult once = clean.ingest(source).secids(SECIDS).timeframe(M1).between(FROM, TO).run();
            assertThat(once.total().inserted()).as("seed %d", seed).isPositive();
            assertThat(once.total().replaced() + once.total().unchanged()).isZero();

            assertThatThrownBy(() -> crashed.ingest(new FailingSource(source, failAfter)).secids(SECIDS).timeframe(M1)
                    .between(FROM, TO).run()).isInstanceOf(SourceException.class).hasMessageContaining("connection reset");
            long partial = SECIDS.stream().mapToLong(s -> crashed.candles().readAll(s, M1).size()).sum();
            long expectedPartial = 0;
            long remaining = failAfter;
            for (String s : SECIDS) {
                long n = clean.candles().readAll(s, M1).size();
                long take = Math.min(remaining, (n + pageSize - 1) / pageSize);
                expectedPartial += Math.min(take * pageSize, n);
                remaining -= take;
            }
            assertThat(partial).as("seed %d: the pages before the failure stay stored", seed)
                    .isEqualTo(expectedPartial).isLessThan(once.total().inserted());

            // The secids the failed run stored candles of, counted in the storage before the rerun.
            long resumable = SECIDS.stream().filter(s -> crashed.candles().readAll(s, M1).size() > 0).count();
            IngestResult again = crashed.ingest(source).secids(SECIDS).timeframe(M1).between(FROM, TO).run();
            assertThat(again.total().replaced()).as("seed %d", seed).isZero();
            assertThat(again.total().inserted()).as("seed %d: only the missing candles are new", seed)
                    .isEqualTo(once.total().inserted() - partial);
            assertThat(again.total().unchanged()).as("seed %d: one re-read candle per secid with stored candles", seed)
                    .isEqualTo(resumable);
            assertThat(again.secids().values().stream().filter(s -> s.resumedFrom() != null).count())
                    .as("seed %d: secids resumed", seed).isEqualTo(resumable);
            for (String s : SECIDS) {
                assertSameCandles(crashed.candles().readAll(s, M1), clean.candles().readAll(s, M1), seed);
            }
        }
    }

    @Test
    @DisplayName("Ingesting twice stores every candle once; the second run only re-reads the last candle of each secid")
    void ingestTwiceStoresOnce() {
        SyntheticCandleSource source = SyntheticCandleSource.of(GEN).pageSize(300);
        try (Store store = FeatureStore.builder().build()) {
            IngestResult first = store.ingest(source).secids(SECIDS).timeframe("1m").between(FROM, TO).run();
            IngestResult second = store.ingest(source).secids(SECIDS).timeframe("1m").between(FROM, TO).run();
            assertThat(second.total()).isEqualTo(new UpsertResult(0, 0, SECIDS.size()));
            for (String s : SECIDS) {
                CandleSeries stored = store.candles().readAll(s, M1);
                assertThat((long) stored.size()).isEqualTo(first.upserts().get(s).inserted());
                assertThat(second.secids().get(s).resumedFrom()).isEqualTo(Instant.ofEpochMilli(stored.ts(stored.size() - 1)));
                assertSameCandles(stored, GEN.generate(s), 0);
            }
            IngestResult full = store.ingest(source).secids(SECIDS).timeframe("1m").between(FROM, TO).resume(false).run();
            assertThat(full.total().inserted() + full.total().replaced()).isZero();
            assertThat(full.total().unchanged()).isEqualTo(first.total().inserted());
            assertThat(full.secids().values()).allSatisfy(s -> assertThat(s.resumedFrom()).isNull());
            assertThat(full.inputStats().get("SBER").rowsRead()).isEqualTo(first.upserts().get("SBER").inserted());
        }
    }

    @Test
    @DisplayName("A wider range later fetches only what lies after the last stored candle")
    void extendsRange() {
        SyntheticCandleSource source = SyntheticCandleSource.of(GEN);
        Instant mid = GEN.firstTradingDay().plusDays(1).atTime(12, 0).atZone(SyntheticCandles.MOSCOW).toInstant();
        try (Store store = FeatureStore.builder().build()) {
            store.ingest(source).secids("SBER").timeframe("1m").between(FROM, mid).run();
            long before = store.candles().readAll("SBER", M1).size();
            IngestResult more = store.ingest(source).secids("SBER").timeframe("1m").between(FROM, TO).run();
            // the candles after the last stored one, and that one again
            assertThat(more.secids().get("SBER").input().rowsRead()).isEqualTo(GEN.generate("SBER").size() - before + 1);
            assertThat(more.total().inserted()).isEqualTo(GEN.generate("SBER").size() - before);
            assertSameCandles(store.candles().readAll("SBER", M1), GEN.generate("SBER"), 0);
        }
    }

    @Test
    @DisplayName("The listener hears, on the calling thread, the start, candles stored per secid of the total the "
            + "source expects, and the end of the stage")
    void reportsProgress() {
        List<String> heard = new ArrayList<>();
        Thread caller = Thread.currentThread();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void stageStarted(Stage stage, List<String> secids) {
                heard.add("start " + stage.label() + " " + secids);
            }

            @Override
            public void advanced(Stage stage, String secid, long done, long total) {
                heard.add(secid + " " + done + " " + total + (Thread.currentThread() == caller ? "" : " elsewhere"));
            }

            @Override
            public void secidFinished(Stage stage, String secid, long rows) {
                heard.add("done " + secid + " " + rows);
            }

            @Override
            public void stageFinished(Stage stage, Duration took) {
                heard.add("end " + stage.label());
            }
        };
        SyntheticCandleSource source = SyntheticCandleSource.of(GEN.tradingDays(1)).pageSize(200);
        int n = GEN.tradingDays(1).generate("SBER").size();
        try (Store store = FeatureStore.builder().build()) {
            store.ingest(source).secids("SBER").timeframe("1m").between(FROM, TO).listener(listener).run();
        }
        List<String> expected = new ArrayList<>();
        expected.add("start ingest [SBER]");
        long total = GEN.tradingDays(1).maxCandles(); // the session minutes of the day, a few without a candle
        assertThat(n).isLessThan((int) total);
        for (int done = 200; done < n; done += 200) {
            expected.add("SBER " + done + " " + total);
        }
        expected.add("SBER " + n + " " + total);
        expected.add("done SBER " + n);
        expected.add("end ingest");
        assertThat(heard).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("Missing secids, timeframe or range are named at run(); a timeframe the source lacks is an argument error")
    void validatesAtRun() {
        SyntheticCandleSource source = SyntheticCandleSource.of(GEN);
        try (Store store = FeatureStore.builder().build()) {
            assertThatThrownBy(() -> store.ingest(source).timeframe("1m").between(FROM, TO).run())
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("secids");
            assertThatThrownBy(() -> store.ingest(source).secids("SBER").between(FROM, TO).run())
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("timeframe");
            assertThatThrownBy(() -> store.ingest(source).secids("SBER").timeframe("1m").run())
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("between");
            assertThatThrownBy(() -> store.ingest(source).secids("SBER").timeframe("5m").between(FROM, TO).run())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5m");
            assertThatThrownBy(() -> store.ingest(source).between(TO, FROM))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
            assertThatThrownBy(() -> store.ingest(source).secids(List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.candles().timeframes("SBER")).isEmpty();
        }
    }

    @Test
    @DisplayName("A CSV source without secids or range ingests every secid of the file over its whole range, as the CLI does")
    void csvDefaultsToTheWholeFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        List<String> lines = new ArrayList<>(List.of("secid,ts,open,high,low,close,volume"));
        for (String secid : List.of("SBER", "GAZP")) {
            for (int i = 0; i < 50; i++) {
                lines.add(secid + "," + FROM.plusSeconds(60L * i) + ",10,13,9," + (10 + i % 3) + ",100");
            }
        }
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("candles.csv"), lines);
        dev.featurestore.core.source.CsvCandleSource csv = dev.featurestore.core.source.CsvCandleSource.of(file,
                Timeframe.ONE_MINUTE);
        CandleSource.Extent held = csv.extent().orElseThrow();
        assertThat(held.secids()).containsExactlyInAnyOrder("SBER", "GAZP");
        assertThat(held.from()).isEqualTo(FROM);
        assertThat(held.to()).isEqualTo(FROM.plusSeconds(60L * 50)); // the close of the last candle
        try (Store whole = FeatureStore.builder().build(); Store explicit = FeatureStore.builder().build()) {
            IngestResult a = whole.ingest(csv).timeframe("1m").run();
            IngestResult b = explicit.ingest(csv).secids("SBER", "GAZP").timeframe("1m")
                    .between(FROM, FROM.plusSeconds(60L * 50)).run();
            assertThat(a.total().inserted()).isEqualTo(100).isEqualTo(b.total().inserted());
            for (String secid : List.of("SBER", "GAZP")) {
                assertSameCandles(whole.candles().readAll(secid, Timeframe.ONE_MINUTE),
                        explicit.candles().readAll(secid, Timeframe.ONE_MINUTE), 0);
            }
            // secids given, range left out: the file's range for those secids only
            try (Store one = FeatureStore.builder().build()) {
                assertThat(one.ingest(csv).secids("GAZP").timeframe("1m").run().secids()).containsOnlyKeys("GAZP");
                assertThat(one.candles().readAll("GAZP", Timeframe.ONE_MINUTE).size()).isEqualTo(50);
                assertThat(one.candles().timeframes("SBER")).isEmpty();
            }
        }
    }

    private static void assertSameCandles(CandleSeries actual, CandleSeries expected, long seed) {
        assertThat(actual.timestamps()).as("seed %d ts of %s", seed, expected.secid()).isEqualTo(expected.timestamps());
        assertThat(actual.opens()).as("seed %d open", seed).isEqualTo(expected.opens());
        assertThat(actual.highs()).as("seed %d high", seed).isEqualTo(expected.highs());
        assertThat(actual.lows()).as("seed %d low", seed).isEqualTo(expected.lows());
        assertThat(actual.closes()).as("seed %d close", seed).isEqualTo(expected.closes());
        assertThat(actual.volumes()).as("seed %d volume", seed).isEqualTo(expected.volumes());
    }
}
