package dev.featurestore.api;

import dev.featurestore.api.internal.Columns;
import java.util.List;

/** The api's side of {@link Columns}: reaches the package-private members of the values. */
final class ColumnsBridge implements Columns.Access {
    static {
        Columns.install(new ColumnsBridge());
    }

    private ColumnsBridge() {
    }

    @Override
    public long[] ts(CandleSeries series) {
        return series.tsArray();
    }

    @Override
    public double[] open(CandleSeries series) {
        return series.openArray();
    }

    @Override
    public double[] high(CandleSeries series) {
        return series.highArray();
    }

    @Override
    public double[] low(CandleSeries series) {
        return series.lowArray();
    }

    @Override
    public double[] close(CandleSeries series) {
        return series.closeArray();
    }

    @Override
    public double[] volume(CandleSeries series) {
        return series.volumeArray();
    }

    @Override
    public CandleSeries candles(String secid, Timeframe timeframe, long[] ts, double[] open, double[] high,
            double[] low, double[] close, double[] volume) {
        return CandleSeries.wrap(secid, timeframe, ts, open, high, low, close, volume);
    }

    @Override
    public FeatureFrame frame(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            List<FeatureKind> kinds, long[] ts, double[][] columns, int offset, int size) {
        return FeatureFrame.wrap(secid, featureSet, timeframe, featureNames, kinds, ts, columns, offset, size);
    }

    @Override
    public long[] ts(FeatureFrame frame) {
        return frame.tsArray();
    }

    @Override
    public double[] column(FeatureFrame frame, int feature) {
        return frame.columnArray(feature);
    }

    @Override
    public int offset(FeatureFrame frame) {
        return frame.offset();
    }

    @Override
    public FeatureWindow window(String secid, String featureSet, Timeframe timeframe, List<String> featureNames,
            long[] ts, double[] values) {
        return FeatureWindow.wrap(secid, featureSet, timeframe, featureNames, ts, values);
    }
}
