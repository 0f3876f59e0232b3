package dev.featurestore.core.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.indicator.IndicatorContext;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.core.indicator.BuiltinIndicators;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One computation of a list of features over one series: the {@link IndicatorContext} the
 * kernels see. Features a kernel asks for are computed once, on demand, into the output column
 * when they belong to the set and into a scratch column otherwise.
 *
 * <p>The built-in kernels get this context, which reads the series' columns without a copy. An
 * indicator of any other provider gets a {@link Copying} context instead, whose arrays are copies,
 * so that it cannot write into the series, into another feature's values or into the result.
 */
public final class Computation implements IndicatorContext {
    private final CandleSeries series;
    private final Function<String, Indicator> catalog;
    private final Map<String, double[]> features = new HashMap<>();
    private final Map<String, double[]> shared = new HashMap<>();
    private final Map<String, double[]> outputs = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();

    private Computation(CandleSeries series, Function<String, Indicator> catalog) {
        this.series = series;
        this.catalog = catalog;
    }

    /**
     * Computes {@code indicators} over {@code series}; column i of the result belongs to
     * indicator i. {@code catalog} resolves features that a kernel asks for by name.
     */
    public static double[][] run(CandleSeries series, List<Indicator> indicators, Function<String, Indicator> catalog) {
        Computation c = new Computation(series, catalog);
        double[][] columns = new double[indicators.size()][];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new double[series.size()];
            c.outputs.put(indicators.get(i).name(), columns[i]);
        }
        for (Indicator indicator : indicators) {
            c.feature(indicator.name(), indicator);
        }
        return columns;
    }

    @Override
    public int size() {
        return series.size();
    }

    @Override
    public long[] ts() {
        return Columns.ts(series);
    }

    @Override
    public double[] open() {
        return Columns.open(series);
    }

    @Override
    public double[] high() {
        return Columns.high(series);
    }

    @Override
    public double[] low() {
        return Columns.low(series);
    }

    @Override
    public double[] close() {
        return Columns.close(series);
    }

    @Override
    public double[] volume() {
        return Columns.volume(series);
    }

    @Override
    public double[] feature(String name) {
        double[] done = features.get(name);
        if (done != null) {
            return done;
        }
        Indicator indicator = catalog.apply(name);
        if (indicator == null) {
            throw new FeatureStoreException("a feature asked for feature '" + name + "', which no provider defines");
        }
        return feature(name, indicator);
    }

    private double[] feature(String name, Indicator indicator) {
        double[] done = features.get(name);
        if (done != null) {
            return done;
        }
        if (!inProgress.add(name)) {
            throw new FeatureStoreException("features depend on each other in a cycle through '" + name + "'");
        }
        double[] out = outputs.get(name);
        if (out == null) {
            out = new double[series.size()];
        }
        indicator.compute(BuiltinIndicators.isBuiltin(indicator) ? this : new Copying(this), out);
        inProgress.remove(name);
        features.put(name, out);
        return out;
    }

    @Override
    public double[] claim(String name) {
        double[] out = outputs.get(name);
        if (out == null || features.containsKey(name) || inProgress.contains(name)) {
            return null;
        }
        features.put(name, out);
        return out;
    }

    @Override
    public double[] shared(String key, Function<IndicatorContext, double[]> compute) {
        return shared(key, compute, this);
    }

    private double[] shared(String key, Function<IndicatorContext, double[]> compute, IndicatorContext asker) {
        double[] column = shared.get(key);
        if (column == null) {
            column = compute.apply(asker);
            if (column == null || column.length != series.size()) {
                throw new FeatureStoreException("shared column '" + key + "' must have " + series.size() + " values");
            }
            shared.put(key, column);
        }
        return column;
    }

    /**
     * The context of an indicator that is not built in: every array is a copy, made once per
     * column asked for; {@link #claim} hands over only the outputs of features not built in.
     */
    private static final class Copying implements IndicatorContext {
        private final Computation computation;
        private final Map<String, Object> copies = new HashMap<>();

        Copying(Computation computation) {
            this.computation = computation;
        }

        private double[] copy(String key, double[] column) {
            return (double[]) copies.computeIfAbsent(key, k -> column.clone());
        }

        @Override
        public int size() {
            return computation.size();
        }

        @Override
        public long[] ts() {
            return (long[]) copies.computeIfAbsent("ts", k -> computation.ts().clone());
        }

        @Override
        public double[] open() {
            return copy("open", computation.open());
        }

        @Override
        public double[] high() {
            return copy("high", computation.high());
        }

        @Override
        public double[] low() {
            return copy("low", computation.low());
        }

        @Override
        public double[] close() {
            return copy("close", computation.close());
        }

        @Override
        public double[] volume() {
            return copy("volume", computation.volume());
        }

        @Override
        public double[] feature(String name) {
            return copy("feature " + name, computation.feature(name));
        }

        @Override
        public double[] shared(String key, Function<IndicatorContext, double[]> compute) {
            return copy("shared " + key, computation.shared(key, compute, this));
        }

        @Override
        public double[] claim(String name) {
            Indicator owner = computation.catalog.apply(name);
            return owner == null || BuiltinIndicators.isBuiltin(owner) ? null : computation.claim(name);
        }
    }
}
