package dev.featurestore.examples.indicator;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.indicator.IndicatorContext;
import dev.featurestore.api.indicator.IndicatorProvider;
import java.util.List;
import java.util.Map;

/**
 * Features of your own, found by {@link java.util.ServiceLoader} because this class is listed in
 * {@code META-INF/services/dev.featurestore.api.indicator.IndicatorProvider}. Name them in a
 * registry file beside the built-in ones (see {@code my_feature_store.yaml}).
 *
 * <p>{@code my_indicator_10}: the close divided by the highest close of the last 10 rows (this
 * one included), so 1 at a fresh 10-row high and below 1 otherwise. Defined from row 9. Its value
 * reads the last 10 rows only, which it declares with {@code withStreamTail(10)}: a stream then
 * recomputes it over those 10 candles for each new row, and gives the batch value bit for bit.
 */
public final class MyIndicators implements IndicatorProvider {
    /** The window of {@code my_indicator_10}. */
    public static final int PERIOD = 10;

    private static final Indicator MY_INDICATOR_10 = Indicator.define("my_indicator_10", FeatureKind.NUMERIC,
            List.of("close"), Map.of("period", PERIOD), PERIOD - 1, "close over its 10-row maximum",
            MyIndicators::closeOverMax).withStreamTail(PERIOD);

    /** Used by the service loader. */
    public MyIndicators() {
    }

    @Override
    public List<Indicator> indicators() {
        return List.of(MY_INDICATOR_10);
    }

    /**
     * {@code c[t] / max(c[t-9..t])}: one pass with a monotonic queue of row indexes, whose head is
     * the window's maximum. Primitive columns in and out; no look-ahead.
     */
    static void closeOverMax(IndicatorContext ctx, double[] out) {
        double[] c = ctx.close();
        int n = ctx.size();
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        for (int t = 0; t < n; t++) {
            while (tail > head && c[queue[tail - 1]] <= c[t]) {
                tail--;
            }
            queue[tail++] = t;
            if (queue[head] <= t - PERIOD) {
                head++;
            }
            out[t] = t < PERIOD - 1 ? Double.NaN : c[t] / c[queue[head]];
        }
    }
}
