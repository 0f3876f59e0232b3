package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link SyntheticCandles} as a {@link CandleSource}, so that generated candles go through the same
 * {@code store.ingest(source)} and {@link dev.featurestore.core.pipeline.Pipeline} as real ones (the demo, benchmarks, tests).
 * Delivers 1-minute candles only, in pages of at most {@link #pageSize()} candles; the candles of
 * a range are those {@link SyntheticCandles#forEach} generates there, so a resumed ingest stores
 * exactly what one whole ingest would.
 *
 * <pre>{@code
 * CandleSource source = SyntheticCandleSource.of(SyntheticCandles.seed(42).tradingDays(5));
 * store.ingest(source).secids("SBER").timeframe("1m").between(from, to).run();
 * }</pre>
 */
public final class SyntheticCandleSource implements CandleSource {
    /** The {@link #name()}. */
    public static final String NAME = "synthetic";
    /** The default page size. */
    public static final int DEFAULT_PAGE_SIZE = 10_000;

    private final SyntheticCandles candles;
    private final int pageSize;

    private SyntheticCandleSource(SyntheticCandles candles, int pageSize) {
        this.candles = candles;
        this.pageSize = pageSize;
    }

    /**
     * A source over this generator, in pages of {@value #DEFAULT_PAGE_SIZE} candles.
     *
     * @param candles the generator whose candles the source delivers
     * @return the source
     */
    public static SyntheticCandleSource of(SyntheticCandles candles) {
        return new SyntheticCandleSource(Objects.requireNonNull(candles, "candles"), DEFAULT_PAGE_SIZE);
    }

    /**
     * The same source in pages of at most {@code size} candles.
     *
     * @param size the most candles per page, at least 1
     * @return a new source over the same generator
     * @throws IllegalArgumentException when {@code size < 1}
     */
    public SyntheticCandleSource pageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be >= 1, got " + size);
        }
        return new SyntheticCandleSource(candles, size);
    }

    /** {@return the most candles per page} */
    public int pageSize() {
        return pageSize;
    }

    /** {@return the generator whose candles the source delivers} */
    public SyntheticCandles generator() {
        return candles;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Timeframe> nativeTimeframes() {
        return Set.of(Timeframe.ONE_MINUTE);
    }

    @Override
    public InputStats stream(String secid, Timeframe timeframe, Instant from, Instant to, Consumer<CandleSeries> pages) {
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(pages, "pages");
        if (!Timeframe.ONE_MINUTE.equals(timeframe)) {
            throw new IllegalArgumentException(NAME + " delivers 1m candles only, not " + timeframe
                    + "; ingest 1m and let build() resample");
        }
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        long fromMs = from.toEpochMilli();
        long toMs = to.toEpochMilli();
        Page page = new Page(secid, pageSize, pages);
        if (fromMs < toMs && fromMs < candles.end().toEpochMilli()) {
            candles.forEach(secid, (ts, o, h, l, c, v) -> {
                if (ts >= fromMs && ts < toMs) {
                    page.add(ts, o, h, l, c, v);
                }
            });
        }
        page.flush();
        return new InputStats(secid, page.total, 0, 0);
    }

    /**
     * The session minutes of the generated days in {@code [from, to)}: every candle the generator
     * can give there (a few of those minutes are left without a candle).
     *
     * @param secid the instrument (every secid has the same minutes)
     * @param timeframe 1m, the one this source delivers
     * @param from the first open time
     * @param to the end, exclusive
     * @return the count, or empty for another timeframe
     */
    @Override
    public OptionalLong expectedCandles(String secid, Timeframe timeframe, Instant from, Instant to) {
        if (!Timeframe.ONE_MINUTE.equals(timeframe) || from.isAfter(to)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(candles.sessionMinutes(from.toEpochMilli(), to.toEpochMilli()));
    }

    /** Gathers candles into pages and hands each full one over. */
    private static final class Page {
        private final String secid;
        private final int size;
        private final Consumer<CandleSeries> sink;
        private CandleSeries.Builder builder;
        private int count;
        long total;

        Page(String secid, int size, Consumer<CandleSeries> sink) {
            this.secid = secid;
            this.size = size;
            this.sink = sink;
        }

        void add(long ts, double o, double h, double l, double c, double v) {
            if (builder == null) {
                builder = CandleSeries.builder(secid).timeframe(Timeframe.ONE_MINUTE).expectedSize(size);
            }
            builder.add(ts, o, h, l, c, v);
            count++;
            total++;
            if (count == size) {
                flush();
            }
        }

        void flush() {
            if (count > 0) {
                CandleSeries s = builder.build();
                builder = null;
                count = 0;
                sink.accept(s);
            }
        }
    }

    @Override
    public String toString() {
        return "SyntheticCandleSource[" + candles + ", pages of " + pageSize + "]";
    }
}
