package dev.featurestore.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a frame of every row ({@code computeAllRows}) with {@link ReferenceFeatures} on the
 * same candles, with the tolerance of the definitions: a relative error of 1e-9, or an absolute
 * error of 1e-12 (dimensionless features) or 1e-12 x close (features in price units); NaN exactly
 * where the reference is NaN; categorical features exactly.
 */
public final class FeatureComparison {
    /** Relative tolerance. */
    public static final double REL = 1e-9;
    /** Absolute tolerance (times the close for features in price units). */
    public static final double ABS = 1e-12;

    private final Map<String, double[]> maxErrors = new LinkedHashMap<>();

    /** True when {@code actual} is within the tolerance of {@code expected} for this feature. */
    public static boolean within(String feature, double expected, double actual, double close) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (ReferenceFeatures.CATEGORICAL.contains(feature)) {
            return expected == actual;
        }
        if (!Double.isFinite(actual)) {
            return false;
        }
        double err = Math.abs(actual - expected);
        double abs = ReferenceFeatures.PRICE_UNITS.contains(feature) ? ABS * close : ABS;
        return err <= REL * Math.abs(expected) || err <= abs;
    }

    /**
     * Asserts that {@code frame} (all rows of {@code candles}, row-aligned) agrees with the
     * reference on every row and feature; records the largest errors seen.
     */
    public FeatureComparison check(String label, CandleSeries candles, FeatureFrame frame) {
        assertThat(frame.timestamps()).as("%s: frame rows are the candles' rows", label).containsExactly(candles.timestamps());
        Map<String, double[]> ref = ReferenceFeatures.compute(candles.opens(), candles.highs(), candles.lows(),
                candles.closes(), candles.volumes());
        double[] close = candles.closes();
        List<String> problems = new ArrayList<>();
        for (String feature : frame.featureNames()) {
            double[] expected = ref.get(feature);
            double[] actual = frame.column(feature);
            double[] max = maxErrors.computeIfAbsent(feature, f -> new double[2]);
            for (int t = 0; t < actual.length; t++) {
                if (!within(feature, expected[t], actual[t], close[t])) {
                    if (problems.size() < 20) {
                        problems.add(String.format(Locale.ROOT, "%s row %d (ts %s): expected %s, got %s (close %s)",
                                feature, t, frame.openTime(t), expected[t], actual[t], close[t]));
                    }
                    continue;
                }
                if (!Double.isNaN(expected[t])) {
                    double err = Math.abs(actual[t] - expected[t]);
                    max[1] = Math.max(max[1], err);
                    if (expected[t] != 0) {
                        max[0] = Math.max(max[0], err / Math.abs(expected[t]));
                    }
                }
            }
        }
        assertThat(problems).as("%s: values outside the tolerance (rel %s, abs %s)", label, REL, ABS).isEmpty();
        return this;
    }

    /** The largest {relative, absolute} error seen per feature over all checks so far. */
    public Map<String, double[]> maxErrors() {
        return maxErrors;
    }

    /** A table of the largest errors, one line per feature. */
    public String report(String title) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (Map.Entry<String, double[]> e : maxErrors.entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %-20s max rel %.3e  max abs %.3e%n", e.getKey(), e.getValue()[0],
                    e.getValue()[1]));
        }
        return sb.toString();
    }
}
