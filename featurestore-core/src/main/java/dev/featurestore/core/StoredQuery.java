package dev.featurestore.core;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.InsufficientHistoryException;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildListener;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.dataset.FittedNormalization;
import dev.featurestore.core.ingest.Ingest;
import dev.featurestore.core.internal.RunAccess;
import dev.featurestore.core.internal.concurrent.Handoff;
import dev.featurestore.core.snapshot.ExportOptions;
import dev.featurestore.core.snapshot.SnapshotExporter;
import dev.featurestore.core.snapshot.SnapshotLog;
import dev.featurestore.core.stream.FeatureStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A query over the store's fact layer: one feature set, a timeframe, named instruments and
 * optionally a range of candle open times. Made by {@link FeatureQuery#secid(String)} or {@link
 * FeatureQuery#secids(String...)}, which carry over the parts given before.
 *
 * <pre>{@code
 * store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").between(from, to).build();
 * FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER").asOf(t).fetch();
 * FeatureFrame f = store.forSet("tech_v2").timeframe("5m").secid("SBER").between(from, to).frame();
 * List<SnapshotRecord> rows = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
 *         .between(from, to).export("parquet", Path.of("data/processed/features"));
 * }</pre>
 *
 * <p>Ranges are half-open everywhere: {@code between(from, to)} means candle open times
 * {@code from <= ts < to}; {@code from == to} is an empty range. Immutable, like {@link
 * FeatureQuery}. Every part given is used by the terminal call or refused by it with an {@link
 * InvalidQueryException} naming the part:
 *
 * <table>
 * <caption>Which terminal call uses which part</caption>
 * <tr><th>terminal</th><th>uses</th><th>refuses</th></tr>
 * <tr><td>{@link #build()}</td><td>secids, between, window (recorded), completeThrough</td><td>asOf, stride</td></tr>
 * <tr><td>{@link #fetch()}</td><td>one secid, asOf (required), window</td><td>between, completeThrough, stride</td></tr>
 * <tr><td>{@link #fetchLatest()}</td><td>one secid, window</td><td>asOf, between, completeThrough, stride</td></tr>
 * <tr><td>{@link #frame()}</td><td>one secid, between, asOf</td><td>window, completeThrough, stride</td></tr>
 * <tr><td>{@link #export(String, Path)}</td><td>secids, between, asOf</td><td>window, completeThrough, stride</td></tr>
 * <tr><td>{@link #stream()}</td><td>one secid, window</td><td>between, asOf, completeThrough, stride</td></tr>
 * </table>
 *
 * <p>{@link #normalized(FittedNormalization)} applies to {@link #fetch()}, {@link #fetchLatest()}
 * and {@link #frame()}, and is refused by {@link #build()} and {@link #export(String, Path)}.
 * {@link #labels(String...)} turns the query into a {@link DatasetQuery} over the stored rows,
 * which uses the window, stride, asOf and completeThrough, and refuses a range.
 */
public final class StoredQuery {
    static {
        RunAccess.Builds<StoredQuery, Built> each = (q, stored) -> q.buildAll("buildKeepingRows(each)", false,
                Objects.requireNonNull(stored, "stored"));
        RunAccess.builds(each);
    }

    private final FeatureQuery base;
    private final List<String> secids;
    private final Instant from;
    private final Instant to;

    StoredQuery(FeatureQuery base, List<String> secids, Instant from, Instant to) {
        this.base = base;
        this.secids = secids;
        this.from = from;
        this.to = to;
    }

    static List<String> checkSecids(Collection<String> secids) {
        return Ingest.checkSecids(secids);
    }

    /** {@return the feature set queried, as the registry defines it} */
    public FeatureSetSpec spec() {
        return base.spec();
    }

    /** {@return the instruments of the query, in the order given, without repeats; never empty} */
    public List<String> secids() {
        return secids;
    }

    /** {@return the window size in effect: the one given, else the set's default} */
    public int windowSize() {
        return base.windowSize();
    }

    /**
     * The same query at another timeframe (see {@link FeatureQuery#timeframe(String)}).
     *
     * @param timeframe the timeframe as text: {@code Nm}, {@code Nh} or {@code 1d}
     * @return a new query with this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe (the message lists the
     *     valid forms)
     */
    public StoredQuery timeframe(String timeframe) {
        return new StoredQuery(base.timeframe(timeframe), secids, from, to);
    }

    /**
     * The same query at another timeframe; whether the set allows it is checked at the terminal call.
     *
     * @param timeframe the timeframe
     * @return a new query with this timeframe, the other parts unchanged
     */
    public StoredQuery timeframe(Timeframe timeframe) {
        return new StoredQuery(base.timeframe(timeframe), secids, from, to);
    }

    /**
     * The window size W for {@link #fetch()} and {@link #fetchLatest()}, recorded by {@link #build()}.
     *
     * @param size the number of rows per window, at least 1
     * @return a new query with this window size, the other parts unchanged
     * @throws IllegalArgumentException when {@code size < 1}
     */
    public StoredQuery window(int size) {
        return new StoredQuery(base.window(size), secids, from, to);
    }

    /**
     * Only rows known at this time, {@code available_at = ts + timeframe <= asOf}: the window
     * {@link #fetch()} reads, and the rows {@link #frame()} and {@link #export(String, Path)} read.
     *
     * @param time the moment of knowledge; rows of candles still open at it are left out
     * @return a new query as of this time, the other parts unchanged
     */
    public StoredQuery asOf(Instant time) {
        return new StoredQuery(base.asOf(time), secids, from, to);
    }

    /**
     * For {@link #build()} from finer candles: the source candles are complete through this time,
     * so a resampled bucket ending at or before it is final.
     *
     * @param time the end of the complete source data
     * @return a new query with this completeness bound, the other parts unchanged
     */
    public StoredQuery completeThrough(Instant time) {
        return new StoredQuery(base.completeThrough(time), secids, from, to);
    }

    /**
     * Values normalized with statistics fitted on a training split, for {@link #fetch()}, {@link
     * #fetchLatest()} and {@link #frame()} (see {@link FeatureQuery#normalized(FittedNormalization)}).
     *
     * @param fitted the fitted statistics, of this feature set and timeframe
     * @return a new query giving normalized values, the other parts unchanged
     */
    public StoredQuery normalized(FittedNormalization fitted) {
        return new StoredQuery(base.normalized(fitted), secids, from, to);
    }

    /**
     * A training dataset over the stored features and candles of the query's secids (see {@link
     * DatasetQuery}), with these labels of the registry's {@code labels:} section. The parts given
     * so far carry over, but not a range: the splits give the ranges.
     *
     * @param labels the label names, at least one, e.g. {@code fwd_ret_12}
     * @return a dataset query with no splits chosen yet
     * @throws InvalidQueryException when the query has a range ({@code between})
     * @throws dev.featurestore.core.label.UnknownLabelException when the registry lacks a label
     * @throws IllegalArgumentException when no label is given or one repeats
     */
    public DatasetQuery labels(String... labels) {
        if (from != null) {
            throw new InvalidQueryException("a dataset takes its ranges from its splits, but the query has between("
                    + from + ", " + to + "); remove it and give split(...) or walkForward(...)");
        }
        return new DatasetQuery(base, secids, DatasetQuery.resolve(base.store(), labels));
    }

    /**
     * The same query for another instrument.
     *
     * @param secid the instrument's code, e.g. {@code SBER}; not blank
     * @return a new query over this one instrument, the other parts unchanged
     * @throws IllegalArgumentException when {@code secid} is blank
     */
    public StoredQuery secid(String secid) {
        return new StoredQuery(base, checkSecids(List.of(Objects.requireNonNull(secid, "secid"))), from, to);
    }

    /**
     * The same query for other instruments.
     *
     * @param secids the instruments' codes, at least one, none blank; repeats are dropped
     * @return a new query over these instruments in the order given, the other parts unchanged
     * @throws IllegalArgumentException when no secid is given or one is blank
     */
    public StoredQuery secids(String... secids) {
        return new StoredQuery(base, checkSecids(Arrays.asList(Objects.requireNonNull(secids, "secids"))), from, to);
    }

    /**
     * The range of candle open times {@code from <= ts < to} that {@link #build()} writes and
     * {@link #frame()} and {@link #export(String, Path)} read. Default: all there is. {@code from
     * == to} is an empty range.
     *
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return a new query over this range, the other parts unchanged
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     */
    public StoredQuery between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("between(" + from + ", " + to + "): from is after to; the range is "
                    + "from <= ts < to");
        }
        return new StoredQuery(base, secids, from, to);
    }

    /**
     * Builds the features of each secid from the stored candles and stores them: reads the
     * candles from the start of the stored history (so that recursive features come out
     * bit-identical to one full build), resampling from the finest stored timeframe that divides
     * the query's when that one is not stored, computes, and writes the clean rows with
     * {@code from <= ts < to} (default all) and the build record in one transaction per secid.
     * Rebuilding a range writes the same values again.
     *
     * @return one record per secid, in the order given: range built (half-open), history start,
     *     rows written
     * @throws InvalidQueryException when the timeframe is missing, the set does not allow it, no
     *     usable candles are stored or none lies in the range, or the query has asOf or a stride
     * @throws dev.featurestore.api.StorageException when the storage fails; secids built before
     *     the failing one stay built
     */
    public List<BuildRecord> build() {
        List<BuildRecord> out = new ArrayList<>(secids.size());
        buildAll("build()", false, b -> out.add(b.record()));
        return List.copyOf(out);
    }

    /**
     * What {@link #buildKeepingRows()} wrote for one secid.
     *
     * @param record the build recorded, as {@link #build()} returns it
     * @param rows the clean rows stored, with {@code record.fromTs() <= ts < record.toTs()}: the
     *     same values a {@link #frame()} over that range reads back, bit for bit
     * @param candles the candles of the same range at the query's timeframe that the rows were
     *     computed from (resampled when the stored candles are finer)
     */
    public record Built(BuildRecord record, FeatureFrame rows, CandleSeries candles) {
        /**
         * Checks that no part is null.
         *
         * @param record the build recorded
         * @param rows the clean rows stored
         * @param candles the candles the rows were computed from
         * @throws NullPointerException when a part is null
         */
        public Built {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(rows, "rows");
            Objects.requireNonNull(candles, "candles");
        }
    }

    /**
     * {@link #build()}, handing back the rows written and the candles they came from, so that a
     * job which goes on to export or check them needs not read them again (the {@link
     * dev.featurestore.core.pipeline.Pipeline} does so). Uses and refuses the same parts as
     * {@link #build()}.
     *
     * @return one result per secid, in the order given
     * @throws InvalidQueryException as {@link #build()} does
     * @throws dev.featurestore.api.StorageException as {@link #build()} does
     */
    public List<Built> buildKeepingRows() {
        return buildAll("buildKeepingRows()", true, b -> { });
    }

    /**
     * {@link #buildKeepingRows()}, telling {@code each} of every secid as soon as its rows are
     * stored (on the calling thread, in the order given), so that a job can report progress or
     * start on the rows at once.
     *
     * @param each told of each secid's result once it is stored; what it throws stops the build
     *     (the secids stored before stay stored)
     * @return one result per secid, in the order given
     * @throws InvalidQueryException as {@link #build()} does
     * @throws dev.featurestore.api.StorageException as {@link #build()} does
     */
    public List<Built> buildKeepingRows(Consumer<Built> each) {
        return buildAll("buildKeepingRows(each)", true, Objects.requireNonNull(each, "each"));
    }

    /**
     * Builds secid after secid. With several secids, the reading and computing of the next runs
     * on a thread of its own while this thread stores the rows of the one before (one storage
     * writer, as before), so computing overlaps with writing; each secid's values are the same
     * whichever thread computed them, and a failure stops the build at the same secid. Without
     * {@code keep} (a run's build, see {@link RunAccess}) the results are only told to {@code
     * each}, so that no more than two secids' rows are in hand at a time, and the list is empty.
     */
    private List<Built> buildAll(String terminal, boolean keep, Consumer<Built> each) {
        Timeframe tf = base.requireTimeframe(terminal);
        if (base.asOfOrNull() != null) {
            throw new InvalidQueryException(terminal + " writes every row of its range, but the query has asOf("
                    + base.asOfOrNull() + "); asOf applies to fetch(), frame() and export(): remove it, or use "
                    + "between(from, to)");
        }
        base.refuseStride(terminal);
        base.refuseNormalization(terminal);
        base.store().registry().requireUnchanged(base.store().storage(), spec().name(), tf, secids, terminal);
        List<Built> out = new ArrayList<>(secids.size());
        if (secids.size() == 1) {
            Built b = write(computeOne(secids.get(0), tf));
            if (keep) {
                out.add(b);
            }
            each.accept(b);
            return List.copyOf(out);
        }
        try (Handoff handoff = new Handoff("featurestore-build " + spec().name() + " " + tf, 1, sink -> {
            for (String secid : secids) {
                sink.put(computeOne(secid, tf));
            }
        })) {
            for (Object item = handoff.take(); item != Handoff.END; item = handoff.take()) {
                Built b = write((Computed) item);
                if (keep) {
                    out.add(b);
                }
                each.accept(b);
            }
        }
        return List.copyOf(out);
    }

    /**
     * One secid's rows, computed and not yet stored, with the record to store them under and the
     * stream checkpoint to save after them (null when the storage keeps none).
     */
    private record Computed(BuildRecord record, FeatureFrame rows, CandleSeries candles, Timeframe tf,
            StreamCheckpoint checkpoint) {
    }

    private Built write(Computed c) {
        ExchangeCalendar calendar = base.store().registry().calendar();
        FeatureStorage storage = base.store().storage();
        storage.writeBuild(c.record(), c.rows(), ts -> calendar.availableAt(c.tf(), ts), BuildListener.NONE);
        if (c.checkpoint() != null) {
            storage.saveStreamCheckpoint(c.checkpoint());
        }
        return new Built(c.record(), c.rows(), c.candles());
    }

    /**
     * The checkpoint of a stream that has taken the stored candles a build read, or null when the
     * storage keeps none or the stream refuses a candle the batch computation takes.
     */
    private StreamCheckpoint buildCheckpoint(FeatureStorage storage, CandleSeries candles, Timeframe source,
            Timeframe tf, long historyStart) {
        if (!storage.keepsStreamCheckpoints() || candles.size() == 0) {
            return null;
        }
        try {
            FeatureStream s = base.stream(candles.secid(), source).from(candles);
            return StreamCheckpoints.of(s, tf, historyStart, base.store().registry().fingerprint(spec().name()));
        } catch (FeatureStoreException e) {
            return null;
        }
    }

    private Computed computeOne(String secid, Timeframe tf) {
        Instant startedAt = Instant.now();
        FeatureStorage storage = base.store().storage();
        Timeframe source = sourceTimeframe(storage, secid, tf);
        long historyStart = storage.firstCandleTs(secid, source).orElseThrow(() -> new InvalidQueryException(
                "no candles of secid '" + secid + "' are stored at " + source));
        long toMs = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        // Candles of every bucket opening before `to` plus the next source candle, which tells the
        // resampler that the last of those buckets is final.
        ExchangeCalendar calendar = base.store().registry().calendar();
        long readTo = saturatedAdd(calendar.availableAt(tf, toMs), source.millis());
        CandleSeries candles = storage.readCandles(secid, source, historyStart, readTo);
        CandleSeries prepared = base.prepare(candles);
        if (prepared.size() == 0) {
            throw new InvalidQueryException("secid '" + secid + "': the stored " + source + " candles give no final "
                    + tf + " candle to build from");
        }
        long[] cts = Columns.ts(prepared);
        long first = cts[0];
        long last = cts[cts.length - 1];
        long fromTs = Math.max(from == null ? Long.MIN_VALUE : from.toEpochMilli(), first);
        long toTs = Math.min(toMs, calendar.availableAt(tf, last)); // the close of the last final candle
        if (fromTs >= toTs) {
            throw new InvalidQueryException("secid '" + secid + "': no final " + tf + " candle opens in " + range()
                    + "; the stored candles give final " + tf + " candles opening " + Instant.ofEpochMilli(first)
                    + " .. " + Instant.ofEpochMilli(last));
        }
        FeatureFrame all = base.computeFrame(prepared, true, false);
        FeatureFrame rows = all.rows(lowerBound(all, fromTs), lowerBound(all, toTs));
        BuildRecord record = new BuildRecord(spec().name(), tf, secid, fromTs, toTs, first, rows.size(), windowSize(),
                startedAt, Instant.now(), BuildRecord.Status.COMPLETED, base.store().registry().fingerprint(spec().name()));
        int lo = lowerBound(cts, fromTs);
        return new Computed(record, rows, prepared.slice(lo, lowerBound(cts, toTs)), tf,
                buildCheckpoint(storage, candles, source, tf, historyStart));
    }

    /**
     * A stream of the one secid that starts from its stored history and writes each clean row it
     * emits to the fact layer at once, so that {@link #fetch()}, {@link #frame()} and SQL readers
     * see it. The stream starts from the stored candles of the finest stored timeframe that
     * divides the query's (the same candles and the same start a {@link #build()} computes from),
     * so a later ingest of the same candles and a build store the same rows, bit for bit. Without
     * stored candles it starts empty, taking 1m candles. The streamed candles themselves are not
     * stored (ingest them as usual, best before handing them to the stream).
     *
     * <p>Where the storage keeps checkpoints ({@link FeatureStorage#keepsStreamCheckpoints()}, all
     * storages of this project), the state is saved with each build and with each row the stream
     * writes (per set, timeframe and secid, the last one saved wins), and the stream resumes from
     * that state and the candles stored after it instead of replaying the whole history. A
     * checkpoint is used only when it matches: the set's fingerprint, the format versions, the
     * source timeframe, the history start, the window size, and the stored candle at its last
     * candle time, bit for bit; otherwise (or without one) the stream replays the stored history,
     * as it always gives the same rows.
     *
     * <p>All rows of one stream are recorded as one build ({@link FeatureStorage#writeStreamRows}):
     * its record's range and row count grow with each row, in the same transaction as the row, so
     * {@code builds()} grows by one record per stream (one more after each build in between), not
     * by one per row.
     *
     * <pre>{@code
     * FeatureStream s = store.forSet("tech_v2").timeframe("5m").secid("SBER").stream();
     * s.accept(candle);   // a 5m row, when one closes, is in the fact layer before accept returns
     * }</pre>
     *
     * @return the stream after the stored history, writing its rows to this store
     * @throws InvalidQueryException when the timeframe or the one secid is missing, the set does
     *     not allow the timeframe, or the query has a range, asOf, completeThrough, stride or
     *     normalization (the stream gives and stores raw values)
     * @throws dev.featurestore.api.FeatureSetChangedException when the set's features changed since
     *     its rows were stored
     * @throws dev.featurestore.api.StorageException when the storage fails
     */
    public FeatureStream stream() {
        String terminal = "stream()";
        Timeframe tf = base.requireTimeframe(terminal);
        String secid = requireOneSecid(terminal);
        if (from != null) {
            throw new InvalidQueryException(terminal + " starts from the whole stored history and uses no range, but "
                    + "the query has between(" + from + ", " + to + "); remove it");
        }
        FeatureStorage storage = base.store().storage();
        base.store().registry().requireUnchanged(storage, spec().name(), tf, List.of(secid), terminal);
        ExchangeCalendar calendar = base.store().registry().calendar();
        String fingerprint = base.store().registry().fingerprint(spec().name());
        Instant startedAt = startAfterRecorded(storage.builds(spec().name(), tf, secid));
        FeatureStream stream;
        long[] historyStart = {Long.MIN_VALUE};
        long firstCandle;
        if (storage.candleTimeframes(secid).isEmpty()) {
            stream = base.stream(secid, Timeframe.ONE_MINUTE);
            firstCandle = Long.MIN_VALUE; // no checkpoint: it could not be checked against stored candles
        } else {
            Timeframe source = sourceTimeframe(storage, secid, tf);
            firstCandle = storage.firstCandleTs(secid, source).orElseThrow();
            FeatureStream empty = base.stream(secid, source);
            Optional<StreamCheckpoint> saved = storage.streamCheckpoint(spec().name(), tf, secid);
            FeatureStream resumed = saved.isEmpty() ? null
                    : StreamCheckpoints.resume(empty, saved.get(), storage, firstCandle, fingerprint);
            stream = resumed != null ? resumed
                    : empty.from(storage.readCandles(secid, source, firstCandle, Long.MAX_VALUE));
            historyStart[0] = calendar.candleStart(tf, firstCandle);
        }
        List<FeatureKind> kinds = stream.kinds();
        FeatureStream s = stream;
        stream.onRow(row -> {
            if (historyStart[0] == Long.MIN_VALUE) {
                historyStart[0] = row.ts();
            }
            if (!row.isClean()) {
                return;
            }
            double[][] columns = new double[row.size()][];
            for (int j = 0; j < columns.length; j++) {
                columns[j] = new double[] {row.value(j)};
            }
            FeatureFrame one = FeatureFrame.of(secid, spec().name(), tf, row.featureNames(), kinds,
                    new long[] {row.ts()}, columns);
            BuildRecord record = new BuildRecord(spec().name(), tf, secid, row.ts(), calendar.availableAt(tf, row.ts()),
                    historyStart[0], 1, s.windowSize(), startedAt, Instant.now(), BuildRecord.Status.COMPLETED,
                    fingerprint);
            StreamCheckpoint checkpoint = firstCandle == Long.MIN_VALUE || !storage.keepsStreamCheckpoints() ? null
                    : StreamCheckpoints.of(s, tf, firstCandle, fingerprint);
            storage.writeStreamRows(record, one, ts -> calendar.availableAt(tf, ts), checkpoint);
        });
        return stream;
    }

    /**
     * The start time of a new stream's record, to the millisecond as every storage keeps it, and
     * later than the start of every record of the series: a record extends the one before it
     * when both started in the same millisecond ({@link BuildRecord#continues}), so a stream
     * opened within the millisecond a build (or another stream) started must not share it. Waits
     * for the clock to pass that millisecond (at most about one) rather than record a time that
     * was not.
     */
    static Instant startAfterRecorded(List<BuildRecord> recorded) {
        long latest = Long.MIN_VALUE;
        for (BuildRecord r : recorded) {
            latest = Math.max(latest, r.startedAt().toEpochMilli());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        while (now.toEpochMilli() <= latest && now.toEpochMilli() >= latest - 1_000) {
            Thread.onSpinWait();
            now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
        return now;
    }

    static Timeframe sourceTimeframe(FeatureStorage storage, String secid, Timeframe tf) {
        List<Timeframe> stored = storage.candleTimeframes(secid);
        if (stored.contains(tf)) {
            return tf;
        }
        Timeframe best = null;
        for (Timeframe t : stored) {
            boolean divides = tf.isDaily() ? 86_400_000L % t.millis() == 0 && t.millis() < tf.millis()
                    : t.millis() < tf.millis() && tf.millis() % t.millis() == 0;
            if (divides && (best == null || t.millis() < best.millis())) {
                best = t;
            }
        }
        if (best == null) {
            throw new InvalidQueryException("no candles of secid '" + secid + "' are stored at " + tf
                    + " or at a finer timeframe that divides it; stored timeframes: "
                    + (stored.isEmpty() ? "none (ingest with store.candles().upsert(...))" : stored));
        }
        return best;
    }

    /**
     * The stored window of W clean rows of the one secid as of {@link #asOf(Instant)}: the W newest
     * rows whose candle had closed by then ({@code available_at = ts + timeframe <= asOf}), oldest
     * first, features in the set's order. Read from the storage, not recomputed. For the newest
     * stored window whatever the time, use {@link #fetchLatest()}.
     *
     * @throws InvalidQueryException when the timeframe, asOf or the one secid is missing, the
     *     query has a part fetch does not use (between, completeThrough, stride), or nothing of the
     *     set is stored for the secid at the timeframe (the message says whether the secid is
     *     unknown, the timeframe never built, or the store empty)
     * @return a W x F window, W the {@link #windowSize()} and F the number of features
     * @throws InsufficientHistoryException when fewer rows are stored, saying how many are
     */
    public FeatureWindow fetch() {
        Instant asOf = base.asOfOrNull();
        if (asOf == null) {
            throw new InvalidQueryException("fetch() reads the window known at a time and needs asOf(...); for the "
                    + "newest stored window whatever the time, call fetchLatest()");
        }
        return readWindow("fetch()", asOf);
    }

    /**
     * The newest stored window of W clean rows of the one secid, oldest first: the same as {@link
     * #fetch()} as of the end of time. For reproducible reads (training, backtests), prefer
     * {@link #fetch()} with {@link #asOf(Instant)}.
     *
     * @throws InvalidQueryException as {@link #fetch()} does, and when the query has asOf (use
     *     {@link #fetch()} then)
     * @return a W x F window, W the {@link #windowSize()} and F the number of features
     * @throws InsufficientHistoryException when fewer rows are stored, saying how many are
     */
    public FeatureWindow fetchLatest() {
        if (base.asOfOrNull() != null) {
            throw new InvalidQueryException("fetchLatest() reads the newest stored window, but the query has asOf("
                    + base.asOfOrNull() + "); call fetch() to read the window known at that time");
        }
        return readWindow("fetchLatest()", null);
    }

    private FeatureWindow readWindow(String terminal, Instant asOf) {
        Timeframe tf = base.requireTimeframe(terminal);
        String secid = requireOneSecid(terminal);
        refuseRange(terminal);
        refuseCompleteThrough(terminal);
        base.refuseStride(terminal);
        FeatureStorage storage = base.store().storage();
        try {
            long lastTs = asOf == null ? Long.MAX_VALUE
                    : base.store().registry().calendar().lastOpenAvailableBy(tf, asOf.toEpochMilli());
            return base.normalize(storage.readWindow(spec().name(), spec().features(), secid, tf, lastTs,
                    windowSize()));
        } catch (InsufficientHistoryException e) {
            requireBuilt(terminal, storage, secid, tf);
            throw new InsufficientHistoryException("feature set '" + spec().name() + "', secid '" + secid
                    + "', timeframe " + tf + (asOf == null ? ", newest rows" : ", as of " + asOf), e.required(),
                    e.available());
        }
    }

    /**
     * The stored feature rows of the one secid with {@code from <= ts < to} ({@link
     * #between(Instant, Instant)}, default all; further limited to rows available by {@link
     * #asOf(Instant)} when given), features in the set's order. Read from the storage, not
     * recomputed. A range without stored rows gives an empty frame.
     *
     * @return the rows, oldest first, one column per feature in the set's order; empty when none
     * @throws InvalidQueryException when the timeframe or the one secid is missing, the query has a
     *     part frame does not use (window, completeThrough, stride), or the set was never built
     *     for the secid at the timeframe (the message says why)
     */
    public FeatureFrame frame() {
        Timeframe tf = base.requireTimeframe("frame()");
        String secid = requireOneSecid("frame()");
        refuseWindow("frame()");
        refuseCompleteThrough("frame()");
        base.refuseStride("frame()");
        FeatureStorage storage = base.store().storage();
        FeatureFrame stored = readRows(storage, secid, tf);
        if (stored.isEmpty()) {
            requireBuilt("frame()", storage, secid, tf);
        }
        return base.normalize(stored);
    }

    private FeatureFrame readRows(FeatureStorage storage, String secid, Timeframe tf) {
        long fromTs = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long toTs = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        Instant asOf = base.asOfOrNull();
        if (asOf != null) {
            // rows available by asOf: ts <= the last open time known then
            long lastTs = base.store().registry().calendar().lastOpenAvailableBy(tf, asOf.toEpochMilli());
            toTs = Math.min(toTs, saturatedAdd(lastTs, 1));
        }
        if (fromTs >= toTs) {
            return emptyFrame(secid, tf);
        }
        FeatureFrame stored = storage.readFeatures(spec().name(), spec().features(), secid, tf, fromTs, toTs);
        return stored.isEmpty() ? emptyFrame(secid, tf) : stored;
    }

    private FeatureFrame emptyFrame(String secid, Timeframe tf) {
        return Columns.frame(secid, spec().name(), tf, spec().features(), base.kinds(), new long[0],
                new double[spec().features().size()][0], 0, 0);
    }

    /**
     * Throws the reason why nothing of the set is stored for (secid, timeframe), unless a build
     * is recorded: an empty store, an unknown secid, or a timeframe never built.
     */
    void requireBuilt(String terminal, FeatureStorage storage, String secid, Timeframe tf) {
        String set = spec().name();
        if (!storage.builds(set, tf, secid).isEmpty()) {
            return;
        }
        List<Timeframe> candleTfs = storage.candleTimeframes(secid);
        if (candleTfs.isEmpty()) {
            List<String> known;
            try {
                known = storage.secids();
            } catch (UnsupportedOperationException e) {
                throw new InvalidQueryException(terminal + ": nothing is stored for secid '" + secid
                        + "': no candles and no '" + set + "' features at any timeframe (an unknown secid, or an "
                        + "empty store); ingest candles with store.candles().upsert(...), then build()");
            }
            if (known.isEmpty()) {
                throw new InvalidQueryException(terminal + ": nothing is stored in this store (" + storage
                        + "): no candles of any secid; ingest candles with store.candles().upsert(...), then build()");
            }
            throw new InvalidQueryException(terminal + ": unknown secid '" + secid + "': no candles of it are stored; "
                    + "stored secids: " + abbreviate(known) + "; ingest its candles, then build()");
        }
        List<Timeframe> built = new ArrayList<>();
        for (Timeframe t : spec().timeframes()) {
            if (!t.equals(tf) && !storage.builds(set, t, secid).isEmpty()) {
                built.add(t);
            }
        }
        throw new InvalidQueryException(terminal + ": feature set '" + set + "' was never built for secid '" + secid
                + "' at " + tf + " (" + (built.isEmpty() ? "not at any timeframe" : "built at " + built)
                + "; candles stored at " + candleTfs + "); call build() on the query first");
    }

    private static String abbreviate(List<String> names) {
        int shown = Math.min(names.size(), 20);
        return names.subList(0, shown) + (shown < names.size() ? " and " + (names.size() - shown) + " more" : "");
    }

    /**
     * Exports the stored feature rows of every secid with {@code from <= ts < to} ({@link
     * #between(Instant, Instant)}, default all; limited to rows available by {@link #asOf(Instant)}
     * when given) into one snapshot file and records it in the store's audit log, with the
     * format's default compression, no overwrite and the as-of date of the rows. See {@link
     * #export(String, Path, ExportOptions)}.
     *
     * <pre>{@code
     * List<SnapshotRecord> rows = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP")
     *         .between(from, to).export("parquet", Path.of("data/processed/features"));
     * // data/processed/features/tech_v2/5m/YYYYMMDD.parquet, one audit row per secid
     * }</pre>
     *
     * @param format a format name: {@code parquet} (featurestore-parquet) or {@code feather}
     *     (featurestore-arrow)
     * @param dir the snapshot output directory
     * @return one record per exported secid, in secid order, all naming the same file and hash
     * @throws InvalidQueryException as {@link #export(String, Path, ExportOptions)} does
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a different snapshot is
     *     at the path
     */
    public List<SnapshotRecord> export(String format, Path dir) {
        return export(format, dir, ExportOptions.defaults());
    }

    /**
     * Exports the stored feature rows of every secid into one snapshot file
     * {@code {dir}/{feature_set}/{timeframe}/YYYYMMDD.{ext}} and records one audit row per secid in
     * {@code train_data_snapshots}. The rows are read from the storage (built with {@link #build()}),
     * not recomputed. Secids without stored rows in the range are left out; the file is written
     * atomically and its rows recorded only once it is complete.
     *
     * <p>A snapshot is immutable: different content at an existing path is refused unless
     * {@link ExportOptions#overwrite(boolean)}, and then the new rows name the replaced file's hash
     * ({@link SnapshotRecord#replacedSha256()}). Exporting identical content again writes nothing
     * and returns the rows recorded before.
     *
     * @param format a format name: {@code parquet} (featurestore-parquet) or {@code feather}
     *     (featurestore-arrow, which needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED})
     * @param dir the snapshot output directory
     * @param options compression, overwrite and the snapshot's date (see {@link ExportOptions#defaults()})
     * @return one record per exported secid, in secid order, all naming the same file and hash
     * @throws InvalidQueryException when the timeframe is missing, no secid has stored rows in the
     *     range, a secid has no completed build, or the query has a part export does not use
     *     (window, completeThrough, stride)
     * @throws dev.featurestore.api.FeatureStoreException when the format is not on the class path
     *     or the storage keeps no snapshot log
     * @throws dev.featurestore.api.snapshot.SnapshotConflictException when a different snapshot is
     *     at the path and overwrite is off
     * @throws dev.featurestore.api.snapshot.UnsafeSnapshotPathException when a name could escape
     *     {@code dir}
     * @throws dev.featurestore.api.StorageException when the file cannot be written, or was written
     *     but its audit rows could not be recorded (the message says which)
     */
    public List<SnapshotRecord> export(String format, Path dir, ExportOptions options) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        Timeframe tf = base.requireTimeframe("export()");
        refuseWindow("export()");
        refuseCompleteThrough("export()");
        base.refuseStride("export()");
        base.refuseNormalization("export()");
        base.store().registry().requireUnchanged(base.store().storage(), spec().name(), tf, secids, "export()");
        FeatureStorage storage = base.store().storage();
        SnapshotLog log = new SnapshotLog(storage);
        SnapshotExporter exporter = SnapshotExporter.builder().format(format).options(options)
                .calendar(base.store().registry().calendar()).build();
        List<FeatureFrame> frames = new ArrayList<>(secids.size());
        for (String secid : secids) {
            FeatureFrame f = readRows(storage, secid, tf);
            if (!f.isEmpty()) {
                frames.add(f);
            }
        }
        if (frames.isEmpty()) {
            throw new InvalidQueryException("export(): no stored " + spec().name() + " " + tf + " rows of secids "
                    + secids + (from == null ? "" : " in " + range())
                    + (base.asOfOrNull() == null ? "" : " as of " + base.asOfOrNull()) + "; build() them first");
        }
        return log.export(exporter, dir, frames, options.date());
    }

    private String range() {
        return from == null ? "the whole stored history" : "[" + from + ", " + to + ")";
    }

    private void refuseRange(String terminal) {
        if (from != null) {
            throw new InvalidQueryException(terminal + " reads one window and uses no range, but the query has between("
                    + from + ", " + to + "); remove it (use asOf(...) for the time of the window), or call frame()");
        }
    }

    private void refuseWindow(String terminal) {
        if (base.windowGiven() > 0) {
            throw new InvalidQueryException(terminal + " reads every row of its range and uses no window, but the "
                    + "query has window(" + base.windowGiven() + "); remove it, or call fetch()");
        }
    }

    private void refuseCompleteThrough(String terminal) {
        Instant t = base.completeThroughOrNull();
        if (t != null) {
            throw new InvalidQueryException(terminal + " reads stored rows and resamples nothing, but the query has "
                    + "completeThrough(" + t + "), which applies to build() and compute(series): remove it");
        }
    }

    private String requireOneSecid(String terminal) {
        if (secids.size() != 1) {
            throw new InvalidQueryException(terminal + " reads one secid, but the query names " + secids.size() + ": "
                    + secids + "; use secid(...)");
        }
        return secids.get(0);
    }

    private static int lowerBound(FeatureFrame frame, long ts) {
        int lo = 0;
        int hi = frame.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (frame.ts(mid) < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int lowerBound(long[] ts, long key) {
        int i = Arrays.binarySearch(ts, key);
        return i >= 0 ? i : -i - 1;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    @Override
    public String toString() {
        return "StoredQuery[" + spec().name() + base.describe() + ", secids " + secids
                + (from == null ? "" : ", between " + from + " and " + to + " (exclusive)") + "]";
    }
}
