package dev.featurestore.api.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.api.Timeframe;
import java.util.List;

/**
 * Not API. The arrays behind {@link CandleSeries}, {@link FeatureFrame} and
 * {@link FeatureWindow}, without a copy, and those values made over arrays handed over, for
 * featurestore's own kernels, storages and formats, where a copy per read would cost.
 *
 * <p>Rules for callers: never write into an array read here, and never write into, or keep a
 * reference to, an array handed over after the call. Applications use the public read-only
 * accessors instead ({@code CandleSeries.close(int)}, {@code CandleSeries.closes()}, ...).
 */
public final class Columns {
    private static Access installed;

    private Columns() {
    }

    // ---------------------------------------------------------------- CandleSeries

    /** The backing open times (epoch ms UTC) of a series; do not modify. */
    public static long[] ts(CandleSeries series) {
        return Holder.ACCESS.ts(series);
    }

    /** The backing open prices of a series; do not modify. */
    public static double[] open(CandleSeries series) {
        return Holder.ACCESS.open(series);
    }

    /** The backing high prices of a series; do not modify. */
    public static double[] high(CandleSeries series) {
        return Holder.ACCESS.high(series);
    }

    /** The backing low prices of a series; do not modify. */
    public static double[] low(CandleSeries series) {
        return Holder.ACCESS.low(series);
    }

    /** The backing close prices of a series; do not modify. */
    public static double[] close(CandleSeries series) {
        return Holder.ACCESS.close(series);
    }

    /** The backing volumes of a series; do not modify. */
    public static double[] volume(CandleSeries series) {
        return Holder.ACCESS.volume(series);
    }

    /**
     * A validated series over the given columns, without a copy: the caller hands them over.
     *
     * @throws dev.featurestore.api.InvalidCandleException when a candle breaks a rule
     */
    public static CandleSeries candles(String secid, Timeframe timeframe, long[] ts, double[] open, double[] high,
            double[] low, double[] close, double[] volume) {
        return Holder.ACCESS.candles(secid, timeframe, ts, open, high, low, close, volume);
    }

    // ---------------------------------------------------------------- FeatureFrame

    /**
     * A frame over rows {@code [offset, offset + size)} of arrays the caller hands over (the array
     * of columns itself is copied, not the columns). For producers of frames: kernels, storages.
     */
    public static FeatureFrame frame(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            List<FeatureKind> kinds, long[] ts, double[][] columns, int offset, int size) {
        return Holder.ACCESS.frame(secid, featureSet, timeframe, featureNames, kinds, ts, columns, offset, size);
    }

    /** The backing timestamps of a frame; row r of the frame is index {@link #offset(FeatureFrame)} + r. */
    public static long[] ts(FeatureFrame frame) {
        return Holder.ACCESS.ts(frame);
    }

    /** The backing column of a feature; row r of the frame is index {@link #offset(FeatureFrame)} + r. */
    public static double[] column(FeatureFrame frame, int feature) {
        return Holder.ACCESS.column(frame, feature);
    }

    /** Where row 0 of a frame is in its backing arrays. */
    public static int offset(FeatureFrame frame) {
        return Holder.ACCESS.offset(frame);
    }

    // ---------------------------------------------------------------- FeatureWindow

    /**
     * A window over arrays the caller hands over, without a copy: {@code ts} of length W and
     * {@code values} of W x F, row-major.
     */
    public static FeatureWindow window(String secid, String featureSet, Timeframe timeframe,
            List<String> featureNames, long[] ts, double[] values) {
        return Holder.ACCESS.window(secid, featureSet, timeframe, featureNames, ts, values);
    }

    // ---------------------------------------------------------------- wiring

    /**
     * Installs the api's implementation; called once, by the api itself.
     *
     * @throws IllegalStateException when called again, or with another implementation
     */
    public static synchronized void install(Access access) {
        if (installed != null || !access.getClass().getName().equals("dev.featurestore.api.ColumnsBridge")
                || access.getClass().getClassLoader() != Columns.class.getClassLoader()) {
            throw new IllegalStateException("the api's column access is installed by the api only, once");
        }
        installed = access;
    }

    private static synchronized Access installed() {
        return installed;
    }

    /** What the api implements for this class; not for anyone else. */
    public interface Access {
        long[] ts(CandleSeries series);

        double[] open(CandleSeries series);

        double[] high(CandleSeries series);

        double[] low(CandleSeries series);

        double[] close(CandleSeries series);

        double[] volume(CandleSeries series);

        CandleSeries candles(String secid, Timeframe timeframe, long[] ts, double[] open, double[] high, double[] low,
                double[] close, double[] volume);

        FeatureFrame frame(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
                List<FeatureKind> kinds, long[] ts, double[][] columns, int offset, int size);

        long[] ts(FeatureFrame frame);

        double[] column(FeatureFrame frame, int feature);

        int offset(FeatureFrame frame);

        FeatureWindow window(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
                long[] ts, double[] values);
    }

    /** Loads the api's implementation once; a constant the JIT folds. */
    private static final class Holder {
        static final Access ACCESS = load();

        private static Access load() {
            try {
                Class.forName("dev.featurestore.api.ColumnsBridge", true, Columns.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("featurestore-api is incomplete: " + e.getMessage(), e);
            }
            return installed();
        }
    }
}
