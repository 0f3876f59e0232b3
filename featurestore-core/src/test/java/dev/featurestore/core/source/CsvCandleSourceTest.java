package dev.featurestore.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.testing.TestCandles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("CsvCandleSource")
class CsvCandleSourceTest {
    private static final Instant MIN = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    @DisplayName("a 1d file keyed at 00:00Z is read onto the Moscow trading days; other zones by exchangeZone")
    void dailyOnTradingDays() throws IOException {
        Path file = write("d.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T00:00:00Z,100,101,99,100.5,10",
                "SBER,2024-01-09T00:00:00Z,100,101,99,100.5,11",
                "SBER,2024-01-10T12:00:00+03:00,100,101,99,100.5,12");
        Timeframe d1 = Timeframe.parse("1d");
        CandleSeries moscow = CsvCandleSource.of(file, d1).fetch("SBER", d1, MIN, MAX);
        assertThat(moscow.timestamps()).containsExactly(Instant.parse("2024-01-07T21:00:00Z").toEpochMilli(),
                Instant.parse("2024-01-08T21:00:00Z").toEpochMilli(), Instant.parse("2024-01-09T21:00:00Z").toEpochMilli());
        // the range applies to the trading days: 8 January in Moscow starts at 21:00Z on the 7th
        assertThat(CsvCandleSource.of(file, d1).fetch("SBER", d1, Instant.parse("2024-01-07T21:00:00Z"),
                Instant.parse("2024-01-08T21:00:00Z")).volumes()).containsExactly(10);
        CandleSeries newYork = CsvCandleSource.of(file, d1).exchangeZone(java.time.ZoneId.of("America/New_York"))
                .fetch("SBER", d1, MIN, MAX);
        assertThat(newYork.timestamps()).containsExactly(Instant.parse("2024-01-07T05:00:00Z").toEpochMilli(),
                Instant.parse("2024-01-08T05:00:00Z").toEpochMilli(), Instant.parse("2024-01-10T05:00:00Z").toEpochMilli());
    }

    @Test
    @DisplayName("two rows on one trading day count as a repeat (an error in strict mode); a ts without a day names line and column")
    void dailyRepeatsAndUnmappable() throws IOException {
        Timeframe d1 = Timeframe.parse("1d");
        Path twice = write("twice.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-07T21:00:00Z,100,101,99,100.5,10",
                "SBER,2024-01-08T00:00:00Z,100,101,99,100.5,11");
        CsvCandleSource source = CsvCandleSource.of(twice, d1);
        assertThat(source.fetch("SBER", d1, MIN, MAX).volumes()).containsExactly(11);
        assertThat(source.stream("SBER", d1, MIN, MAX, page -> { }).duplicates()).isEqualTo(1);
        assertThatThrownBy(() -> source.strict().fetch("SBER", d1, MIN, MAX)).isInstanceOfSatisfying(SourceException.class,
                e -> assertThat(e.line()).isEqualTo(3));
        Path edge = write("edge.csv", "secid,ts,open,high,low,close,volume",
                "SBER," + (Long.MIN_VALUE + 1) + ",100,101,99,100.5,10");
        assertThatThrownBy(() -> CsvCandleSource.of(edge, d1).readAll()).isInstanceOfSatisfying(SourceException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo("ts");
            assertThat(e.getMessage()).contains("SBER").contains("no trading day in Europe/Moscow");
        });
    }

    @Test
    @DisplayName("reads columns in any order and letter case, ignores extra columns, and parses ISO-8601 with Z or an offset and epoch milliseconds")
    void flexibleHeaderAndTimestamps() throws IOException {
        Path file = write("a.csv",
                "Volume,CLOSE,note,ts,High,low,Open,SecId",
                "100,10.5,x,2024-01-08T07:00:00Z,11,9.5,10,SBER",
                "200,10.7,y,2024-01-08T10:01:00+03:00,10.9,10.4,10.5,SBER",
                "300,10.6,z," + Instant.parse("2024-01-08T07:02:00Z").toEpochMilli() + ",10.8,10.5,10.7,SBER",
                "5,200,w,2024-01-08T07:00:00Z,201,199,200,GAZP");
        CsvCandleSource csv = CsvCandleSource.of(file, Timeframe.ONE_MINUTE);
        CandleSeries sber = csv.fetch("SBER", Timeframe.ONE_MINUTE, MIN, MAX);
        assertThat(sber.size()).isEqualTo(3);
        assertThat(sber.timestamps()).containsExactly(Instant.parse("2024-01-08T07:00:00Z").toEpochMilli(),
                Instant.parse("2024-01-08T07:01:00Z").toEpochMilli(), Instant.parse("2024-01-08T07:02:00Z").toEpochMilli());
        assertThat(sber.opens()).containsExactly(10, 10.5, 10.7);
        assertThat(sber.highs()).containsExactly(11, 10.9, 10.8);
        assertThat(sber.lows()).containsExactly(9.5, 10.4, 10.5);
        assertThat(sber.closes()).containsExactly(10.5, 10.7, 10.6);
        assertThat(sber.volumes()).containsExactly(100, 200, 300);
        assertThat(sber.timeframe()).contains(Timeframe.ONE_MINUTE);
        Map<String, CsvCandleSource.Secid> all = csv.readAll();
        assertThat(all).containsOnlyKeys("GAZP", "SBER");
        assertThat(all.get("GAZP").series().closes()).containsExactly(200);
        assertThat(all.get("SBER").stats()).isEqualTo(new InputStats("SBER", 3, 0, 0));
        assertThat(csv.fetch("LKOH", Timeframe.ONE_MINUTE, MIN, MAX).size()).isZero();
    }

    @Test
    @DisplayName("skips a byte-order mark before the header, as spreadsheets write it")
    void byteOrderMark() throws IOException {
        Path file = write("bom.csv", "\uFEFFsecid,ts,open,high,low,close,volume", "S,2024-01-08T07:00:00Z,1,2,1,2,5");
        assertThat(CsvCandleSource.of(file, Timeframe.ONE_MINUTE).fetch("S", Timeframe.ONE_MINUTE, MIN, MAX).closes())
                .containsExactly(2);
    }

    @Test
    @DisplayName("keeps only candles opening in [from, to)")
    void rangeIsHalfOpen() throws IOException {
        Path file = write("r.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08T07:00:00Z,1,1,1,1,1", "S,2024-01-08T07:01:00Z,1,1,1,1,1",
                "S,2024-01-08T07:02:00Z,1,1,1,1,1");
        CandleSeries s = CsvCandleSource.of(file, Timeframe.ONE_MINUTE).fetch("S", Timeframe.ONE_MINUTE,
                Instant.parse("2024-01-08T07:01:00Z"), Instant.parse("2024-01-08T07:02:00Z"));
        assertThat(s.timestamps()).containsExactly(Instant.parse("2024-01-08T07:01:00Z").toEpochMilli());
    }

    @Test
    @DisplayName("sorts unsorted rows, keeps the last of a repeated timestamp and counts both")
    void countsDuplicatesAndOutOfOrder() throws IOException {
        Path file = write("d.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08T07:02:00Z,3,3,3,3,1",
                "S,2024-01-08T07:00:00Z,1,1,1,1,1",
                "S,2024-01-08T07:01:00Z,2,2,2,2,1",
                "S,2024-01-08T07:01:00Z,2.5,2.5,2.5,2.5,1",
                "S,2024-01-08T07:03:00Z,4,4,4,4,1");
        CsvCandleSource csv = CsvCandleSource.of(file, Timeframe.ONE_MINUTE);
        List<CandleSeries> pages = new ArrayList<>();
        InputStats stats = csv.stream("S", Timeframe.ONE_MINUTE, MIN, MAX, pages::add);
        assertThat(stats).isEqualTo(new InputStats("S", 5, 1, 1));
        assertThat(pages).hasSize(1);
        assertThat(pages.get(0).closes()).containsExactly(1, 2.5, 3, 4);
        assertThatThrownBy(() -> csv.strict().fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("d.csv:3, column 'ts'").hasMessageContaining("out of order");
    }

    @Test
    @DisplayName("a strict source rejects a repeated timestamp naming its line")
    void strictRejectsDuplicate() throws IOException {
        Path file = write("s.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08T07:00:00Z,1,1,1,1,1", "S,2024-01-08T07:00:00Z,1,1,1,1,1");
        assertThatThrownBy(() -> CsvCandleSource.of(file, Timeframe.ONE_MINUTE).strict()
                .fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOf(SourceException.class).hasMessageContaining("s.csv:3, column 'ts'")
                .hasMessageContaining("repeated timestamp");
    }

    @Test
    @DisplayName("errors name the file, line, column and reason")
    void errorsNameFileLineColumn() throws IOException {
        CsvCandleSource missing = CsvCandleSource.of(write("m.csv", "secid,ts,open,high,close,volume",
                "S,2024-01-08T07:00:00Z,1,1,1,1"), Timeframe.ONE_MINUTE);
        assertThatThrownBy(() -> missing.fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOf(SourceException.class).hasMessageContaining("m.csv:1")
                .hasMessageContaining("lacks columns [low]");

        CsvCandleSource nan = CsvCandleSource.of(write("n.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08T07:00:00Z,1,1,1,1,1", "S,2024-01-08T07:01:00Z,1,abc,1,1,1"), Timeframe.ONE_MINUTE);
        assertThatThrownBy(() -> nan.fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.source()).isEqualTo("csv");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo("high");
                    assertThat(e.reason()).isEqualTo("not a number: 'abc'");
                    assertThat(e.location()).endsWith("n.csv");
                });

        CsvCandleSource badTs = CsvCandleSource.of(write("t.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08 07:00:00,1,1,1,1,1"), Timeframe.ONE_MINUTE);
        assertThatThrownBy(() -> badTs.fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOf(SourceException.class).hasMessageContaining("t.csv:2, column 'ts'")
                .hasMessageContaining("not a timestamp: '2024-01-08 07:00:00'");

        CsvCandleSource shortRow = CsvCandleSource.of(write("short.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08T07:00:00Z,1,1,1"), Timeframe.ONE_MINUTE);
        assertThatThrownBy(() -> shortRow.fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOf(SourceException.class).hasMessageContaining("short.csv:2, column 'close'")
                .hasMessageContaining("fewer than the header");
    }

    @Test
    @DisplayName("a row with more fields than the header is refused with its line and both counts, before any value is read")
    void extraFieldsRefused() throws IOException {
        // "1,5" meant as a decimal comma: read by position, the volume would silently become 1
        Path file = write("extra.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T07:09:00Z,34.99,35.03,34.98,34.99,2",
                "SBER,2024-01-08T07:10:00Z,34.99,35.03,34.98,34.99,1,5");
        assertThatThrownBy(() -> CsvCandleSource.of(file, Timeframe.ONE_MINUTE).fetch("SBER", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).as("no column is to blame").isNull();
                    assertThat(e.reason()).isEqualTo("extra fields: the row has 8 fields, more than the header names (7)");
                    assertThat(e.location()).endsWith("extra.csv");
                });
        // the width is checked first: an extra field that also shifts a bad value is still reported as extra
        Path shifted = write("shifted.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T07:10:00Z,34,99,35.03,34.98,34.99,1");
        assertThatThrownBy(() -> CsvCandleFile.read(shifted, Timeframe.ONE_MINUTE, false))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.reason()).startsWith("extra fields"));
        // columns the header names beyond ours are still ignored, and a row may fill them
        Path wide = write("wide.csv", "secid,ts,open,high,low,close,volume,note",
                "SBER,2024-01-08T07:10:00Z,34.99,35.03,34.98,34.99,15,x");
        assertThat(CsvCandleSource.of(wide, Timeframe.ONE_MINUTE).fetch("SBER", Timeframe.ONE_MINUTE, MIN, MAX).volumes())
                .containsExactly(15);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2024-01-08T07:00:00.0001Z", "2024-01-08T07:00:00.0009Z", "2024-01-08T10:00:00.123456+03:00",
        "2024-01-08T07:00:00.000000001Z"})
    @DisplayName("a time finer than a millisecond is refused with its line, its text and the resolution, never rounded")
    void subMillisecondRefused(String ts) throws IOException {
        Path file = write("fine.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T06:59:00Z,1,1,1,1,1", "SBER," + ts + ",1,1,1,1,1");
        assertThatThrownBy(() -> CsvCandleSource.of(file, Timeframe.ONE_MINUTE).fetch("SBER", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo("ts");
                    assertThat(e.reason()).contains("'" + ts + "'").contains("finer than the storage resolution (milliseconds)");
                });
    }

    @Test
    @DisplayName("times of whole milliseconds are kept exactly, whatever digits or offset spell them")
    void wholeMillisecondsKept() throws IOException {
        Path file = write("ms.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T07:00:00.001Z,1,1,1,1,1", "SBER,2024-01-08T10:00:00.002000+03:00,1,1,1,1,2",
                "SBER,2024-01-08T07:00:00.003000000Z,1,1,1,1,3", "SBER,1704697200004,1,1,1,1,4");
        long base = Instant.parse("2024-01-08T07:00:00Z").toEpochMilli();
        assertThat(CsvCandleFile.read(file, null, false).secid("SBER", Long.MIN_VALUE, Long.MAX_VALUE).series().timestamps())
                .containsExactly(base + 1, base + 2, base + 3, base + 4);
    }

    @Test
    @DisplayName("a candle breaking the series rules is reported at its file line, even after sorting")
    void invalidCandleNamesLine() throws IOException {
        Path file = write("bad.csv", "secid,ts,open,high,low,close,volume",
                "S,2024-01-08T07:05:00Z,1,1,1,1,1",
                "S,2024-01-08T07:00:00Z,1,1,1,1,1",
                "S,2024-01-08T07:03:00Z,10,9,8,9.5,1",
                "S,2024-01-08T07:04:00Z,1,1,1,1,1");
        assertThatThrownBy(() -> CsvCandleSource.of(file, Timeframe.ONE_MINUTE).fetch("S", Timeframe.ONE_MINUTE, MIN, MAX))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.column()).isEqualTo("high");
                    assertThat(e.reason()).contains("high must be >= max(open, close)");
                });
    }

    @Test
    @DisplayName("serves a coarser timeframe by resampling, and refuses one it cannot build")
    void resamples() throws IOException {
        CandleSeries oneMinute = TestCandles.randomWalk(11, 300, Timeframe.ONE_MINUTE, true);
        Path file = dir.resolve("rw.csv");
        writeSeries(file, List.of(oneMinute), new Random(1), false);
        Instant from = Instant.ofEpochMilli(oneMinute.ts(17));
        Instant to = Instant.ofEpochMilli(oneMinute.ts(250));
        Timeframe fiveMin = Timeframe.parse("5m");
        CsvCandleSource csv = CsvCandleSource.of(file, Timeframe.ONE_MINUTE).completeThrough(MAX);
        CandleSeries got = csv.fetch(oneMinute.secid(), fiveMin, from, to);
        CandleSeries all = Resampler.resample(oneMinute, fiveMin, MAX, ZoneOffset.UTC);
        List<Long> expected = new ArrayList<>();
        for (long t : all.timestamps()) {
            if (t >= from.toEpochMilli() && t < to.toEpochMilli()) {
                expected.add(t);
            }
        }
        assertThat(got.timestamps()).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        int first = java.util.Arrays.binarySearch(all.timestamps(), got.ts(0));
        assertThat(got.closes()).containsExactly(java.util.Arrays.copyOfRange(all.closes(), first, first + got.size()));
        assertThat(got.volumes()).containsExactly(java.util.Arrays.copyOfRange(all.volumes(), first, first + got.size()));
        assertThat(csv.supports(Timeframe.parse("15m"))).isTrue();
        assertThatThrownBy(() -> CsvCandleSource.of(file, Timeframe.parse("5m")).fetch("X", Timeframe.parse("7m"), MIN, MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot deliver timeframe 7m");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    @DisplayName("write-then-read round trip: shuffled rows with repeats come back as the original series, with the counts of what was done")
    void roundTripShuffled(long seed) throws IOException {
        Random rnd = new Random(seed);
        CandleSeries a = TestCandles.randomWalk(seed, 50 + rnd.nextInt(400), Timeframe.ONE_MINUTE, true);
        CandleSeries b = TestCandles.randomWalk(seed + 1000, 50 + rnd.nextInt(400), Timeframe.ONE_MINUTE, true);
        Path file = dir.resolve("rt" + seed + ".csv");
        int[] counts = writeSeries(file, List.of(a, b), rnd, true);
        CsvCandleSource csv = CsvCandleSource.of(file, Timeframe.ONE_MINUTE);
        Map<String, CsvCandleSource.Secid> all = csv.readAll();
        for (CandleSeries original : List.of(a, b)) {
            CandleSeries back = all.get(original.secid()).series();
            assertThat(back.timestamps()).as("seed %d", seed).isEqualTo(original.timestamps());
            assertThat(back.opens()).as("seed %d", seed).isEqualTo(original.opens());
            assertThat(back.highs()).as("seed %d", seed).isEqualTo(original.highs());
            assertThat(back.lows()).as("seed %d", seed).isEqualTo(original.lows());
            assertThat(back.closes()).as("seed %d", seed).isEqualTo(original.closes());
            assertThat(back.volumes()).as("seed %d", seed).isEqualTo(original.volumes());
        }
        long dups = all.values().stream().mapToLong(s -> s.stats().duplicates()).sum();
        long rows = all.values().stream().mapToLong(s -> s.stats().rowsRead()).sum();
        assertThat(dups).as("seed %d", seed).isEqualTo(counts[0]);
        assertThat(rows).as("seed %d", seed).isEqualTo(a.size() + b.size() + counts[0]);
        assertThat(all.get(a.secid()).stats().outOfOrder()).as("seed %d", seed).isGreaterThan(0);
    }

    /** Writes the series as CSV; when shuffling, also adds repeated rows (an earlier wrong copy). Returns {repeats}. */
    private static int[] writeSeries(Path file, List<CandleSeries> series, Random rnd, boolean shuffle)
            throws IOException {
        List<String> rows = new ArrayList<>();
        int repeats = 0;
        for (CandleSeries s : series) {
            List<String> own = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                String ts = rnd.nextBoolean() ? Instant.ofEpochMilli(s.ts(i)).toString() : Long.toString(s.ts(i));
                String row = s.secid() + "," + ts + "," + s.open(i) + "," + s.high(i) + "," + s.low(i) + ","
                        + s.close(i) + "," + s.volume(i);
                if (shuffle && rnd.nextInt(10) == 0) {
                    // a stale copy first, the right one later: the later one wins
                    own.add(s.secid() + "," + s.ts(i) + ",1,1,1,1,0");
                    repeats++;
                }
                own.add(row);
            }
            if (shuffle) {
                // shuffle in blocks, keeping each stale copy before its correction
                List<List<String>> blocks = new ArrayList<>();
                for (int i = 0; i < own.size(); i += 7) {
                    blocks.add(own.subList(i, Math.min(own.size(), i + 7)));
                }
                Collections.shuffle(blocks, rnd);
                List<String> stale = new ArrayList<>();
                List<String> rest = new ArrayList<>();
                for (List<String> block : blocks) {
                    for (String r : block) {
                        (r.endsWith(",1,1,1,1,0") ? stale : rest).add(r);
                    }
                }
                rows.addAll(stale);
                rows.addAll(rest);
            } else {
                rows.addAll(own);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("secid,ts,open,high,low,close,volume");
        lines.addAll(rows);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return new int[] {repeats};
    }

    @Test
    @DisplayName("an ingest of several secids reads the file once: a later secid comes from the same read")
    void oneReadPerIngest() throws IOException {
        Path file = write("once.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T07:00:00Z,1,2,1,2,5", "GAZP,2024-01-08T07:00:00Z,3,4,3,4,5",
                "SBER,2024-01-08T07:01:00Z,1,2,1,2,5", "GAZP,2024-01-08T07:01:00Z,3,4,3,4,5");
        FileTime stamp = Files.getLastModifiedTime(file);
        String changed = Files.readString(file).replace("GAZP,2024-01-08T07:01:00Z,3,4,3,4,5",
                "GAZP,2024-01-08T07:01:00Z,7,8,7,8,5");
        ProgressListener rewriteAfterSber = new ProgressListener() {
            @Override
            public void secidFinished(Stage stage, String secid, long rows) {
                if (secid.equals("SBER")) {
                    try { // same size, same file, same modification time: only a second read could see it
                        Files.writeString(file, changed, StandardOpenOption.WRITE);
                        Files.setLastModifiedTime(file, stamp);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        CsvCandleSource csv = CsvCandleSource.of(file, Timeframe.ONE_MINUTE);
        try (Store store = FeatureStore.builder().build()) {
            store.ingest(csv).secids("SBER", "GAZP").timeframe("1m").between(MIN, MAX).listener(rewriteAfterSber).run();
            assertThat(store.candles().read("GAZP", Timeframe.ONE_MINUTE, MIN, MAX).closes()).containsExactly(4, 4);
        }
        Files.writeString(file, changed + "GAZP,2024-01-08T07:02:00Z,3,4,3,4,5\n");
        assertThat(csv.fetch("GAZP", Timeframe.ONE_MINUTE, MIN, MAX).closes())
                .as("a file that changed size is read again").containsExactly(4, 8, 4);
    }

    @Test
    @DisplayName("every row of the file is checked, whatever secid and range is asked for")
    void everyRowChecked() throws IOException {
        Path file = write("all.csv", "secid,ts,open,HIGH,low,close,volume",
                "SBER,2024-01-08T07:00:00Z,1,2,1,2,5", "GAZP,2030-01-08T07:00:00Z,3,4x,3,4,5");
        assertThatThrownBy(() -> CsvCandleSource.of(file, Timeframe.ONE_MINUTE).fetch("SBER", Timeframe.ONE_MINUTE,
                MIN, Instant.parse("2025-01-01T00:00:00Z")))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).as("the header's spelling").isEqualTo("HIGH");
                    assertThat(e.reason()).isEqualTo("not a number: '4x'");
                });
    }

    @Test
    @DisplayName("CsvCandleFile keeps series without a timeframe when given none, secids in file order")
    void fileWithoutTimeframe() throws IOException {
        Path file = write("n.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T07:00:30Z,1,2,1,2,5", "GAZP,2024-01-08T07:00:00Z,3,4,3,4,5");
        CsvCandleFile csv = CsvCandleFile.read(file, null, true);
        assertThat(csv.secids()).containsExactly("SBER", "GAZP");
        assertThat(csv.secid("SBER", Long.MIN_VALUE, Long.MAX_VALUE).series().timeframe()).isEmpty();
        assertThat(csv.secid("LKOH", Long.MIN_VALUE, Long.MAX_VALUE)).isNull();
        assertThatThrownBy(() -> CsvCandleFile.read(dir.resolve("none.csv"), null, false))
                .isInstanceOf(SourceException.class).hasMessageEndingWith("none.csv: no such file");
    }

    @Test
    @DisplayName("a file counts the candles a stream will deliver, per secid and range, at its own timeframe only")
    void expectedCandlesCountTheRows() throws IOException {
        Path file = write("m.csv", "secid,ts,open,high,low,close,volume",
                "SBER,2024-01-08T07:00:00Z,100,101,99,100.5,10",
                "SBER,2024-01-08T07:01:00Z,100,101,99,100.5,11",
                "GAZP,2024-01-08T07:01:00Z,100,101,99,100.5,12",
                "SBER,2024-01-08T07:03:00Z,100,101,99,100.5,13");
        CsvCandleSource csv = CsvCandleSource.of(file, Timeframe.ONE_MINUTE);
        Instant from = Instant.parse("2024-01-08T07:01:00Z");
        Instant to = Instant.parse("2024-01-08T07:03:00Z");
        for (String secid : List.of("SBER", "GAZP", "LKOH")) {
            for (Instant[] r : List.of(new Instant[] {MIN, MAX}, new Instant[] {from, to}, new Instant[] {to, to})) {
                assertThat(csv.expectedCandles(secid, Timeframe.ONE_MINUTE, r[0], r[1]))
                        .as("%s [%s, %s)", secid, r[0], r[1])
                        .hasValue(csv.fetch(secid, Timeframe.ONE_MINUTE, r[0], r[1]).size());
            }
        }
        assertThat(csv.expectedCandles("SBER", Timeframe.ONE_MINUTE, MIN, MAX)).hasValue(3);
        assertThat(csv.expectedCandles("SBER", Timeframe.parse("5m"), MIN, MAX)).isEmpty();
    }
}
