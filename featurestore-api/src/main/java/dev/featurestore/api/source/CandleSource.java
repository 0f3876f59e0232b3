package dev.featurestore.api.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where candles come from: a file, an exchange's HTTP API, a generator. A source delivers the
 * candles of one secid and one timeframe whose open time lies in {@code [from, to)}, as validated
 * {@link CandleSeries}, in increasing time.
 *
 * <p>Implementers write {@link #stream}: it hands the candles over in one or more pages (a page is
 * a non-empty series; pages do not overlap and come in time order), which keeps memory bounded on
 * long ranges, and returns what it saw in the raw input ({@link InputStats}). {@link #fetch} is
 * the convenience that gathers the pages into one series.
 *
 * <pre>{@code
 * CandleSource source = ...;
 * CandleSeries sber = source.fetch("SBER", Timeframe.parse("5m"), from, to);
 * InputStats seen = source.stream("SBER", Timeframe.ONE_MINUTE, from, to, page -> store.candles().upsert(page));
 * }</pre>
 *
 * <p>A source is thread-safe. Errors reading the input are {@link SourceException}s naming the
 * source, the file or URL, and what was wrong; a candle that breaks the series rules is an
 * {@link dev.featurestore.api.InvalidCandleException} or a {@code SourceException} that names the
 * file line. A timeframe the source cannot deliver is an {@link IllegalArgumentException}.
 */
public interface CandleSource {
    /** {@return a short name used in errors and logs, e.g. {@code csv} or {@code moex-iss}} */
    String name();

    /**
     * The timeframes the source delivers as they are; others it {@link #supports(Timeframe)} are
     * resampled from the finest native timeframe that divides them.
     *
     * @return the native timeframes, not empty
     */
    Set<Timeframe> nativeTimeframes();

    /**
     * What the source holds, when it can tell without being asked for a range (a file can; a
     * remote API cannot): its secids and the range {@code [from, to)} of the open times of its
     * candles. An ingest given no secids or no range takes them from here, as the command line
     * does. Empty by default.
     *
     * @return the secids and time range the source holds, or empty when it cannot tell
     */
    default Optional<Extent> extent() {
        return Optional.empty();
    }

    /**
     * The secids a source holds and the half-open range {@code [from, to)} of their candles' open
     * times (the end is the close of the last candle).
     *
     * @param secids in the source's order, without repeats
     * @param from the open time of the source's earliest candle
     * @param to the close of the source's last candle (its open time plus the timeframe), the end
     *     of the range, exclusive
     */
    record Extent(List<String> secids, Instant from, Instant to) {
        /**
         * Checks and copies the fields.
         *
         * @param secids in the source's order, without repeats; not null
         * @param from the open time of the source's earliest candle; not null
         * @param to the close of the source's last candle, exclusive end of the range; not null
         * @throws NullPointerException when an argument or a secid is null
         */
        public Extent {
            secids = List.copyOf(secids);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * True when {@link #stream} can deliver this timeframe, natively or by resampling.
     *
     * <p>The default is true for the {@link #nativeTimeframes()} only.
     *
     * @param timeframe the timeframe asked for
     * @return true when {@link #stream} and {@link #fetch} accept {@code timeframe}
     */
    default boolean supports(Timeframe timeframe) {
        return nativeTimeframes().contains(timeframe);
    }

    /**
     * Hands the candles of {@code secid} with {@code from <= ts < to} to {@code pages}, in time
     * order, in one or more non-empty pages; nothing at all when there is none.
     *
     * @param secid the instrument, e.g. {@code SBER}
     * @param timeframe the timeframe of the candles delivered; one the source {@link #supports}
     * @param from the earliest open time delivered, inclusive
     * @param to the end of the range, exclusive; not before {@code from}
     * @param pages receives each page, a non-empty series of {@code secid} and {@code timeframe},
     *     on the calling thread, before {@code stream} returns
     * @return the raw-input counts (rows read, duplicates, out-of-order rows) for the quality report
     * @throws SourceException when the input cannot be read or is malformed
     * @throws IllegalArgumentException when the timeframe is not supported or {@code from > to}
     */
    InputStats stream(String secid, Timeframe timeframe, Instant from, Instant to, Consumer<CandleSeries> pages);

    /**
     * How many candles {@link #stream} would deliver for the same arguments at most, when the
     * source can tell before it starts, without fetching them (a file it has read counts its rows;
     * a generator counts the session minutes of its days in the range), so that an ingest's
     * progress shows a total per secid. The count is an upper bound: the stream may deliver fewer
     * (minutes without trades). Empty by default and whenever the source cannot tell.
     *
     * @param secid the instrument
     * @param timeframe the timeframe asked of {@link #stream}
     * @param from the first open time asked for
     * @param to the end of the range, exclusive
     * @return the most candles the stream would deliver, or empty when not known in advance
     */
    default OptionalLong expectedCandles(String secid, Timeframe timeframe, Instant from, Instant to) {
        return OptionalLong.empty();
    }

    /**
     * The candles of {@code secid} with {@code from <= ts < to} as one series (empty when none).
     *
     * @param secid the instrument, e.g. {@code SBER}
     * @param timeframe the timeframe of the candles; one the source {@link #supports}
     * @param from the earliest open time delivered, inclusive
     * @param to the end of the range, exclusive; not before {@code from}
     * @return the candles of every page in one series of {@code secid} and {@code timeframe}
     * @throws SourceException when the input cannot be read or is malformed
     * @throws IllegalArgumentException when the timeframe is not supported or {@code from > to}
     */
    default CandleSeries fetch(String secid, Timeframe timeframe, Instant from, Instant to) {
        CandleSeries.Builder all = CandleSeries.builder(secid).timeframe(timeframe);
        stream(secid, timeframe, from, to, page -> {
            for (int i = 0; i < page.size(); i++) {
                all.add(page.ts(i), page.open(i), page.high(i), page.low(i), page.close(i), page.volume(i));
            }
        });
        return all.build();
    }
}
