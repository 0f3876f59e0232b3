package dev.featurestore.core.ingest;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidQueryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.internal.concurrent.Handoff;
import dev.featurestore.core.progress.ProgressListener;
import dev.featurestore.core.progress.Stage;
import dev.featurestore.core.storage.Candles;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backfill of candles from a {@link CandleSource} into a storage, secid by secid, page by page:
 *
 * <pre>{@code
 * IngestResult r = store.ingest(source).secids("SBER", "GAZP").timeframe("1m").between(from, to).run();
 * r.upserts();      // per secid: candles inserted, replaced, unchanged
 * r.inputStats();   // per secid: raw rows read, duplicates, out-of-order rows (for the quality report)
 * }</pre>
 *
 * <p><b>Resumable.</b> Each page is upserted in its own transaction, so a run that stops half-way
 * (a network error, a crash, a kill) leaves every page before the failure stored. Run the same
 * ingest again and each secid continues from its last stored candle in {@code [from, to)}
 * (re-reading that candle, which the idempotent upsert finds unchanged); secids already complete
 * cost one candle each. Nothing is ever stored twice: candles are keyed by (secid, timeframe, ts).
 * A hole before the last stored candle (say, from an earlier ingest of a later range) is not
 * looked for; {@link #resume(boolean) resume(false)} reads the whole range again.
 *
 * <p>Immutable: each step returns a new ingest. Arguments are checked at once; that the secids,
 * timeframe and range are given and fit the source is checked at {@link #run()}.
 */
public final class Ingest {
    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
    /** How many pages the source may be ahead of the upserts (memory: a few pages of candles). */
    private static final int PAGES_AHEAD = 4;

    private final Candles candles;
    private final CandleSource source;
    private final List<String> secids;
    private final Timeframe timeframe;
    private final Instant from;
    private final Instant to;
    private final boolean resume;
    private final ProgressListener listener;

    private Ingest(Candles candles, CandleSource source, List<String> secids, Timeframe timeframe,
            Instant from, Instant to, boolean resume, ProgressListener listener) {
        this.candles = candles;
        this.source = source;
        this.secids = secids;
        this.timeframe = timeframe;
        this.from = from;
        this.to = to;
        this.resume = resume;
        this.listener = listener;
    }

    /**
     * An ingest from {@code source} into the stored candles (which key {@code 1d} candles by the
     * trading days of their calendar); {@code store.ingest(source)} is the same as
     * {@code Ingest.of(store.candles(), source)}.
     *
     * @param candles the stored candles to upsert into
     * @param source where the candles come from
     * @return an ingest with no secids, timeframe or range given, resuming, heard by no listener
     */
    public static Ingest of(Candles candles, CandleSource source) {
        return new Ingest(Objects.requireNonNull(candles, "candles"), Objects.requireNonNull(source, "source"), null,
                null, null, null, true, ProgressListener.NONE);
    }

    /**
     * The instruments to ingest, in this order (repeats are dropped).
     *
     * @param secids the instruments' codes, at least one, none blank
     * @return a new ingest of these instruments, the other parts unchanged
     * @throws IllegalArgumentException when none is given or one is blank
     */
    public Ingest secids(String... secids) {
        return secids(Arrays.asList(Objects.requireNonNull(secids, "secids")));
    }

    /**
     * The instruments to ingest, in this order (repeats are dropped).
     *
     * @param secids the instruments' codes, at least one, none blank
     * @return a new ingest of these instruments, the other parts unchanged
     * @throws IllegalArgumentException when none is given or one is blank
     */
    public Ingest secids(Collection<String> secids) {
        return new Ingest(candles, source, checkSecids(secids), timeframe, from, to, resume, listener);
    }

    /**
     * The secids in their order, repeats dropped.
     *
     * @param secids instruments' codes, none null
     * @return an unmodifiable list of the distinct secids, in the order first given
     * @throws IllegalArgumentException when none is given or one is blank
     */
    public static List<String> checkSecids(Collection<String> secids) {
        Objects.requireNonNull(secids, "secids");
        if (secids.isEmpty()) {
            throw new IllegalArgumentException("secids is empty; give at least one instrument");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String s : secids) {
            Objects.requireNonNull(s, "secid");
            if (s.isBlank()) {
                throw new IllegalArgumentException("a secid is blank in " + secids);
            }
            distinct.add(s);
        }
        return List.copyOf(distinct);
    }

    /**
     * The timeframe to fetch and store, e.g. {@code "1m"}.
     *
     * @param timeframe the timeframe as text: {@code Nm}, {@code Nh} or {@code 1d}
     * @return a new ingest at this timeframe, the other parts unchanged
     * @throws IllegalArgumentException when the text is not a timeframe (the message lists the
     *     valid forms)
     */
    public Ingest timeframe(String timeframe) {
        return timeframe(Timeframe.parse(Objects.requireNonNull(timeframe, "timeframe")));
    }

    /**
     * The timeframe to fetch and store; whether the source delivers it is checked at {@link #run()}.
     *
     * @param timeframe the timeframe
     * @return a new ingest at this timeframe, the other parts unchanged
     */
    public Ingest timeframe(Timeframe timeframe) {
        return new Ingest(candles, source, secids, Objects.requireNonNull(timeframe, "timeframe"), from, to, resume,
                listener);
    }

    /**
     * The candles to fetch: open time in {@code [from, to)}.
     *
     * @param from the first candle open time included
     * @param to the candle open time where the range ends, excluded
     * @return a new ingest of this range, the other parts unchanged
     * @throws IllegalArgumentException when {@code from} is after {@code to}
     */
    public Ingest between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("between(" + from + ", " + to + "): from is after to");
        }
        return new Ingest(candles, source, secids, timeframe, from, to, resume, listener);
    }

    /**
     * Whether each secid continues from its last stored candle in the range (the default), or
     * reads the whole range again (still storing nothing twice).
     *
     * @param resume true to continue from the last stored candle, false to read all of {@code [from, to)}
     * @return a new ingest with this choice, the other parts unchanged
     */
    public Ingest resume(boolean resume) {
        return new Ingest(candles, source, secids, timeframe, from, to, resume, listener);
    }

    /**
     * Hears the progress: stage {@link Stage#INGEST}, candles stored per secid, of the total the
     * source expects ({@link CandleSource#expectedCandles}, an upper bound; -1 when it cannot tell).
     *
     * @param listener told when the stage starts, after each page stored, when each secid is done
     *     and when the stage ends or fails; {@link ProgressListener#NONE} for none
     * @return a new ingest heard by this listener, the other parts unchanged
     */
    public Ingest listener(ProgressListener listener) {
        return new Ingest(candles, source, secids, timeframe, from, to, resume,
                Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Fetches and stores the candles, secid after secid, one transaction per page. The source
     * runs on a thread of its own a few pages ahead of the upserts (which, like the listener's
     * calls, stay on the calling thread), so fetching and storing overlap; a source is still
     * called for one secid at a time, in order.
     *
     * @return per secid: what the upserts did, the raw-input counts, where the run resumed
     * @throws InvalidQueryException when secids, timeframe or range are missing and the source cannot
     *     tell what it holds ({@link CandleSource#extent()}: a CSV file can, so its secids and whole
     *     range are the defaults, as on the command line)
     * @throws IllegalArgumentException when the source cannot deliver the timeframe
     * @throws dev.featurestore.api.source.SourceException when the source fails; the pages stored
     *     before stay stored, and running again resumes after them
     * @throws dev.featurestore.api.StorageException when the storage fails
     */
    public IngestResult run() {
        if (secids == null || from == null) {
            CandleSource.Extent held = source.extent().orElse(null);
            if (held != null) {
                return new Ingest(candles, source, secids != null ? secids : checkSecids(held.secids()), timeframe,
                        from != null ? from : held.from(), from != null ? to : held.to(), resume, listener).run();
            }
        }
        if (secids == null) {
            throw new InvalidQueryException("ingest needs secids; call secids(...) (" + source.name()
                    + " cannot tell which it holds)");
        }
        if (timeframe == null) {
            throw new InvalidQueryException("ingest needs a timeframe; call timeframe(\"1m\"), say (" + source.name()
                    + " holds " + source.nativeTimeframes() + ")");
        }
        if (from == null) {
            throw new InvalidQueryException("ingest needs a range; call between(from, to) (" + source.name()
                    + " cannot tell which it holds)");
        }
        if (!source.supports(timeframe)) {
            throw new IllegalArgumentException(source.name() + " cannot deliver timeframe " + timeframe
                    + "; it holds " + source.nativeTimeframes());
        }
        long started = System.nanoTime();
        listener.stageStarted(Stage.INGEST, secids);
        Map<String, IngestResult.Secid> out = new LinkedHashMap<>();
        try {
            storeAll(out);
        } catch (RuntimeException | Error e) {
            listener.stageFailed(Stage.INGEST, Duration.ofNanos(System.nanoTime() - started), e);
            throw e;
        }
        listener.stageFinished(Stage.INGEST, Duration.ofNanos(System.nanoTime() - started));
        return new IngestResult(out, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Stores the pages the source delivers, in the source's order: the source runs on a thread of
     * its own, up to {@value #PAGES_AHEAD} pages ahead, while this thread upserts and tells the
     * listener; so reading or generating candles overlaps with writing them.
     */
    private void storeAll(Map<String, IngestResult.Secid> out) {
        try (Handoff fetched = new Handoff("featurestore-ingest " + source.name(), PAGES_AHEAD, this::fetchAll)) {
            // The pages of a secid come before its Fetched, and after the Fetched of the one before.
            UpsertResult sum = new UpsertResult(0, 0, 0);
            long pages = 0;
            while (true) {
                Object item = fetched.take();
                if (item == Handoff.END) {
                    return;
                }
                if (item instanceof Page page) {
                    sum = sum.plus(candles.upsert(page.candles()));
                    pages++;
                    listener.advanced(Stage.INGEST, page.secid(), sum.total(), page.expected());
                } else {
                    Fetched done = (Fetched) item;
                    listener.secidFinished(Stage.INGEST, done.secid(), sum.total());
                    out.put(done.secid(), new IngestResult.Secid(done.secid(), sum, done.stats(), done.resumedFrom(),
                            pages));
                    sum = new UpsertResult(0, 0, 0);
                    pages = 0;
                }
            }
        }
    }

    /**
     * One page the source delivered for a secid, with a timeframe, and the most candles the
     * source expects for the secid (-1 when it cannot tell).
     */
    private record Page(String secid, CandleSeries candles, long expected) {
    }

    /** What the source said at the end of one secid's pages. */
    private record Fetched(String secid, InputStats stats, Instant resumedFrom) {
    }

    /** On the source thread: each secid's pages (with a timeframe), then its {@link Fetched}. */
    private void fetchAll(Handoff.Sink sink) {
        long fromMs = from.toEpochMilli();
        long toMs = to.toEpochMilli();
        for (String secid : secids) {
            OptionalLong last = resume ? candles.newestTs(secid, timeframe, fromMs, toMs) : OptionalLong.empty();
            Instant start = last.isPresent() ? Instant.ofEpochMilli(last.getAsLong()) : from;
            if (last.isPresent()) {
                LOG.debug("ingest {} {}: resuming from the last stored candle at {}", secid, timeframe, start);
            }
            long expected = source.expectedCandles(secid, timeframe, start, to).orElse(-1);
            InputStats stats = source.stream(secid, timeframe, start, to,
                    page -> sink.put(new Page(secid, page.timeframe().isPresent() ? page : retimed(page), expected)));
            sink.put(new Fetched(secid, stats == null ? InputStats.empty(secid) : stats,
                    last.isPresent() ? start : null));
        }
    }

    private CandleSeries retimed(CandleSeries page) {
        CandleSeries.Builder b = CandleSeries.builder(page.secid()).timeframe(timeframe).expectedSize(page.size());
        for (int i = 0; i < page.size(); i++) {
            b.add(page.ts(i), page.open(i), page.high(i), page.low(i), page.close(i), page.volume(i));
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "Ingest[" + source.name() + (secids == null ? "" : ", secids " + secids)
                + (timeframe == null ? "" : ", " + timeframe) + (from == null ? "" : ", [" + from + ", " + to + ")")
                + (resume ? "" : ", no resume") + "]";
    }
}
