package dev.featurestore.spark;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotConflictException;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.core.Store;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.snapshot.SnapshotFiles;
import dev.featurestore.core.snapshot.SnapshotLayout;
import dev.featurestore.spark.internal.FirstCandles;
import dev.featurestore.spark.internal.Footers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A snapshot that Spark wrote, and the rows recorded for it in {@code train_data_snapshots}.
 *
 * <p>Layout: the snapshot of a date is a directory named as the single-machine file would be,
 * {@code {snapshot_output_dir}/{feature_set}/{timeframe}/YYYYMMDD.parquet/}, holding one Parquet
 * file per Spark partition, {@code YYYYMMDD.00000.parquet}, {@code YYYYMMDD.00001.parquet}, ...;
 * every secid lies in exactly one of them, its rows together and oldest first. pandas and polars
 * ({@code read_parquet} of the directory or of {@code dir/*.parquet}), DuckDB
 * ({@code read_parquet('dir/*.parquet')}) and Spark read the directory as one table; the library's
 * reader reads each file. Each file has the snapshot schema (ts as {@code TIMESTAMP(MILLIS, UTC)},
 * categoricals as {@code INT(8, signed)}) and the snapshot footer keys of {@link SnapshotMetadata}.
 *
 * <p>Steps, each timed in {@link #steps()}: {@code write} (the Spark job: read the candles, group,
 * sort, compute, write Parquet into a hidden directory beside the target, committed by Spark's
 * commit protocol; the tasks also gather each secid's first candle, its history start),
 * {@code stats} (rows and time range per file and secid, read back from the files written),
 * {@code stamp} (the footer keys written into each file), {@code commit} (each file's SHA-256,
 * then the hidden directory renamed into place, atomically on a local file system) and
 * {@code record} (one audit row per secid, through the store, in one transaction). A failure in
 * any step before {@code commit} removes the hidden directory and records nothing.
 *
 * @param directory the snapshot directory, {@code .../YYYYMMDD.parquet}
 * @param date the snapshot's date: that of the latest {@code available_at} of its rows
 * @param files the Parquet files in the directory, in name order
 * @param records the audit rows recorded, one per secid, in secid order
 * @param rows the rows written, all secids
 * @param steps the wall time of each step, in the order run
 */
public record SparkSnapshot(Path directory, LocalDate date, List<Path> files, List<SnapshotRecord> records, long rows,
        Map<String, Duration> steps) {

    /**
     * Checks and copies the parts.
     *
     * @param directory the snapshot directory
     * @param date the snapshot's date
     * @param files the files in the directory
     * @param records the audit rows recorded
     * @param rows the rows written
     * @param steps the wall time of each step
     * @throws NullPointerException when a part is null
     */
    public SparkSnapshot {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(date, "date");
        files = List.copyOf(files);
        records = List.copyOf(records);
        steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    /** One file's rows of one secid, as read back after the write. */
    private record Part(String file, String secid, long rows, long minTs, long maxTs) {
    }

    static SparkSnapshot export(SparkFeatures job, Dataset<Row> candles, Path outputDir, Store store,
            boolean overwrite) {
        if (!store.storage().keepsSnapshotLog()) {
            throw new FeatureStoreException("storage " + store.storage().getClass().getName()
                    + " keeps no snapshot audit log (train_data_snapshots); open the store with a JDBC storage, "
                    + "e.g. jdbc:sqlite:data/featurestore.db");
        }
        FeatureSetSpec spec = job.checkedSpec();
        FirstCandles firstCandles = new FirstCandles();
        candles.sparkSession().sparkContext().register(firstCandles, "featurestore first candles");
        Dataset<Row> features = job.compute(candles, firstCandles);
        Timeframe tf = job.timeframeOrNull();
        FeatureRegistry registry = job.registry();
        SnapshotLayout.requireSafeName("feature set", spec.name());
        Path setDir = outputDir.resolve(spec.name()).resolve(tf.toString());
        Path tmp = setDir.resolve(".spark-" + UUID.randomUUID() + ".tmp");
        Map<String, Duration> steps = new LinkedHashMap<>();
        SparkSession spark = candles.sparkSession();
        boolean committed = false;
        try {
            Files.createDirectories(setDir);
            long t = System.nanoTime();
            String before = spark.conf().get("spark.sql.parquet.outputTimestampType", null);
            spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS");
            try {
                features.write().mode(SaveMode.ErrorIfExists).option("compression", "snappy")
                        .parquet(tmp.toAbsolutePath().toUri().toString());
            } catch (Exception e) {
                throw SparkErrors.unwrap(e);
            } finally {
                if (before == null) {
                    spark.conf().unset("spark.sql.parquet.outputTimestampType");
                } else {
                    spark.conf().set("spark.sql.parquet.outputTimestampType", before);
                }
            }
            steps.put("write", since(t));

            Map<String, Long> historyStart = firstCandles.value();

            t = System.nanoTime();
            List<Part> parts = parts(spark, tmp);
            steps.put("stats", since(t));
            if (parts.isEmpty()) {
                throw new InvalidQueryException("nothing to export: the candles give no clean " + spec.name() + " "
                        + tf + " row" + " in the range asked for");
            }

            t = System.nanoTime();
            ExchangeCalendar calendar = registry.calendar();
            long start = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long rows = 0;
            for (Part p : parts) {
                start = Math.min(start, historyStart.get(p.secid()));
                last = Math.max(last, p.maxTs());
                rows += p.rows();
            }
            LocalDate date = calendar.fileDate(tf, calendar.availableAt(tf, last));
            List<FeatureKind> kinds = job.kinds();
            SnapshotMetadata meta = new SnapshotMetadata(spec.name(), tf, spec.features(), kinds,
                    SnapshotFiles.libraryVersion(), start, start, Math.max(start, last),
                    registry.fingerprint(spec.name()));
            Map<String, String> renamed = new TreeMap<>();
            List<String> names = parts.stream().map(Part::file).distinct().sorted().toList();
            for (int i = 0; i < names.size(); i++) {
                String name = SnapshotLayout.fileName(date, "parquet").replace(".parquet",
                        String.format(Locale.ROOT, ".%05d.parquet", i));
                Path from = tmp.resolve(names.get(i));
                Footers.stamp(from, meta.toKeyValues());
                Files.move(from, tmp.resolve(name));
                renamed.put(names.get(i), name);
            }
            try (Stream<Path> left = Files.list(tmp)) {
                for (Path p : left.toList()) {
                    if (!renamed.containsValue(p.getFileName().toString())) {
                        Files.delete(p); // _SUCCESS and the checksums of the files before their footers changed
                    }
                }
            }
            steps.put("stamp", since(t));

            t = System.nanoTime();
            Path target = SnapshotLayout.path(outputDir, spec.name(), tf, date, "parquet");
            Map<String, String> hashes = new TreeMap<>();
            for (String name : renamed.values()) {
                hashes.put(name, SnapshotFiles.sha256(tmp.resolve(name)));
            }
            if (Files.exists(target)) {
                if (!overwrite) {
                    throw new SnapshotConflictException(target.toString(), digest(existingHashes(target)),
                            digest(hashes));
                }
                Path old = setDir.resolve(".spark-" + UUID.randomUUID() + ".old");
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            committed = true;
            SnapshotFiles.fsyncDirectory(setDir);
            steps.put("commit", since(t));

            t = System.nanoTime();
            Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<SnapshotRecord> records = new ArrayList<>();
            for (Part p : parts) {
                String name = renamed.get(p.file());
                records.add(new SnapshotRecord(p.secid(), tf, spec.name(), p.rows(), target.resolve(name).toString(),
                        "parquet", hashes.get(name), p.minTs(), p.maxTs(), historyStart.get(p.secid()), created,
                        meta.libraryVersion(), null, meta.fingerprint()));
            }
            records.sort(Comparator.comparing(SnapshotRecord::secid));
            try {
                store.storage().recordSnapshots(records);
            } catch (RuntimeException e) {
                throw new StorageException("snapshot " + target + " was written completely, but its audit rows could "
                        + "not be recorded in train_data_snapshots: " + e.getMessage(), e);
            }
            steps.put("record", since(t));
            List<Path> files = new ArrayList<>();
            for (String name : renamed.values()) {
                files.add(target.resolve(name));
            }
            return new SparkSnapshot(target, date, files, records, rows, steps);
        } catch (IOException e) {
            throw new StorageException("cannot write the Spark snapshot under " + setDir + ": " + e, e);
        } finally {
            if (!committed) {
                deleteTree(tmp);
            }
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Rows and range of each secid in each file written, read back from the files. */
    private static List<Part> parts(SparkSession spark, Path dir) {
        Dataset<Row> written = spark.read().parquet(dir.toAbsolutePath().toUri().toString());
        List<Row> rows = written.groupBy(functions.input_file_name().as("file"), functions.col("secid"))
                .agg(functions.count(functions.lit(1)), functions.unix_millis(functions.min("ts")),
                        functions.unix_millis(functions.max("ts")))
                .collectAsList();
        List<Part> parts = new ArrayList<>();
        for (Row r : rows) {
            String file = r.getString(0);
            parts.add(new Part(file.substring(file.lastIndexOf('/') + 1), r.getString(1), r.getLong(2), r.getLong(3),
                    r.getLong(4)));
        }
        return parts;
    }

    private static Map<String, String> existingHashes(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    out.put(p.getFileName().toString(), SnapshotFiles.sha256(p));
                }
            }
        } else {
            out.put(dir.getFileName().toString(), SnapshotFiles.sha256(dir));
        }
        return out;
    }

    /** The SHA-256 of a directory's listing of names and file hashes, to name its content in one hash. */
    private static String digest(Map<String, String> hashes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : hashes.entrySet()) {
                md.update((e.getKey() + " " + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StorageException("cannot remove " + dir + ": " + e, e);
        }
    }
}
