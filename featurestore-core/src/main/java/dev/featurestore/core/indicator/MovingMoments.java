package dev.featurestore.core.indicator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@link RollingMoments} advanced one value at a time: the same pivot, sums, peak, run of equal
 * values and rebuild countdown, and the same operations in the same order, so every value has the
 * bits of the batch kernel's. The window's values (and the one that leaves it) are kept in a ring,
 * which the rebuilds and the fall-back two-pass deviation read oldest first, as the batch kernel
 * reads its column.
 */
final class MovingMoments {
    static final int MEAN_STD = 0;
    static final int Z_SCORE = 1;
    static final int PERCENT_B = 2;

    private final int period;
    private final int kind;
    private final double k;
    private final double neutral;
    private final double inv;
    private final double scale;
    private final double[] ring;
    private final int mask;

    private long seen;
    private double pivot;
    private double s1;
    private double s2;
    private long peakBits;
    private int run;
    private int untilRebuild;
    private double last;

    MovingMoments(int period, int kind, int ddof, double k, double neutral) {
        this.period = period;
        this.kind = kind;
        this.k = k;
        this.neutral = neutral;
        this.inv = 1.0 / period;
        this.scale = ddof == 0 ? inv : 1.0 / (period - 1);
        this.ring = new double[Integer.highestOneBit(period) << 1];
        this.mask = ring.length - 1;
    }

    /** The value {@code age} steps back (0: the newest); {@code age <= period}. */
    private double at(int age) {
        return ring[(int) ((seen - 1 - age) & mask)];
    }

    /**
     * Takes the next defined input and returns the output of its row: the deviation, the z-score
     * or %B, NaN until the window is full.
     */
    double update(double v) {
        int equal = (seen > 0) & (v == last) ? 1 : 0;
        run = 1 + equal * run;
        last = v;
        ring[(int) (seen & mask)] = v;
        seen++;
        if (seen < period) {
            return Double.NaN;
        }
        boolean rebuild = untilRebuild == 0;
        if (!rebuild) {
            double din = v - pivot;
            double dout = at(period) - pivot;
            s1 += din - dout;
            s2 += din * din - dout * dout;
            peakBits = Math.max(peakBits, Double.doubleToRawLongBits(s2));
            rebuild = run < period && s2 - s1 * s1 * inv < RollingMoments.CANCELLATION * Double.longBitsToDouble(peakBits);
        }
        if (rebuild) {
            pivot = v;
            double a = 0;
            double b = 0;
            for (int age = period - 1; age >= 0; age--) {
                double d = at(age) - pivot;
                a += d;
                b += d * d;
            }
            s1 = a;
            s2 = b;
            peakBits = Double.doubleToRawLongBits(b);
            untilRebuild = Math.max(RollingMoments.REBUILD_EVERY, period);
        }
        untilRebuild--;
        boolean constant = run >= period;
        if (kind == MEAN_STD) {
            return constant ? 0.0 : std();
        } else if (kind == Z_SCORE) {
            return constant ? neutral : ((v - pivot) - s1 * inv) / std();
        } else if (constant) {
            return neutral;
        }
        double sd = std();
        return (((v - pivot) - s1 * inv) + k * sd) / (2 * k * sd);
    }

    private double std() {
        double m2 = s2 - s1 * s1 * inv;
        if (!(m2 > 0)) {
            m2 = exactSquaredDeviations();
        }
        return Math.sqrt(m2 * scale);
    }

    /** {@link Kernels#exactSquaredDeviations} of the window, in the same order. */
    private double exactSquaredDeviations() {
        double sum = 0;
        for (int age = period - 1; age >= 0; age--) {
            sum += at(age);
        }
        double mean = sum / period;
        double m2 = 0;
        for (int age = period - 1; age >= 0; age--) {
            double d = at(age) - mean;
            m2 += d * d;
        }
        return m2;
    }

    void copyFrom(MovingMoments o) {
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        seen = o.seen;
        pivot = o.pivot;
        s1 = o.s1;
        s2 = o.s2;
        peakBits = o.peakBits;
        run = o.run;
        untilRebuild = o.untilRebuild;
        last = o.last;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(seen);
        out.writeDouble(pivot);
        out.writeDouble(s1);
        out.writeDouble(s2);
        out.writeLong(peakBits);
        out.writeInt(run);
        out.writeInt(untilRebuild);
        out.writeDouble(last);
        int kept = (int) Math.min(seen, period + 1);
        for (int age = kept - 1; age >= 0; age--) {
            out.writeDouble(at(age));
        }
    }

    void read(DataInput in) throws IOException {
        seen = BuiltinState.nonNegative(in.readLong(), "moments count");
        pivot = in.readDouble();
        s1 = in.readDouble();
        s2 = in.readDouble();
        peakBits = in.readLong();
        run = in.readInt();
        untilRebuild = in.readInt();
        last = in.readDouble();
        int kept = (int) Math.min(seen, period + 1);
        for (int age = kept - 1; age >= 0; age--) {
            ring[(int) ((seen - 1 - age) & mask)] = in.readDouble();
        }
    }
}
