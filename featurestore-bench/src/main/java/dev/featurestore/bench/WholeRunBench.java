package dev.featurestore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.pipeline.Pipeline;
import dev.featurestore.core.pipeline.PipelineResult;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.resample.Resampler;
import dev.featurestore.core.snapshot.SnapshotFormats;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole run of the README's performance section ({@code featurestore run --synthetic --days
 * 260 --secids <20 secids> --set tech_v2 --timeframe 5m --format parquet}, here through
 * {@link Pipeline} in this JVM, as the command runs it) and, in the same JVM, the floor of each of
 * its stages on this machine:
 *
 * <ul>
 *   <li><b>generate</b>: the synthetic candles alone, into memory;
 *   <li><b>insert</b>: every candle into a new SQLite file (plain sqlite-jdbc, WAL, synchronous
 *       NORMAL, the fact layer's {@code candles} table) with one prepared statement, batches of
 *       10,000, one transaction;
 *   <li><b>read</b>: the same candles read back, secid by secid, in key order;
 *   <li><b>compute</b>: {@code tech_v2} over each secid's 5m series (resampled beforehand);
 *   <li><b>write</b>: the storage's {@code writeBuild} of each frame into a new SQLite store;
 *   <li><b>parquet</b>: the Parquet format's write of every frame into one file;
 *   <li><b>fsync</b>: forcing that file to disk, as every snapshot export does.
 * </ul>
 *
 * <p>The floor of a stage is the sum of its parts: ingest = generate + insert, build = read +
 * compute + write, export = parquet + fsync. Quality works over what the build has in hand and has no
 * floor of its own (its ratio is left out). Each measurement runs {@code --repeat} times (default
 * 3) and the median is printed, with the peak heap of the whole run (the sum of the heap pools'
 * peaks over the run, after a GC before it).
 *
 * <pre>
 * java -Xmx2g -cp featurestore-bench/target/benchmarks.jar dev.featurestore.bench.WholeRunBench \
 *     [--secids 20] [--days 260] [--repeat 3] [--only run|floors|jdbc] [--json featurestore-bench/results/wholerun.json]
 * </pre>
 */
public final class WholeRunBench {
    /** The secids of the README's run, in its order. */
    static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH", "GMKN", "NVTK", "ROSN", "TATN", "SNGS", "PLZL",
            "MGNT", "MTSS", "CHMF", "NLMK", "ALRS", "VTBR", "MOEX", "AFLT", "PHOR", "RUAL", "IRAO");
    private static final Timeframe M1 = Timeframe.ONE_MINUTE;
    private static final Timeframe M5 = Timeframe.parse("5m");
    private static final int BATCH = 10_000;

    private WholeRunBench() {
    }

    /**
     * Runs the benchmark and prints its table.
     *
     * @param args {@code --secids N} (the first N of the README's secids, then SEC0021...; default
     *     20), {@code --days N} (default 260), {@code --repeat N} (default 3), {@code --only run},
     *     {@code --only floors} or {@code --only jdbc} (the candle insert three ways, {@link #insertVariants}), {@code --dir DIR} (default a new temporary directory, deleted
     *     after), {@code --json FILE}
     * @throws Exception when a stage fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        int nSecids = Integer.parseInt(opts.getOrDefault("secids", "20"));
        int days = Integer.parseInt(opts.getOrDefault("days", "260"));
        int repeat = Integer.parseInt(opts.getOrDefault("repeat", "3"));
        String only = opts.getOrDefault("only", "all");
        List<String> secids = secids(nSecids);
        SyntheticCandles gen = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(days);
        Path root = opts.containsKey("dir") ? Path.of(opts.get("dir")) : Files.createTempDirectory("fs-wholerun");
        Files.createDirectories(root);

        Map<String, List<Double>> samples = new LinkedHashMap<>();
        long peakHeap = 0;
        long candles = 0;
        long rows = 0;
        try {
            for (int r = 0; r < repeat; r++) {
                if (!"floors".equals(only)) {
                    Path dir = Files.createDirectories(root.resolve("run-" + r));
                    System.gc();
                    resetPeaks();
                    lastCpu = cpuNanos();
                    long t0 = System.nanoTime();
                    Map<String, Long> stageCpu = new LinkedHashMap<>();
                    PipelineResult result = wholeRun(dir, gen, secids, stageCpu);
                    add(samples, "run", System.nanoTime() - t0);
                    peakHeap = Math.max(peakHeap, heapPeak());
                    for (PipelineResult.StageResult s : result.stages()) {
                        samples.computeIfAbsent(s.stage().label(), k -> new ArrayList<>()).add(s.took().toNanos() / 1e9);
                    }
                    stageCpu.forEach((k, v) -> samples.computeIfAbsent("cpu:" + k, x -> new ArrayList<>()).add(v / 1e9));
                    candles = result.ingest().total().total();
                    rows = result.builds().stream().mapToLong(BuildRecord::rows).sum();
                    deleteTree(dir);
                }
                if ("jdbc".equals(only)) {
                    Path dir = Files.createDirectories(root.resolve("jdbc-" + r));
                    candles = insertVariants(dir, gen, secids, samples);
                    deleteTree(dir);
                } else if (!"run".equals(only)) {
                    Path dir = Files.createDirectories(root.resolve("floors-" + r));
                    candles = floors(dir, gen, secids, samples);
                    deleteTree(dir);
                }
                System.out.printf(Locale.ROOT, "repeat %d of %d done%n", r + 1, repeat);
            }
        } finally {
            if (!opts.containsKey("dir")) {
                deleteTree(root);
            }
        }
        String table = table(samples, nSecids, days, candles, rows, peakHeap);
        System.out.print(table);
        if (opts.containsKey("json")) {
            writeJson(Path.of(opts.get("json")), samples, nSecids, days, candles, rows, peakHeap);
        }
    }

    /** The first {@code n} secids of the README's run, then {@code SEC0021}, {@code SEC0022}, ... */
    static List<String> secids(int n) {
        List<String> out = new ArrayList<>(SECIDS.subList(0, Math.min(n, SECIDS.size())));
        for (int i = SECIDS.size() + 1; out.size() < n; i++) {
            out.add(String.format(Locale.ROOT, "SEC%04d", i));
        }
        return out;
    }

    /** The run as {@code featurestore run --synthetic ... --format parquet} does it, in {@code dir}. */
    private static PipelineResult wholeRun(Path dir, SyntheticCandles gen, List<String> secids,
            Map<String, Long> stageCpu) {
        ProgressListener cpu = new ProgressListener() {
            private long started;

            @Override
            public void stageStarted(Stage stage, List<String> ids) {
                started = cpuNanos();
            }

            @Override
            public void stageFinished(Stage stage, Duration took) {
                stageCpu.put(stage.label(), cpuNanos() - started);
            }
        };
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("featurestore.db")).build()) {
            ExchangeCalendar calendar = store.registry().calendar();
            Instant from = Instant.ofEpochMilli(calendar.dayStart(gen.firstTradingDay()));
            return Pipeline.forSet("tech_v2").timeframe(M5).secids(secids).between(from, gen.end())
                    .source(SyntheticCandleSource.of(gen)).snapshotOutputDir(dir.resolve("data/processed/features"))
                    .snapshotFileFormat("parquet").qualityReportDir(dir.resolve("docs/data_quality")).listener(cpu).run(store);
        }
    }

    /** Measures the floor of each stage once, adding a sample to each; returns the candles. */
    private static long floors(Path dir, SyntheticCandles gen, List<String> secids, Map<String, List<Double>> samples)
            throws SQLException, IOException {
        lastCpu = cpuNanos();
        long t = System.nanoTime();
        List<CandleSeries> series = new ArrayList<>();
        long candles = 0;
        for (String secid : secids) {
            CandleSeries s = gen.generate(secid);
            series.add(s);
            candles += s.size();
        }
        add(samples, "generate", System.nanoTime() - t);

        try (Connection c = candleTable(dir.resolve("floor.db"))) {
            lastCpu = cpuNanos();
            t = System.nanoTime();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO candles VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (CandleSeries s : series) {
                    long[] ts = Columns.ts(s);
                    double[] o = Columns.open(s);
                    double[] h = Columns.high(s);
                    double[] l = Columns.low(s);
                    double[] cl = Columns.close(s);
                    double[] v = Columns.volume(s);
                    for (int i = 0; i < ts.length; i++) {
                        ps.setString(1, s.secid());
                        ps.setString(2, "1m");
                        ps.setLong(3, ts[i]);
                        ps.setDouble(4, o[i]);
                        ps.setDouble(5, h[i]);
                        ps.setDouble(6, l[i]);
                        ps.setDouble(7, cl[i]);
                        ps.setDouble(8, v[i]);
                        ps.addBatch();
                        if ((i + 1) % BATCH == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
            }
            c.commit();
            add(samples, "insert", System.nanoTime() - t);

            lastCpu = cpuNanos();
            t = System.nanoTime();
            series.clear();
            try (PreparedStatement ps = c.prepareStatement("SELECT ts, open, high, low, close, volume FROM candles "
                    + "WHERE secid = ? AND timeframe = ? ORDER BY ts")) {
                for (String secid : secids) {
                    ps.setString(1, secid);
                    ps.setString(2, "1m");
                    ps.setFetchSize(BATCH);
                    CandleSeries.Builder b = CandleSeries.builder(secid).timeframe(M1);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            b.add(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5),
                                    rs.getDouble(6));
                        }
                    }
                    series.add(b.build());
                }
            }
            add(samples, "read", System.nanoTime() - t);
        }

        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("features.db")).build()) {
            ExchangeCalendar calendar = store.registry().calendar();
            List<CandleSeries> m5 = new ArrayList<>();
            for (CandleSeries s : series) {
                m5.add(Resampler.resample(s, M5, gen.end(), store.registry().exchangeZone()));
            }
            series.clear();
            FeatureQuery query = store.forSet("tech_v2").timeframe(M5);
            lastCpu = cpuNanos();
            t = System.nanoTime();
            List<FeatureFrame> frames = new ArrayList<>();
            for (CandleSeries s : m5) {
                frames.add(query.compute(s));
            }
            add(samples, "compute", System.nanoTime() - t);

            lastCpu = cpuNanos();
            t = System.nanoTime();
            for (int i = 0; i < frames.size(); i++) {
                FeatureFrame f = frames.get(i);
                BuildRecord record = new BuildRecord("tech_v2", M5, f.secid(), f.ts(0), f.ts(f.size() - 1) + 1,
                        Columns.ts(m5.get(i))[0], f.size(), query.windowSize(), Instant.now(), Instant.now(),
                        BuildRecord.Status.COMPLETED, store.registry().fingerprint("tech_v2"));
                store.storage().writeBuild(record, f, ts -> calendar.availableAt(M5, ts), BuildListener.NONE);
            }
            add(samples, "write", System.nanoTime() - t);

            FeatureFrame first = frames.get(0);
            SnapshotMetadata meta = SnapshotMetadata.of(first, store.registry().fingerprint("tech_v2"), first.ts(0),
                    first.ts(0), first.ts(first.size() - 1));
            lastCpu = cpuNanos();
            t = System.nanoTime();
            Path parquet = dir.resolve("floor.parquet");
            SnapshotFormats.byName("parquet").write(frames, meta, null, parquet);
            add(samples, "parquet", System.nanoTime() - t);
            lastCpu = cpuNanos();
            t = System.nanoTime();
            try (FileChannel ch = FileChannel.open(parquet, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            add(samples, "fsync", System.nanoTime() - t);
        }
        return candles;
    }

    private static long lastCpu = cpuNanos();

    /**
     * Adds a wall-time sample, and the CPU time of the process since the previous sample as
     * {@code cpu:key} (for the parts of the floors, which follow each other).
     */
    /**
     * The candle insert, three ways, each into a new file: {@code insert-storage} as the fact
     * layer's upsert does it (a transaction per page of 10,000 candles, the page's stored range
     * read first, {@code INSERT ... ON CONFLICT DO UPDATE}, secid and timeframe bound on every
     * row); {@code insert-upsert-1tx} the same statement in one transaction without the reads;
     * {@code insert-multirow} 100 rows per {@code INSERT} with secid and timeframe bound once per
     * row group as the feature write does (one statement step per 100 rows), per-page
     * transactions. Returns the candles.
     */
    private static long insertVariants(Path dir, SyntheticCandles gen, List<String> secids,
            Map<String, List<Double>> samples) throws SQLException {
        List<CandleSeries> series = new ArrayList<>();
        long candles = 0;
        for (String secid : secids) {
            CandleSeries s = gen.generate(secid);
            series.add(s);
            candles += s.size();
        }
        String upsert = "INSERT INTO candles (secid, timeframe, ts, open, high, low, close, volume) VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (secid, timeframe, ts) DO UPDATE SET open = excluded.open, "
                + "high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume";
        for (String variant : List.of("insert-storage", "insert-upsert-1tx", "insert-multirow")) {
            try (Connection c = candleTable(dir.resolve(variant + ".db"))) {
                c.setAutoCommit(false);
                lastCpu = cpuNanos();
                long t = System.nanoTime();
                int rowsPer = "insert-multirow".equals(variant) ? 100 : 1;
                StringBuilder sql = new StringBuilder("INSERT INTO candles (secid, timeframe, ts, open, high, low, "
                        + "close, volume) VALUES ");
                for (int k = 0; k < rowsPer; k++) {
                    sql.append(k == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?)");
                }
                sql.append(" ON CONFLICT (secid, timeframe, ts) DO UPDATE SET open = excluded.open, high = "
                        + "excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume");
                try (PreparedStatement ps = c.prepareStatement(rowsPer == 1 ? upsert : sql.toString());
                        PreparedStatement one = c.prepareStatement(upsert);
                        PreparedStatement read = c.prepareStatement("SELECT ts, open, high, low, close, volume "
                                + "FROM candles WHERE secid = ? AND timeframe = ? AND ts >= ? AND ts <= ? ORDER BY ts")) {
                    for (CandleSeries s : series) {
                        long[] ts = Columns.ts(s);
                        double[][] cols = {Columns.open(s), Columns.high(s), Columns.low(s), Columns.close(s),
                            Columns.volume(s)};
                        for (int page = 0; page < ts.length; page += BATCH) {
                            int end = Math.min(ts.length, page + BATCH);
                            if (!"insert-upsert-1tx".equals(variant)) {
                                read.setString(1, s.secid());
                                read.setString(2, "1m");
                                read.setLong(3, ts[page]);
                                read.setLong(4, ts[end - 1]);
                                try (ResultSet rs = read.executeQuery()) {
                                    while (rs.next()) {
                                        rs.getLong(1);
                                    }
                                }
                            }
                            int i = page;
                            for (; i + rowsPer <= end && rowsPer > 1; i += rowsPer) {
                                for (int k = 0; k < rowsPer; k++) {
                                    bindCandle(ps, k * 8, s.secid(), ts[i + k], cols, i + k);
                                }
                                ps.executeUpdate();
                            }
                            for (; i < end; i++) {
                                bindCandle(rowsPer == 1 ? ps : one, 0, s.secid(), ts[i], cols, i);
                                (rowsPer == 1 ? ps : one).addBatch();
                            }
                            ps.executeBatch();
                            one.executeBatch();
                            if (!"insert-upsert-1tx".equals(variant)) {
                                c.commit();
                            }
                        }
                    }
                }
                c.commit();
                add(samples, variant, System.nanoTime() - t);
            }
        }
        return candles;
    }

    private static void bindCandle(PreparedStatement ps, int at, String secid, long ts, double[][] cols, int i)
            throws SQLException {
        ps.setString(at + 1, secid);
        ps.setString(at + 2, "1m");
        ps.setLong(at + 3, ts);
        for (int k = 0; k < 5; k++) {
            ps.setDouble(at + 4 + k, cols[k][i]);
        }
    }

    /** A new SQLite file in WAL mode, synchronous NORMAL, with the fact layer's candles table. */
    private static Connection candleTable(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("CREATE TABLE candles (secid TEXT NOT NULL, timeframe TEXT NOT NULL, ts BIGINT NOT NULL, "
                    + "open DOUBLE PRECISION NOT NULL, high DOUBLE PRECISION NOT NULL, low DOUBLE PRECISION NOT "
                    + "NULL, close DOUBLE PRECISION NOT NULL, volume DOUBLE PRECISION NOT NULL, PRIMARY KEY "
                    + "(secid, timeframe, ts)) WITHOUT ROWID");
        }
        return c;
    }

    private static void add(Map<String, List<Double>> samples, String key, long nanos) {
        samples.computeIfAbsent(key, k -> new ArrayList<>()).add(nanos / 1e9);
        long cpu = cpuNanos();
        samples.computeIfAbsent("cpu:" + key, k -> new ArrayList<>()).add((cpu - lastCpu) / 1e9);
        lastCpu = cpu;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double median(List<Double> xs) {
        if (xs == null || xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double sum(Map<String, List<Double>> s, String... keys) {
        double out = 0;
        for (String k : keys) {
            out += median(s.get(k));
        }
        return out;
    }

    /** The stage, its median time, its floor (median of the parts, summed) and their ratio. */
    private static String table(Map<String, List<Double>> s, int nSecids, int days, long candles, long rows,
            long peakHeap) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nwhole run: %d secids x %d days, %,d 1m candles, %,d tech_v2 5m rows; "
                + "peak heap %.0f MB; medians of %s runs%n", nSecids, days, candles, rows, peakHeap / 1e6,
                s.containsKey("run") ? s.get("run").size() : s.getOrDefault("insert", List.of()).size()));
        sb.append(String.format(Locale.ROOT, "%-8s %9s %9s %7s %8s  %s%n", "stage", "time s", "floor s", "ratio",
                "CPU s", "floor parts: wall s (process CPU s)"));
        String[][] stages = {{"ingest", "generate", "insert"}, {"build", "read", "compute", "write"},
            {"export", "parquet", "fsync"}, {"quality"}, {"run"}};
        if (s.containsKey("insert-storage")) {
            for (String v : List.of("insert-storage", "insert-upsert-1tx", "insert-multirow")) {
                sb.append(String.format(Locale.ROOT, "%-18s %9.3f s wall, %8.3f s CPU%n", v, median(s.get(v)),
                        median(s.get("cpu:" + v))));
            }
            return sb.toString();
        }
        for (String[] st : stages) {
            String[] parts = Arrays.copyOfRange(st, 1, st.length);
            double time = median(s.get(st[0]));
            double floor = "run".equals(st[0]) ? sum(s, "generate", "insert", "read", "compute", "write", "parquet")
                    : parts.length == 0 ? Double.NaN : sum(s, parts);
            StringBuilder detail = new StringBuilder();
            if ("run".equals(st[0])) {
                detail.append("floor = all parts above");
            }
            for (String p : parts) {
                detail.append(p).append(s.containsKey(p) ? String.format(Locale.ROOT, " %.3f (%.3f)  ", median(s.get(p)),
                        median(s.get("cpu:" + p))) : "  ");
            }
            sb.append(String.format(Locale.ROOT, "%-8s %9.3f %9.3f %7.2f %8.3f  %s%n", st[0], time, floor,
                    time / floor, median(s.get("cpu:" + st[0])), detail.toString().trim()));
        }
        return sb.toString();
    }

    private static void writeJson(Path file, Map<String, List<Double>> s, int nSecids, int days, long candles,
            long rows, long peakHeap) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secids", nSecids);
        out.put("days", days);
        out.put("candles", candles);
        out.put("rows", rows);
        out.put("peakHeapBytes", peakHeap);
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, Object> medians = new LinkedHashMap<>();
        s.forEach((k, v) -> medians.put(k, median(v)));
        out.put("medianSeconds", medians);
        out.put("samplesSeconds", s);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
        System.out.println("wrote " + file);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
