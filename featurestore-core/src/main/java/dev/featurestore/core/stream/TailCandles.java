package dev.featurestore.core.stream;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.internal.Computation;
import dev.featurestore.core.registry.FeatureRegistry;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The fall-back for features of other providers ({@link Indicator#streamTail()}): the last candles
 * of the stream's timeframe, as many as the longest tail asks for (every candle for
 * {@link Indicator#WHOLE_HISTORY}), and a recomputation of those features over them for each new row.
 * A bounded ring holds two candles more than the tail so that a {@link FeatureStream#peek} can push
 * two rows and take them back.
 */
final class TailCandles {
    private final String secid;
    private final Timeframe timeframe;
    private final List<Indicator> indicators;
    private final FeatureRegistry registry;
    private final int tail;
    private final boolean bounded;
    private long[] ts;
    private double[] o;
    private double[] h;
    private double[] l;
    private double[] c;
    private double[] v;
    private long count;

    TailCandles(String secid, Timeframe timeframe, List<Indicator> indicators, FeatureRegistry registry) {
        this.secid = secid;
        this.timeframe = timeframe;
        this.indicators = indicators;
        this.registry = registry;
        long longest = 0;
        for (Indicator i : indicators) {
            longest = Math.max(longest, Math.max(i.streamTail(), (long) i.firstDefinedRow() + 1));
        }
        this.bounded = longest < Indicator.WHOLE_HISTORY;
        this.tail = (int) Math.min(longest, Indicator.WHOLE_HISTORY);
        allocate(bounded ? tail + 2 : 64);
    }

    private void allocate(int capacity) {
        ts = new long[capacity];
        o = new double[capacity];
        h = new double[capacity];
        l = new double[capacity];
        c = new double[capacity];
        v = new double[capacity];
    }

    boolean isEmpty() {
        return indicators.isEmpty();
    }

    long count() {
        return count;
    }

    /** Takes back the rows pushed after the count was {@code count} (at most two, for a bounded tail). */
    void truncate(long count) {
        this.count = count;
    }

    /** Appends a candle and computes the features over the tail ending with it, into {@code out}. */
    void push(long t, double open, double high, double low, double close, double volume, double[] out) {
        if (!bounded && count == ts.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, ts.length * 2L);
            ts = Arrays.copyOf(ts, capacity);
            o = Arrays.copyOf(o, capacity);
            h = Arrays.copyOf(h, capacity);
            l = Arrays.copyOf(l, capacity);
            c = Arrays.copyOf(c, capacity);
            v = Arrays.copyOf(v, capacity);
        }
        int i = slot(count);
        ts[i] = t;
        o[i] = open;
        h[i] = high;
        l[i] = low;
        c[i] = close;
        v[i] = volume;
        count++;
        compute(out);
    }

    private int slot(long row) {
        return bounded ? (int) (row % ts.length) : (int) row;
    }

    private void compute(double[] out) {
        int n = (int) Math.min(count, tail);
        long[] tt = new long[n];
        double[] oo = new double[n];
        double[] hh = new double[n];
        double[] ll = new double[n];
        double[] cc = new double[n];
        double[] vv = new double[n];
        for (int r = 0; r < n; r++) {
            int i = slot(count - n + r);
            tt[r] = ts[i];
            oo[r] = o[i];
            hh[r] = h[i];
            ll[r] = l[i];
            cc[r] = c[i];
            vv[r] = v[i];
        }
        double[][] columns = Computation.run(Columns.candles(secid, timeframe, tt, oo, hh, ll, cc, vv),
                indicators, registry::indicator);
        for (int j = 0; j < columns.length; j++) {
            out[j] = columns[j][n - 1];
        }
    }

    void write(DataOutput out) throws IOException {
        int kept = (int) Math.min(count, tail);
        out.writeLong(count);
        out.writeInt(kept);
        for (long r = count - kept; r < count; r++) {
            int i = slot(r);
            out.writeLong(ts[i]);
            out.writeLong(Double.doubleToRawLongBits(o[i]));
            out.writeLong(Double.doubleToRawLongBits(h[i]));
            out.writeLong(Double.doubleToRawLongBits(l[i]));
            out.writeLong(Double.doubleToRawLongBits(c[i]));
            out.writeLong(Double.doubleToRawLongBits(v[i]));
        }
    }

    void read(DataInput in) throws IOException {
        long total = in.readLong();
        int kept = in.readInt();
        if (total < 0 || kept < 0 || kept > total || kept != Math.min(total, tail)) {
            throw new IOException("tail of " + kept + " of " + total + " candles, expected " + Math.min(total, tail));
        }
        if (!bounded) {
            allocate(Math.max(64, kept));
        }
        for (long r = total - kept; r < total; r++) {
            int i = slot(r);
            ts[i] = in.readLong();
            o[i] = Double.longBitsToDouble(in.readLong());
            h[i] = Double.longBitsToDouble(in.readLong());
            l[i] = Double.longBitsToDouble(in.readLong());
            c[i] = Double.longBitsToDouble(in.readLong());
            v[i] = Double.longBitsToDouble(in.readLong());
        }
        count = total;
    }
}
