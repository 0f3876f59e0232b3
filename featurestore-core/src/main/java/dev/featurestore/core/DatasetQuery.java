package dev.featurestore.core;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.core.dataset.Dataset;
import dev.featurestore.core.dataset.DatasetDefinition;
import dev.featurestore.core.dataset.DatasetSplit;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.dataset.Normalization;
import dev.featurestore.core.dataset.Split;
import dev.featurestore.core.dataset.WalkForward;
import dev.featurestore.core.label.LabelDefinition;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotLog;
import dev.featurestore.api.snapshot.DatasetInfo;
import dev.featurestore.api.snapshot.SnapshotRecord;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A training dataset step: labels from the registry, splits by time (or walk-forward folds),
 * purge, embargo and a normalization fitted on the training split, over the store's stored
 * features and candles ({@code store.forSet(...).secids(...).labels(...)}) or over candle series
 * you hand it ({@code store.forSet(...).labels(...)}).
 *
 * <pre>{@code
 * Dataset ds = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").window(120)
 *         .labels("fwd_ret_12")
 *         .split(Split.train(a, b), Split.valid(b, c), Split.test(c, d))
 *         .normalize(Normalization.zScore().clip(5))
 *         .dataset();                                             // stored features
 * Dataset mem = store.forSet("tech_v2").timeframe("5m").window(120).labels("fwd_ret_12")
 *         .split(Split.train(a, b), Split.test(b, c)).dataset(sber, gazp);   // in memory
 * List<Dataset> folds = query.walkForward(WalkForward.expanding(4, a, d)).folds();
 * }</pre>
 *
 * <p>Leak-proof by default: a sample is part of a split only when its labels are known (and, with
 * {@code asOf}, known by then); {@code purge} defaults to {@code window + largest horizon} bars
 * (see {@link DatasetDefinition}); normalization statistics come from the training range only.
 * Immutable like the other query steps: arguments are checked at once, their combination at the
 * terminal call ({@link #dataset()}, {@link #dataset(List)}, {@link #folds()}, {@link
 * #folds(List)}), which uses the query's timeframe, window, stride (one candidate sample every
 * {@code stride} rows of each secid), asOf and completeThrough and refuses a normalization given
 * with {@code normalized(...)}.
 */
public final class DatasetQuery {
    private final FeatureQuery base;
    private final List<String> secids;
    private final List<LabelDefinition> labels;
    private final List<Split> splits;
    private final WalkForward walkForward;
    private final int purge;
    private final int embargo;
    private final Normalization normalization;

    DatasetQuery(FeatureQuery base, List<String> secids, List<LabelDefinition> labels) {
        this(base, secids, labels, List.of(), null, -1, 0, null);
    }

    private DatasetQuery(FeatureQuery base, List<String> secids, List<LabelDefinition> labels, List<Split> splits,
            WalkForward walkForward, int purge, int embargo, Normalization normalization) {
        this.base = base;
        this.secids = secids;
        this.labels = labels;
        this.splits = splits;
        this.walkForward = walkForward;
        this.purge = purge;
        this.embargo = embargo;
        this.normalization = normalization;
    }

    static List<LabelDefinition> resolve(Store store, String... names) {
        Objects.requireNonNull(names, "labels");
        if (names.length == 0) {
            throw new IllegalArgumentException("name at least one label, e.g. labels(\"fwd_ret_12\"); the registry has "
                    + store.registry().labelNames());
        }
        List<LabelDefinition> out = new ArrayList<>();
        for (String name : names) {
            LabelDefinition l = store.registry().label(name);
            if (out.contains(l)) {
                throw new IllegalArgumentException("label '" + name + "' is given twice");
            }
            out.add(l);
        }
        return List.copyOf(out);
    }

    /** {@return the labels, in the order given} */
    public List<LabelDefinition> labels() {
        return labels;
    }

    /**
     * The splits by time, half-open ranges that must not overlap (checked at the terminal call).
     *
     * @param splits the splits, at least one, e.g. {@code Split.train(a, b), Split.valid(b, c),
     *     Split.test(c, d)}
     * @return a new query with these splits instead of any given before, the other parts unchanged
     * @throws IllegalArgumentException when no split is given
     */
    public DatasetQuery split(Split... splits) {
        List<Split> list = List.of(Objects.requireNonNull(splits, "splits"));
        if (list.isEmpty()) {
            throw new IllegalArgumentException("give at least one split, e.g. Split.train(a, b)");
        }
        return new DatasetQuery(base, secids, labels, list, walkForward, purge, embargo, normalization);
    }

    /**
     * Walk-forward folds instead of fixed splits, for {@link #folds()}.
     *
     * @param folds the folds
     * @return a new query with these folds, the other parts unchanged
     */
    public DatasetQuery walkForward(WalkForward folds) {
        return new DatasetQuery(base, secids, labels, splits, Objects.requireNonNull(folds, "folds"), purge, embargo,
                normalization);
    }

    /**
     * The bars purged before each later split (default {@code window + largest horizon}, which
     * makes leakage impossible; smaller values are allowed, down to 0).
     *
     * @param bars the bars, 0 or more
     * @return a new query with this purge, the other parts unchanged
     * @throws IllegalArgumentException when {@code bars < 0}
     */
    public DatasetQuery purge(int bars) {
        if (bars < 0) {
            throw new IllegalArgumentException("purge must be >= 0 bars, got " + bars);
        }
        return new DatasetQuery(base, secids, labels, splits, walkForward, bars, embargo, normalization);
    }

    /**
     * The bars embargoed after each earlier split (default 0).
     *
     * @param bars the bars, 0 or more
     * @return a new query with this embargo, the other parts unchanged
     * @throws IllegalArgumentException when {@code bars < 0}
     */
    public DatasetQuery embargo(int bars) {
        if (bars < 0) {
            throw new IllegalArgumentException("embargo must be >= 0 bars, got " + bars);
        }
        return new DatasetQuery(base, secids, labels, splits, walkForward, purge, bars, normalization);
    }

    /**
     * A normalization fitted on the split named {@code train} and applied to every split.
     *
     * @param spec what to fit
     * @return a new query with this normalization, the other parts unchanged
     */
    public DatasetQuery normalize(Normalization spec) {
        return new DatasetQuery(base, secids, labels, splits, walkForward, purge, embargo,
                Objects.requireNonNull(spec, "spec"));
    }

    /**
     * The dataset over the stored features and candles of the query's secids.
     *
     * @return the dataset, one {@link dev.featurestore.core.dataset.DatasetSplit} per split
     * @throws InvalidQueryException when the query names no secids (use {@link #dataset(List)}),
     *     has walk-forward folds (use {@link #folds()}), no splits, overlapping splits, a
     *     normalized(...) part, no timeframe, or a secid without stored rows
     */
    public Dataset dataset() {
        requireStored("dataset()");
        refuseFolds("dataset()");
        return Dataset.assemble(definition("dataset()", requireSplits("dataset()")), storedInputs("dataset()"),
                base.store().registry().calendar());
    }

    /**
     * The dataset over candle series you hand it, one per secid.
     *
     * @param series one series per secid, at the query's timeframe or finer
     * @return the dataset
     * @throws InvalidQueryException as {@link #dataset()} does, and when the query names secids
     */
    public Dataset dataset(CandleSeries... series) {
        return dataset(Arrays.asList(Objects.requireNonNull(series, "series")));
    }

    /**
     * The dataset over candle series you hand it, one per secid.
     *
     * @param series one series per secid, at the query's timeframe or finer
     * @return the dataset
     * @throws InvalidQueryException as {@link #dataset()} does, and when the query names secids
     */
    public Dataset dataset(List<CandleSeries> series) {
        requireInMemory("dataset(series)");
        refuseFolds("dataset(series)");
        return Dataset.assemble(definition("dataset(series)", requireSplits("dataset(series)")),
                memoryInputs("dataset(series)", series), base.store().registry().calendar());
    }

    /**
     * One dataset per walk-forward fold, over the stored features and candles (read once).
     *
     * @return the folds' datasets, oldest fold first, each with splits {@code train} and {@code test}
     * @throws InvalidQueryException when no walk-forward folds are given, fixed splits are given
     *     too, or as {@link #dataset()}
     */
    public List<Dataset> folds() {
        requireStored("folds()");
        return folds("folds()", storedInputs("folds()"));
    }

    /**
     * One dataset per walk-forward fold, over candle series you hand it.
     *
     * @param series one series per secid
     * @return the folds' datasets, oldest fold first
     * @throws InvalidQueryException as {@link #folds()} does
     */
    public List<Dataset> folds(List<CandleSeries> series) {
        requireInMemory("folds(series)");
        return folds("folds(series)", memoryInputs("folds(series)", series));
    }

    /**
     * Builds the dataset over the stored features ({@link #dataset()}) and exports each split into
     * its own snapshot file with the format's default compression, no overwrite and the date on
     * which the last label became known; see {@link #export(String, Path, ExportOptions)}.
     *
     * @param format a format name: {@code parquet} (featurestore-parquet) or {@code feather}
     *     (featurestore-arrow)
     * @param dir the snapshot output directory
     * @return the audit rows recorded, split after split, one per secid with samples
     * @throws InvalidQueryException as {@link #export(String, Path, ExportOptions)} does
     */
    public List<SnapshotRecord> export(String format, Path dir) {
        return export(format, dir, ExportOptions.defaults());
    }

    /**
     * Builds the dataset over the stored features ({@link #dataset()}) and exports each split into
     * {@code {dir}/{feature_set}/{timeframe}/YYYYMMDD.{split}.{ext}}, recording one audit row per
     * split and secid in {@code train_data_snapshots} with the split's range, the label
     * definitions, the normalization (id, SHA-256 and statistics) and the dataset's fingerprint.
     *
     * <p>Each file holds, per secid, its feature rows from the first sample's oldest window row
     * through the last sample's newest row (normalized values when the dataset has a
     * normalization: the metadata says which), one column per label, a {@code sample} column (1 on
     * a sample's newest row, where its labels are, else 0) and a {@code split} column (the split's
     * index in the dataset); so each window can be rebuilt from the file: the W rows ending at a
     * sample row. Its metadata holds, beside a feature snapshot's, the pairs under {@code dataset.}:
     * {@code fingerprint}, {@code split}, {@code split_from}, {@code split_to}, {@code splits},
     * {@code window}, {@code purge}, {@code embargo}, {@code labels}, {@code label_definitions},
     * {@code values} ({@code raw} or {@code normalized}), {@code samples} and, when normalized,
     * {@code normalization_id}, {@code normalization_sha256} and {@code normalization} (the JSON).
     *
     * @param format a format name: {@code parquet} or {@code feather}
     * @param dir the snapshot output directory
     * @param options compression, overwrite and the files' date (default: the date on which the
     *     dataset's last label became known)
     * @return the audit rows recorded, split after split, one per secid with samples
     * @throws InvalidQueryException as {@link #dataset()} does, and when no split has a sample
     * @throws dev.featurestore.api.FeatureStoreException when the format is not on the class path
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a different file is at a
     *     split's path and overwrite is off
     * @throws dev.featurestore.api.StorageException when a file cannot be written or recorded
     */
    public List<SnapshotRecord> export(String format, Path dir, ExportOptions options) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        Dataset ds = dataset();
        Store store = base.store();
        SnapshotExporter exporter = SnapshotExporter.builder().format(format).options(options)
                .calendar(store.registry().calendar()).build();
        long known = Long.MIN_VALUE;
        for (DatasetSplit s : ds.splits()) {
            for (int n = 0; n < s.count(); n++) {
                known = Math.max(known, s.labelAvailableAt(n));
            }
        }
        if (known == Long.MIN_VALUE) {
            throw new InvalidQueryException("export(): no split of the dataset has a sample; " + ds.summary());
        }
        Timeframe tf = ds.definition().timeframe();
        LocalDate date = options.date() != null ? options.date() : store.registry().calendar().fileDate(tf, known);
        SnapshotLog log = new SnapshotLog(store.storage());
        List<String> labelLines = new ArrayList<>();
        List<String> labelNames = new ArrayList<>();
        for (LabelDefinition l : ds.definition().labels()) {
            labelLines.add(l.describe());
            labelNames.add(l.name());
        }
        List<String> splitNames = new ArrayList<>();
        for (DatasetSplit s : ds.splits()) {
            splitNames.add(s.name());
        }
        FittedNormalization norm = ds.normalization().orElse(null);
        List<SnapshotRecord> out = new ArrayList<>();
        for (int code = 0; code < ds.splits().size(); code++) {
            DatasetSplit s = ds.splits().get(code);
            List<FeatureFrame> frames = s.exportFrames(code);
            if (frames.isEmpty()) {
                continue;
            }
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("dataset.fingerprint", ds.fingerprint());
            extra.put("dataset.split", s.name());
            extra.put("dataset.split_from", Long.toString(s.split().fromMs()));
            extra.put("dataset.split_to", Long.toString(s.split().toMs()));
            extra.put("dataset.splits", String.join(",", splitNames));
            extra.put("dataset.window", Integer.toString(ds.definition().window()));
            extra.put("dataset.purge", Integer.toString(ds.definition().effectivePurge()));
            extra.put("dataset.embargo", Integer.toString(ds.definition().embargo()));
            extra.put("dataset.labels", String.join(",", labelNames));
            extra.put("dataset.label_definitions", String.join("; ", labelLines));
            extra.put("dataset.values", norm == null ? "raw" : "normalized");
            extra.put("dataset.samples", Integer.toString(s.count()));
            if (norm != null) {
                extra.put("dataset.normalization_id", norm.id());
                extra.put("dataset.normalization_sha256", norm.sha256());
                extra.put("dataset.normalization", norm.toJson());
            }
            DatasetInfo info = new DatasetInfo(s.name(), s.split().fromMs(), s.split().toMs(),
                    String.join("\n", labelLines), norm == null ? null : norm.id(), norm == null ? null : norm.sha256(),
                    norm == null ? null : norm.toJson(), ds.fingerprint());
            out.addAll(log.exportSplit(exporter, dir, frames, date, s.name(), extra, info));
        }
        return List.copyOf(out);
    }

    private List<Dataset> folds(String terminal, List<Dataset.SeriesInput> inputs) {
        if (walkForward == null) {
            throw new InvalidQueryException(terminal + " needs walkForward(...); for fixed splits call dataset()");
        }
        if (!splits.isEmpty()) {
            throw new InvalidQueryException(terminal + " cuts its own splits from walkForward(...), but the query has "
                    + "split(" + splits + "); remove one of them");
        }
        List<Dataset> out = new ArrayList<>();
        for (List<Split> fold : walkForward.splits()) {
            out.add(Dataset.assemble(definition(terminal, fold), inputs, base.store().registry().calendar()));
        }
        return List.copyOf(out);
    }

    private void refuseFolds(String terminal) {
        if (walkForward != null) {
            throw new InvalidQueryException(terminal + " uses fixed splits, but the query has walkForward(" + walkForward
                    + "); call folds() instead");
        }
    }

    private List<Split> requireSplits(String terminal) {
        if (splits.isEmpty()) {
            throw new InvalidQueryException(terminal + " needs split(...), e.g. split(Split.train(a, b), "
                    + "Split.test(b, c)), or walkForward(...) and folds()");
        }
        return splits;
    }

    private void requireStored(String terminal) {
        if (secids == null) {
            throw new InvalidQueryException(terminal + " reads stored features and needs secids(...) on the query; "
                    + "for candle series at hand call dataset(series)");
        }
    }

    private void requireInMemory(String terminal) {
        if (secids != null) {
            throw new InvalidQueryException(terminal + " computes from the series given, but the query names stored "
                    + "secids " + secids + "; call dataset() to read them, or make the query without secids(...)");
        }
    }

    private DatasetDefinition definition(String terminal, List<Split> chosen) {
        Timeframe tf = base.requireTimeframe(terminal);
        base.refuseNormalization(terminal);
        try {
            return new DatasetDefinition(base.spec().name(), base.store().registry().fingerprint(base.spec().name()),
                    tf, base.windowSize(), base.strideOrOne(), labels, chosen, purge, embargo, base.asOfOrNull(), normalization);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException(terminal + ": " + e.getMessage());
        }
    }

    private List<Dataset.SeriesInput> memoryInputs(String terminal, List<CandleSeries> series) {
        base.requireTimeframe(terminal);
        if (series.isEmpty()) {
            throw new InvalidQueryException(terminal + " needs at least one series");
        }
        List<Dataset.SeriesInput> out = new ArrayList<>(series.size());
        for (CandleSeries s : series) {
            CandleSeries prepared = base.prepare(Objects.requireNonNull(s, "series"));
            FeatureFrame rows = base.computeFrame(prepared, true, false);
            out.add(new Dataset.SeriesInput(rows, Columns.ts(prepared), Columns.close(prepared)));
        }
        return out;
    }

    private List<Dataset.SeriesInput> storedInputs(String terminal) {
        Timeframe tf = base.requireTimeframe(terminal);
        Store store = base.store();
        FeatureStorage storage = store.storage();
        store.registry().requireUnchanged(storage, base.spec().name(), tf, secids, terminal);
        Instant asOf = base.asOfOrNull();
        long toTs = asOf == null ? Long.MAX_VALUE
                : saturatedIncrement(store.registry().calendar().lastOpenAvailableBy(tf, asOf.toEpochMilli()));
        List<Dataset.SeriesInput> out = new ArrayList<>(secids.size());
        StoredQuery stored = new StoredQuery(base, secids, null, null);
        for (String secid : secids) {
            FeatureFrame rows = storage.readFeatures(base.spec().name(), base.spec().features(), secid, tf,
                    Long.MIN_VALUE, toTs);
            if (rows.isEmpty()) {
                stored.requireBuilt(terminal, storage, secid, tf);
                throw new InvalidQueryException(terminal + ": no stored " + base.spec().name() + " " + tf
                        + " rows of secid '" + secid + "'" + (asOf == null ? "" : " known by " + asOf));
            }
            Timeframe source = StoredQuery.sourceTimeframe(storage, secid, tf);
            CandleSeries prepared = base.prepare(storage.readCandles(secid, source, Long.MIN_VALUE, Long.MAX_VALUE));
            out.add(new Dataset.SeriesInput(rows, Columns.ts(prepared), Columns.close(prepared)));
        }
        return out;
    }

    private static long saturatedIncrement(long v) {
        return v == Long.MAX_VALUE ? v : v + 1;
    }

    @Override
    public String toString() {
        return "DatasetQuery[" + base.spec().name() + base.describe() + (secids == null ? ", in memory" : ", secids "
                + secids) + ", labels " + labels.stream().map(LabelDefinition::name).toList()
                + (splits.isEmpty() ? "" : ", splits " + splits) + (walkForward == null ? "" : ", " + walkForward)
                + ", purge " + (purge < 0 ? "default" : purge) + ", embargo " + embargo
                + (normalization == null ? "" : ", normalize " + normalization) + "]";
    }
}
