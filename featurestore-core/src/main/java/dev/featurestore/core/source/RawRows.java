package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Raw candle rows of one secid as a source read them, in input order, each with the position it
 * came from (a file line, a page row). Counts out-of-order rows as they arrive; {@link #build}
 * sorts them by time (stably), drops repeated timestamps keeping the last one read, and validates
 * the result into a {@link CandleSeries}.
 */
final class RawRows {
    /** Turns a rule broken by a candle into the source's own error, naming where the row came from. */
    interface Locator {
        RuntimeException invalid(long position, InvalidCandleException e);
    }

    private final String secid;
    private int size;
    private long[] ts = new long[64];
    private double[] open = new double[64];
    private double[] high = new double[64];
    private double[] low = new double[64];
    private double[] close = new double[64];
    private double[] volume = new double[64];
    private long[] position = new long[64];
    private long outOfOrder;
    private boolean sorted = true;

    RawRows(String secid) {
        this.secid = secid;
    }

    String secid() {
        return secid;
    }

    int size() {
        return size;
    }

    long lastTs() {
        return ts[size - 1];
    }

    /** Where the last row came from. */
    long lastPosition() {
        return position[size - 1];
    }

    /** The rows with {@code from <= ts < to}, in input order: this when all are, null when none is. */
    RawRows within(long from, long to) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (ts[i] >= from && ts[i] < to) {
                n++;
            }
        }
        if (n == size) {
            return size == 0 ? null : this;
        }
        if (n == 0) {
            return null;
        }
        RawRows out = new RawRows(secid);
        for (int i = 0; i < size; i++) {
            if (ts[i] >= from && ts[i] < to) {
                out.add(ts[i], open[i], high[i], low[i], close[i], volume[i], position[i]);
            }
        }
        return out;
    }

    void add(long t, double o, double h, double l, double c, double v, long pos) {
        if (size == ts.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, size * 2L);
            ts = Arrays.copyOf(ts, cap);
            open = Arrays.copyOf(open, cap);
            high = Arrays.copyOf(high, cap);
            low = Arrays.copyOf(low, cap);
            close = Arrays.copyOf(close, cap);
            volume = Arrays.copyOf(volume, cap);
            position = Arrays.copyOf(position, cap);
        }
        if (size > 0 && t < ts[size - 1]) {
            outOfOrder++;
            sorted = false;
        }
        ts[size] = t;
        open[size] = o;
        high[size] = h;
        low[size] = l;
        close[size] = c;
        volume[size] = v;
        position[size] = pos;
        size++;
    }

    /**
     * The rows sorted, de-duplicated and validated, and the counts of what was seen.
     *
     * @param timeframe the series' timeframe, or null for none
     */
    Result build(Timeframe timeframe, Locator locator) {
        int[] order = new int[size];
        if (sorted) {
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
        } else {
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, Comparator.comparingLong(i -> ts[i])); // stable: input order among equal ts
            for (int i = 0; i < size; i++) {
                order[i] = boxed[i];
            }
        }
        CandleSeries.Builder out = CandleSeries.builder(secid).timeframe(timeframe).expectedSize(size);
        long[] kept = new long[size];
        int n = 0;
        long duplicates = 0;
        for (int k = 0; k < size; k++) {
            int i = order[k];
            if (k + 1 < size && ts[order[k + 1]] == ts[i]) {
                duplicates++; // a later row has the same ts: it wins
                continue;
            }
            out.add(ts[i], open[i], high[i], low[i], close[i], volume[i]);
            kept[n++] = position[i];
        }
        CandleSeries series;
        try {
            series = out.build();
        } catch (InvalidCandleException e) {
            throw locator.invalid(kept[e.row()], e);
        }
        return new Result(series, new InputStats(secid, size, duplicates, outOfOrder));
    }

    /** A validated series and the raw-input counts behind it. */
    record Result(CandleSeries series, InputStats stats) {
    }
}
