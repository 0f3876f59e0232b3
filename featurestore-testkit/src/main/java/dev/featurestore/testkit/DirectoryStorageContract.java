package dev.featurestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotQuery;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.snapshot.SnapshotFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a storage kept as files in a directory (the {@code parquet:} and {@code feather:}
 * storages) promises beyond {@link FeatureStorageContract}: every name is stored verbatim in a
 * file whose name is encoded and stays inside the directory; a failed build leaves the files
 * byte for byte as they were and no temporary file behind; a build whose log line was lost is
 * restored from its data file; two storages opened on one directory see each other's writes; a
 * directory of another format is refused; two names one file system folds together are reported;
 * the snapshot log survives reopening.
 *
 * <p>Extend it and implement {@link #openStorage(Path, Map)} and {@link #extension()}.
 */
public abstract class DirectoryStorageContract {
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final List<String> FEATURES = List.of("a", "b", "regime");
    private static final List<FeatureKind> KINDS = List.of(FeatureKind.NUMERIC, FeatureKind.NUMERIC,
            FeatureKind.CATEGORICAL);

    /** A fresh temporary directory for each test, for a subclass to open its storage in. */
    @TempDir
    protected Path dir;

    private final List<FeatureStorage> opened = new ArrayList<>();

    /**
     * A storage on {@code dir}, created when missing, without options; the contract closes it.
     *
     * @param dir the storage's directory
     * @return the open storage
     * @throws Exception when the storage cannot be opened; the test fails with it
     */
    protected FeatureStorage openStorage(Path dir) throws Exception {
        return openStorage(dir, Map.of());
    }

    /**
     * A storage on {@code dir} with {@link dev.featurestore.api.storage.StorageConfig} options,
     * created when missing; the contract closes it.
     *
     * @param dir the storage's directory
     * @param options the backend options, e.g. the one that turns the read cache off; empty for
     *     the defaults
     * @return the open storage
     * @throws Exception when the storage cannot be opened; the test fails with it
     */
    protected abstract FeatureStorage openStorage(Path dir, Map<String, String> options) throws Exception;

    /** {@return the data files' extension without the dot, e.g. {@code parquet}} */
    protected abstract String extension();

    /** {@return the storage's directory inside the test's temporary directory: {@code dir/store}} */
    protected Path storeDir() {
        return dir.resolve("store");
    }

    private FeatureStorage open() throws Exception {
        FeatureStorage s = openStorage(storeDir());
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(FeatureStorage::close);
    }

    /** {@return the seeds of the property tests, fixed so every run tests the same series} */
    protected static Stream<Long> seeds() {
        return Stream.of(3L, 17L, 20260101L, 987654321L);
    }

    @Test
    @DisplayName("Hostile secids and feature-set names are stored verbatim, in encoded file names inside the directory")
    void hostileNamesStayInside() throws Exception {
        FeatureStorage storage = open();
        Map<String, CandleSeries> stored = new HashMap<>();
        int k = 0;
        for (String name : FeatureStorageContract.HOSTILE_NAMES) {
            CandleSeries candles = RandomCandles.series(name, M5, 60, 70 + k++);
            assertThat(storage.upsertCandles(candles)).isEqualTo(new UpsertResult(60, 0, 0));
            FeatureFrame frame = frame(name, name, candles.timestamps(), k);
            storage.writeBuild(record(name, name, frame), frame);
            stored.put(name, candles);
        }
        for (String name : FeatureStorageContract.HOSTILE_NAMES) {
            CandleSeries candles = stored.get(name);
            FeatureStorageContract.assertSameCandles(storage.readCandles(name, M5, Long.MIN_VALUE, Long.MAX_VALUE),
                    candles);
            assertThat(storage.candleTimeframes(name)).containsExactly(M5);
            FeatureFrame back = storage.readFeatures(name, FEATURES, name, M5, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(back.secid()).isEqualTo(name);
            assertThat(back.featureSet()).isEqualTo(name);
            FeatureStorageContract.assertSameValues(back, frame(name, name, candles.timestamps(),
                    FeatureStorageContract.HOSTILE_NAMES.indexOf(name) + 1), name);
            assertThat(storage.builds(name, M5, name)).extracting(BuildRecord::secid, BuildRecord::featureSet)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(name, name));
        }
        Path root = storeDir().toRealPath();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.collect(Collectors.toList())) {
                assertThat(p.toRealPath()).startsWith(root);
                assertThat(p.getFileName().toString()).as("file name %s", p).matches("[A-Za-z0-9_%.-]+");
            }
        }
        // nothing was written beside the directory
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("store");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Random Unicode secids each get their own files and read back exactly")
    void randomSecidsRoundTrip(long seed) throws Exception {
        FeatureStorage storage = open();
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, CandleSeries> expected = new TreeMap<>();
        for (int i = 0; i < 25; i++) {
            String secid = randomName(random);
            while (expected.containsKey(secid)) {
                secid = randomName(random);
            }
            CandleSeries s = RandomCandles.series(secid, M5, 5 + random.nextInt(20), seed + i);
            expected.put(secid, s);
            storage.upsertCandles(s);
        }
        for (Map.Entry<String, CandleSeries> e : expected.entrySet()) {
            FeatureStorageContract.assertSameCandles(storage.readCandles(e.getKey(), M5, Long.MIN_VALUE,
                    Long.MAX_VALUE), e.getValue());
        }
        try (Stream<Path> files = Files.list(storeDir().resolve("candles").resolve("5m"))) {
            assertThat(files.count()).as("seed %d", seed).isEqualTo(expected.size());
        }
    }

    private static String randomName(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(16);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(4);
            int cp = switch (kind) {
                case 0 -> 'A' + random.nextInt(26);
                case 1 -> random.nextInt(0x80);
                case 2 -> 0x80 + random.nextInt(0xD800 - 0x80);
                default -> 0x10000 + random.nextInt(0x10000);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A build failing part way leaves every file byte for byte as it was, with no temporary file left")
    void failedBuildLeavesFilesIntact(long seed) throws Exception {
        FeatureStorage storage = open();
        CandleSeries candles = RandomCandles.series("SBER", M5, 300, seed);
        storage.upsertCandles(candles);
        FeatureFrame first = frame("SBER", "set", candles.timestamps(), seed);
        storage.writeBuild(record("SBER", "set", first), first);
        Map<Path, String> before = hashes();
        FeatureFrame second = frame("SBER", "set", candles.timestamps(), seed + 1);
        int failAt = new SplittableRandom(seed).nextInt(second.size());
        RuntimeException injected = new IllegalStateException("injected at row " + failAt);
        Throwable thrown = catchThrowable(() -> storage.writeBuild(record("SBER", "set", second), second, row -> {
            if (row == failAt) {
                throw injected;
            }
        }));
        assertThat(thrown).isSameAs(injected);
        Map<Path, String> after = hashes();
        Path log = storeDir().resolve("features/set/5m/SBER.builds.jsonl");
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (Path p : before.keySet()) {
            if (!p.equals(log)) {
                assertThat(after.get(p)).as("%s after a failed build", p).isEqualTo(before.get(p));
            }
        }
        assertThat(storage.builds("set", M5, "SBER")).extracting(BuildRecord::status)
                .containsExactly(BuildRecord.Status.COMPLETED, BuildRecord.Status.FAILED);
        FeatureStorageContract.assertSameValues(storage.readFeatures("set", FEATURES, "SBER", M5, Long.MIN_VALUE,
                Long.MAX_VALUE), first, "seed " + seed);
    }

    private Map<Path, String> hashes() throws IOException {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(storeDir())) {
            for (Path p : all.filter(Files::isRegularFile).collect(Collectors.toList())) {
                assertThat(p.getFileName().toString()).as("temporary file left").doesNotEndWith(".tmp");
                if (!p.getFileName().toString().equals(".lock")) {
                    out.put(p, SnapshotFiles.sha256(p));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("A frame with rows out of ts order is stored in ts order; a repeated ts is refused and nothing kept")
    void rowsOutOfOrder(long seed) throws Exception {
        FeatureStorage storage = open();
        CandleSeries candles = RandomCandles.series("SBER", M5, 50, seed);
        FeatureFrame sorted = frame("SBER", "set", candles.timestamps(), seed);
        int n = sorted.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long[] ts = new long[n];
        double[][] cols = new double[3][n];
        for (int i = 0; i < n; i++) {
            ts[i] = sorted.ts(perm[i]);
            for (int j = 0; j < 3; j++) {
                cols[j][i] = sorted.value(perm[i], j);
            }
        }
        FeatureFrame shuffled = FeatureFrame.of("SBER", "set", M5, FEATURES, KINDS, ts, cols);
        storage.writeBuild(record("SBER", "set", sorted), shuffled);
        FeatureStorageContract.assertSameValues(storage.readFeatures("set", FEATURES, "SBER", M5, Long.MIN_VALUE,
                Long.MAX_VALUE), sorted, "seed " + seed);
        long[] twice = ts.clone();
        twice[n - 1] = twice[0];
        FeatureFrame repeated = FeatureFrame.of("SBER", "set", M5, FEATURES, KINDS, twice, cols);
        assertThatThrownBy(() -> storage.writeBuild(record("SBER", "set", sorted), repeated))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same ts " + twice[0]);
        FeatureStorageContract.assertSameValues(storage.readFeatures("set", FEATURES, "SBER", M5, Long.MIN_VALUE,
                Long.MAX_VALUE), sorted, "seed " + seed);
    }

    @ParameterizedTest(name = "cache_mb {0}")
    @ValueSource(strings = {"256", "0"})
    @DisplayName("A build whose log line was lost in a crash is restored from its data file")
    void lostLogLineIsRestored(String cacheMb) throws Exception {
        FeatureStorage storage = openStorage(storeDir(), Map.of("cache_mb", cacheMb));
        opened.add(storage);
        CandleSeries candles = RandomCandles.series("SBER", M5, 100, 5);
        FeatureFrame one = frame("SBER", "set", candles.timestamps(), 1);
        FeatureFrame two = frame("SBER", "set", candles.timestamps(), 2);
        storage.writeBuild(record("SBER", "set", one), one);
        BuildRecord second = record("SBER", "set", two);
        storage.writeBuild(second, two);
        Path log = storeDir().resolve("features/set/5m/SBER.builds.jsonl");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        Files.write(log, List.of(lines.get(0)), StandardCharsets.UTF_8); // as if the process died before the log
        List<BuildRecord> builds = storage.builds("set", M5, "SBER");
        assertThat(builds).hasSize(2);
        assertThat(builds.get(1)).isEqualTo(second);
        FeatureFrame three = frame("SBER", "set", candles.timestamps(), 3);
        storage.writeBuild(record("SBER", "set", three), three);
        assertThat(Files.readAllLines(log, StandardCharsets.UTF_8)).hasSize(3);
        assertThat(storage.builds("set", M5, "SBER")).hasSize(3).element(1).isEqualTo(second);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("Two storages on one directory see each other's writes at once")
    void twoStoragesShareTheDirectory(long seed) throws Exception {
        FeatureStorage a = open();
        FeatureStorage b = open();
        SplittableRandom random = new SplittableRandom(seed);
        CandleSeries all = RandomCandles.series("SBER", M5, 400, seed);
        TreeMap<Long, Integer> expected = new TreeMap<>();
        for (int round = 0; round < 12; round++) {
            int from = random.nextInt(380);
            int to = from + 1 + random.nextInt(20);
            FeatureStorage writer = random.nextBoolean() ? a : b;
            FeatureStorage reader = writer == a ? b : a;
            writer.upsertCandles(all.slice(from, to));
            for (int i = from; i < to; i++) {
                expected.put(all.ts(i), i);
            }
            CandleSeries back = reader.readCandles("SBER", M5, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(back.size()).as("seed %d round %d", seed, round).isEqualTo(expected.size());
            int r = 0;
            for (int i : expected.values()) {
                assertThat(back.ts(r)).isEqualTo(all.ts(i));
                assertThat(back.close(r)).isEqualTo(all.close(i));
                r++;
            }
            FeatureFrame f = frame("SBER", "set", all.slice(0, to).timestamps(), seed + round);
            writer.writeBuild(record("SBER", "set", f), f);
            FeatureWindow w = reader.readWindow("set", FEATURES, "SBER", M5, all.ts(to - 1), 1);
            assertThat(w.get(0, 0)).as("seed %d round %d", seed, round).isEqualTo(f.value(f.size() - 1, 0));
        }
    }

    @Test
    @DisplayName("A directory holding another format is refused, naming both")
    void otherFormatRefused() throws Exception {
        open().close();
        Path marker = storeDir().resolve("featurestore.json");
        String text = Files.readString(marker, StandardCharsets.UTF_8);
        assertThat(text).contains(extension());
        Files.writeString(marker, "{\"format\":\"csv\",\"layout\":1}\n", StandardCharsets.UTF_8);
        assertThatThrownBy(this::open).isInstanceOf(StorageException.class).hasMessageContaining("csv");
    }

    @Test
    @DisplayName("Without a read cache every read still sees the latest write")
    void noCache() throws Exception {
        FeatureStorage a = openStorage(storeDir(), Map.of("cache_mb", "0"));
        opened.add(a);
        CandleSeries all = RandomCandles.series("SBER", M5, 100, 4);
        for (int i = 0; i < 100; i += 10) {
            a.upsertCandles(all.slice(i, i + 10));
            FeatureStorageContract.assertSameCandles(a.readCandles("SBER", M5, Long.MIN_VALUE, Long.MAX_VALUE),
                    all.slice(0, i + 10));
        }
        assertThatThrownBy(() -> openStorage(storeDir(), Map.of("cache_size", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache_size")
                .hasMessageContaining("cache_mb");
        assertThatThrownBy(() -> openStorage(storeDir(), Map.of("cache_mb", "-3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3");
    }

    @Test
    @DisplayName("Two secids a file system folds into one file are reported, never mixed")
    void foldedNamesReported() throws Exception {
        FeatureStorage storage = open();
        storage.upsertCandles(RandomCandles.series("SBER", M5, 10, 1));
        Path dirOf = storeDir().resolve("candles").resolve("5m");
        // what a case-insensitive file system shows for the name "sber"
        Files.copy(dirOf.resolve("SBER." + extension()), dirOf.resolve("sber." + extension()),
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> storage.readCandles("sber", M5, Long.MIN_VALUE, Long.MAX_VALUE))
                .isInstanceOf(StorageException.class).hasMessageContaining("'SBER'").hasMessageContaining("'sber'");
        assertThatThrownBy(() -> storage.upsertCandles(RandomCandles.series("sber", M5, 10, 2)))
                .isInstanceOf(StorageException.class).hasMessageContaining("'SBER'");
    }

    @Test
    @DisplayName("The snapshot log keeps records in order across reopening, and queries match as SnapshotQuery says")
    void snapshotLogSurvivesReopening() throws Exception {
        FeatureStorage storage = open();
        assertThat(storage.keepsSnapshotLog()).isTrue();
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        String sha1 = "a".repeat(64);
        String sha2 = "b".repeat(64);
        List<SnapshotRecord> records = List.of(
                new SnapshotRecord("SBER", M5, "tech_v2", 10, "out/tech_v2/5m/20260302.parquet", "parquet", sha1, 1, 2,
                        0, t.plusSeconds(5), "1.0"),
                new SnapshotRecord("x'; DROP TABLE s; --", M5, "tech_v2", 11, "out/tech_v2/5m/20260302.parquet",
                        "parquet", sha1, 1, 3, 0, t.plusSeconds(5), "1.0"),
                new SnapshotRecord("SBER", M5, "tech_v1", 12, "out/tech_v1/5m/20260301.feather", "feather", sha2, 1, 4, 0,
                        t, "1.0", "c".repeat(64), "d".repeat(64)));
        storage.recordSnapshots(records);
        storage.close();
        FeatureStorage again = open();
        List<SnapshotRecord> all = again.snapshots(SnapshotQuery.all());
        assertThat(all).containsExactly(records.get(2), records.get(0), records.get(1));
        assertThat(again.snapshots(SnapshotQuery.all().secid("SBER").featureSet("tech_v2")))
                .containsExactly(records.get(0));
        assertThat(again.snapshots(SnapshotQuery.all().sha256(sha1))).containsExactly(records.get(0), records.get(1));
        assertThat(again.snapshots(SnapshotQuery.all().date(LocalDate.of(2026, 3, 1))))
                .containsExactly(records.get(2));
        assertThatThrownBy(() -> again.recordSnapshots(java.util.Arrays.asList(records.get(0), null)))
                .isInstanceOf(NullPointerException.class);
        assertThat(all.get(0).replacedSha256()).isEqualTo("c".repeat(64));
        assertThat(all.get(0).fingerprint()).isEqualTo("d".repeat(64));
        assertThat(all.get(1).fingerprint()).isNull();
        assertThatThrownBy(() -> again.recordSnapshots(List.of(new SnapshotRecord("GAZP", M5, "tech_v2", 1, "p", "parquet",
                sha2, 1, 1, 0, t, "1.0"), records.get(1)))).isInstanceOf(StorageException.class)
                .hasMessageContaining("already recorded");
        assertThat(again.snapshots(SnapshotQuery.all())).hasSize(3);
    }

    // ---------------------------------------------------------------- helpers

    private static FeatureFrame frame(String secid, String set, long[] ts, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] cols = new double[3][ts.length];
        for (int r = 0; r < ts.length; r++) {
            cols[0][r] = random.nextDouble() * 100 - 50;
            cols[1][r] = r % 7 == 0 ? Double.NaN : random.nextGaussian();
            cols[2][r] = random.nextInt(3);
        }
        return FeatureFrame.of(secid, set, M5, FEATURES, KINDS, ts, cols);
    }

    private static BuildRecord record(String secid, String set, FeatureFrame f) {
        long from = f.size() == 0 ? RandomCandles.START : f.ts(0);
        long to = f.size() == 0 ? RandomCandles.START : f.ts(f.size() - 1) + M5.millis(); // half-open
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new BuildRecord(set, M5, secid, from, to, from, f.size(), 1, now, now.plusSeconds(1),
                BuildRecord.Status.COMPLETED, FeatureRegistry.builtin().fingerprint("tech_v2"));
    }
}
