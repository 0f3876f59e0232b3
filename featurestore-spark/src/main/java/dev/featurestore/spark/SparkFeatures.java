package dev.featurestore.spark;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.RegistryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.spark.internal.FirstCandles;
import dev.featurestore.spark.internal.GroupCompute;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A feature set built on Apache Spark with the same kernels as on one machine: the candles are
 * grouped by secid and sorted by ts within each group, each secid's whole history is computed by
 * the core ({@link FeatureQuery#compute}, resampling when the candles are finer than the
 * timeframe), and its clean rows of the range come out with the columns and types of a Parquet
 * snapshot.
 *
 * <pre>{@code
 * Dataset<Row> candles = spark.read().parquet("data/candles");   // secid, ts, open, high, low, close, volume
 * Dataset<Row> features = SparkFeatures.compute(candles, "tech_v2", "5m");
 *
 * SparkSnapshot s = SparkFeatures.forSet("tech_v2").timeframe("5m").candleTimeframe("1m")
 *         .exportSnapshot(candles, Path.of("data/processed/features"), store);  // store: the JDBC fact layer
 * }</pre>
 *
 * <p>Candles: a column {@code secid} (string), {@code ts} (timestamp, or bigint epoch milliseconds
 * UTC), and {@code open}, {@code high}, {@code low}, {@code close}, {@code volume} (double); other
 * columns are ignored. A wrong schema is refused at once, before any Spark work, naming the column
 * and the type expected. Each secid's candles are checked as a {@link dev.featurestore.api.CandleSeries}
 * checks them; a bad one fails the job with an {@link dev.featurestore.api.InvalidCandleException}
 * naming the secid, the row, the ts and the field.
 *
 * <p>Rows out: {@code secid} (string), {@code ts} (timestamp, the candle's open time), then one
 * column per feature in the set's order, double for numeric features and byte (8-bit integer)
 * for categorical ones; no column is nullable. Warm-up: every secid is computed from its first
 * candle, whatever the range asked for, so the rows equal those of a single-machine build bit for
 * bit.
 *
 * <p>Immutable and serializable in what it ships: each step returns a new value; the registry
 * travels to the executors as its YAML text and is parsed once per executor JVM.
 */
public final class SparkFeatures {
    private final String featureSet;
    private final Timeframe timeframe;
    private final Timeframe candleTimeframe;
    private final String registryName;
    private final String registryYaml;
    private final Instant from;
    private final Instant to;
    private final Instant completeThrough;

    private SparkFeatures(String featureSet, Timeframe timeframe, Timeframe candleTimeframe, String registryName,
            String registryYaml, Instant from, Instant to, Instant completeThrough) {
        this.featureSet = featureSet;
        this.timeframe = timeframe;
        this.candleTimeframe = candleTimeframe;
        this.registryName = registryName;
        this.registryYaml = registryYaml;
        this.from = from;
        this.to = to;
        this.completeThrough = completeThrough;
    }

    /**
     * A build of this feature set, with the built-in registry, 1m candles and no range (every row).
     *
     * @param featureSet the set's name as the registry spells it, e.g. {@code tech_v2}; checked at
     *     the terminal call
     * @return a build with no timeframe chosen yet
     * @throws IllegalArgumentException when the name is blank
     */
    public static SparkFeatures forSet(String featureSet) {
        Objects.requireNonNull(featureSet, "featureSet");
        if (featureSet.isBlank()) {
            throw new IllegalArgumentException("feature set name is blank");
        }
        return new SparkFeatures(featureSet, null, Timeframe.ONE_MINUTE, FeatureRegistry.BUILTIN_RESOURCE, null, null,
                null, null);
    }

    /**
     * The features of every clean row of the candles, with the built-in registry and 1m candles:
     * sugar for {@code forSet(featureSet).timeframe(timeframe).compute(candles)}.
     *
     * @param candles the candles of any number of secids, in any order
     * @param featureSet the set's name, e.g. {@code tech_v2}
     * @param timeframe the features' timeframe, e.g. {@code 5m}
     * @return the rows, lazily computed, in the snapshot schema
     * @throws IllegalArgumentException when the candles' schema is wrong (naming the column and the
     *     type expected) or the timeframe is not one
     * @throws InvalidQueryException when the set does not allow the timeframe
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry has no such set
     */
    public static Dataset<Row> compute(Dataset<Row> candles, String featureSet, String timeframe) {
        return forSet(featureSet).timeframe(timeframe).compute(candles);
    }

    /**
     * The features' timeframe, e.g. {@code "5m"}; finer candles are resampled to it.
     *
     * @param timeframe the timeframe as text: {@code Nm}, {@code Nh} or {@code 1d}
     * @return a new build at this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe
     */
    public SparkFeatures timeframe(String timeframe) {
        return new SparkFeatures(featureSet, Timeframe.parse(Objects.requireNonNull(timeframe, "timeframe")),
                candleTimeframe, registryName, registryYaml, from, to, completeThrough);
    }

    /**
     * The timeframe of the candles given (default {@code 1m}), as the single-machine build's
     * stored timeframe.
     *
     * @param timeframe the candles' timeframe as text, e.g. {@code "1m"}; it must divide the features'
     * @return a new build over candles of this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe
     */
    public SparkFeatures candleTimeframe(String timeframe) {
        return new SparkFeatures(featureSet, this.timeframe,
                Timeframe.parse(Objects.requireNonNull(timeframe, "timeframe")), registryName, registryYaml, from, to,
                completeThrough);
    }

    /**
     * Reads the registry from this YAML file (default: the built-in registry); the file is read and
     * checked at once, and its text goes to the executors.
     *
     * @param file the registry file, e.g. {@code config/feature_store.yaml}
     * @return a new build with this registry, the other parts unchanged
     * @throws RegistryException naming file, line and key when the file cannot be read or is invalid
     */
    public SparkFeatures registry(Path file) {
        Objects.requireNonNull(file, "file");
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RegistryException(file.toString(), 0, null, "cannot be read: " + e, e);
        }
        FeatureRegistry.parse(file.toString(), yaml);
        return new SparkFeatures(featureSet, timeframe, candleTimeframe, file.toString(), yaml, from, to,
                completeThrough);
    }

    /**
     * Only the rows whose candle opens in {@code [from, to)}; the candles before {@code from} are
     * still the warm-up history, as in a single-machine build.
     *
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return a new build over this range, the other parts unchanged
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     */
    public SparkFeatures between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("between(" + from + ", " + to + "): from is after to; the range is "
                    + "from <= ts < to");
        }
        return new SparkFeatures(featureSet, timeframe, candleTimeframe, registryName, registryYaml, from, to,
                completeThrough);
    }

    /**
     * States that the candles are complete through this time, so that a resampled bucket ending
     * at or before it is built even when no later candle exists (see
     * {@link FeatureQuery#completeThrough(Instant)}).
     *
     * @param time the end of the complete candles
     * @return a new build with this completeness bound, the other parts unchanged
     */
    public SparkFeatures completeThrough(Instant time) {
        return new SparkFeatures(featureSet, timeframe, candleTimeframe, registryName, registryYaml, from, to,
                Objects.requireNonNull(time, "completeThrough"));
    }

    /** {@return the feature set's name, as given to {@link #forSet(String)}} */
    public String featureSet() {
        return featureSet;
    }

    /**
     * The snapshot schema of this set: {@code secid}, {@code ts}, then the features in order.
     *
     * @return the schema of the rows {@link #compute(Dataset)} returns
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry has no such set
     */
    public StructType outputSchema() {
        return outputSchema(spec(), kinds());
    }

    /**
     * The features of every clean row of the range, secid by secid: lazily, as a Spark plan that
     * groups the candles by secid, sorts each group by ts and computes it on an executor.
     *
     * @param candles the candles of any number of secids, in any order (see the class comment for
     *     the columns)
     * @return the rows, in the snapshot schema ({@link #outputSchema()}); the rows of one secid
     *     come out together, oldest first
     * @throws IllegalArgumentException when the candles' schema is wrong, naming the column and the
     *     type expected
     * @throws InvalidQueryException when the timeframe is missing or not allowed for the set, or
     *     the candles' timeframe is coarser than it
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry has no such set
     */
    public Dataset<Row> compute(Dataset<Row> candles) {
        return compute(candles, null);
    }

    /** {@link #compute(Dataset)}, telling {@code firstCandles} (when not null) each secid's first candle. */
    Dataset<Row> compute(Dataset<Row> candles, FirstCandles firstCandles) {
        Objects.requireNonNull(candles, "candles");
        FeatureSetSpec spec = checkedSpec();
        boolean micros = checkSchema(candles.schema());
        List<FeatureKind> kinds = kinds();
        Column ts = micros ? functions.unix_micros(functions.col("ts")) : functions.col("ts");
        Dataset<Row> in = candles.select(functions.col("secid"), ts.as("ts"), functions.col("open"),
                functions.col("high"), functions.col("low"), functions.col("close"), functions.col("volume"));
        boolean[] categorical = new boolean[kinds.size()];
        for (int i = 0; i < categorical.length; i++) {
            categorical[i] = kinds.get(i) == FeatureKind.CATEGORICAL;
        }
        boolean instants = Boolean.parseBoolean(
                candles.sparkSession().conf().get("spark.sql.datetime.java8API.enabled", "false"));
        GroupCompute work = new GroupCompute(featureSet, timeframe.toString(), candleTimeframe.toString(),
                registryName, registryYaml, from == null ? Long.MIN_VALUE : from.toEpochMilli(),
                to == null ? Long.MAX_VALUE : to.toEpochMilli(),
                completeThrough == null ? 0 : completeThrough.toEpochMilli(), completeThrough != null, micros,
                instants, spec.features().toArray(new String[0]), categorical, firstCandles);
        return in.groupBy(functions.col("secid")).as(Encoders.STRING(), Encoders.row(in.schema()))
                .flatMapSortedGroups(new Column[] {functions.col("ts")}, work,
                        Encoders.row(outputSchema(spec, kinds)));
    }

    /**
     * Computes the features and writes them as one snapshot with Spark's own Parquet writer, then
     * records it in the store's {@code train_data_snapshots}: see {@link SparkSnapshot} for the
     * layout and the steps. Nothing is recorded unless the write has committed; a failed job leaves
     * neither a snapshot directory nor audit rows.
     *
     * @param candles the candles, as {@link #compute(Dataset)} takes them
     * @param outputDir the {@code snapshot_output_dir}, a path every executor and the driver see
     * @param store the store whose storage keeps the snapshot audit log (the JDBC storages do); used
     *     on the driver only
     * @return the snapshot written and the rows recorded, with the time of each step
     * @throws IllegalArgumentException as {@link #compute(Dataset)} does
     * @throws InvalidQueryException as {@link #compute(Dataset)} does, and when no clean row comes out
     * @throws dev.featurestore.api.InvalidCandleException when a secid's candles are invalid
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a snapshot of that date is
     *     there already
     * @throws dev.featurestore.api.FeatureStoreException when the storage keeps no snapshot log (checked
     *     before any work) or the job fails otherwise
     */
    public SparkSnapshot exportSnapshot(Dataset<Row> candles, Path outputDir, Store store) {
        return exportSnapshot(candles, outputDir, store, false);
    }

    /**
     * {@link #exportSnapshot(Dataset, Path, Store)}, replacing a snapshot of the same date when
     * {@code overwrite}.
     *
     * @param candles the candles, as {@link #compute(Dataset)} takes them
     * @param outputDir the {@code snapshot_output_dir}, a path every executor and the driver see
     * @param store the store whose storage keeps the snapshot audit log; used on the driver only
     * @param overwrite true to replace a snapshot directory of the same date, false to fail on it
     * @return the snapshot written and the rows recorded, with the time of each step
     * @throws IllegalArgumentException as {@link #compute(Dataset)} does
     * @throws InvalidQueryException as {@link #exportSnapshot(Dataset, Path, Store)} does
     * @throws dev.featurestore.api.InvalidCandleException when a secid's candles are invalid
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a snapshot of that date is
     *     there and {@code overwrite} is false
     * @throws dev.featurestore.api.FeatureStoreException as {@link #exportSnapshot(Dataset, Path, Store)} does
     */
    public SparkSnapshot exportSnapshot(Dataset<Row> candles, Path outputDir, Store store, boolean overwrite) {
        Objects.requireNonNull(candles, "candles");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(store, "store");
        return SparkSnapshot.export(this, candles, outputDir, store, overwrite);
    }

    FeatureSetSpec spec() {
        return registry().featureSet(featureSet);
    }

    FeatureRegistry registry() {
        return GroupCompute.store(registryName, registryYaml).registry();
    }

    Timeframe timeframeOrNull() {
        return timeframe;
    }

    List<FeatureKind> kinds() {
        List<FeatureKind> kinds = new ArrayList<>();
        for (Indicator i : registry().indicators(spec())) {
            kinds.add(i.kind());
        }
        return kinds;
    }

    /** The set, checked against the timeframes: the checks a single-machine build makes first. */
    FeatureSetSpec checkedSpec() {
        FeatureSetSpec spec = spec();
        if (timeframe == null) {
            throw new InvalidQueryException("the Spark build needs a timeframe; call timeframe(...) (allowed for '"
                    + featureSet + "': " + spec.timeframes() + ")");
        }
        if (!spec.allows(timeframe)) {
            throw new InvalidQueryException("feature set '" + featureSet + "' does not allow timeframe " + timeframe
                    + "; allowed: " + spec.timeframes());
        }
        if (candleTimeframe.millis() > timeframe.millis()) {
            throw new InvalidQueryException("candle timeframe " + candleTimeframe + " is coarser than the feature "
                    + "timeframe " + timeframe + "; give candles of " + timeframe + " or finer");
        }
        return spec;
    }

    /** Checks the candle columns; true when ts is a timestamp (microseconds), false when bigint milliseconds. */
    static boolean checkSchema(StructType schema) {
        requireColumn(schema, "secid", DataTypes.StringType, "string");
        boolean micros;
        StructField ts = field(schema, "ts", "timestamp (or bigint epoch milliseconds UTC)");
        if (ts.dataType().equals(DataTypes.TimestampType)) {
            micros = true;
        } else if (ts.dataType().equals(DataTypes.LongType)) {
            micros = false;
        } else {
            throw new IllegalArgumentException("candles column 'ts' is " + ts.dataType().simpleString()
                    + "; expected timestamp (an instant, UTC) or bigint (epoch milliseconds UTC)"
                    + (ts.dataType().equals(DataTypes.TimestampNTZType)
                            ? ": a timestamp_ntz has no time zone; convert it with to_utc_timestamp" : ""));
        }
        for (String c : List.of("open", "high", "low", "close", "volume")) {
            requireColumn(schema, c, DataTypes.DoubleType, "double");
        }
        return micros;
    }

    private static void requireColumn(StructType schema, String name, DataType type, String typeName) {
        StructField f = field(schema, name, typeName);
        if (!f.dataType().equals(type)) {
            throw new IllegalArgumentException("candles column '" + name + "' is " + f.dataType().simpleString()
                    + "; expected " + typeName + " (cast it, e.g. col(\"" + name + "\").cast(\"" + typeName + "\"))");
        }
    }

    private static StructField field(StructType schema, String name, String typeName) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("candles have no column '" + name + "' (" + typeName + "); columns: "
                + String.join(", ", schema.fieldNames()) + "; expected secid, ts, open, high, low, close, volume");
    }

    static StructType outputSchema(FeatureSetSpec spec, List<FeatureKind> kinds) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("secid", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("ts", DataTypes.TimestampType, false));
        for (int i = 0; i < kinds.size(); i++) {
            fields.add(DataTypes.createStructField(spec.features().get(i),
                    kinds.get(i) == FeatureKind.CATEGORICAL ? DataTypes.ByteType : DataTypes.DoubleType, false));
        }
        return DataTypes.createStructType(fields);
    }

    @Override
    public String toString() {
        return "SparkFeatures[" + featureSet + (timeframe == null ? "" : " " + timeframe) + " from " + candleTimeframe
                + " candles" + (from == null ? "" : ", [" + from + ", " + to + ")")
                + (completeThrough == null ? "" : ", complete through " + completeThrough) + ", registry "
                + registryName + "]";
    }
}
