package dev.featurestore.spark.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The work of one secid on an executor: its candles, sorted by ts, into a {@link CandleSeries}
 * (which checks every candle as the single-machine path does), the feature set computed over the
 * whole history with the core kernels (resampled when the candles are finer), and the clean rows
 * of the range out as rows of the snapshot schema.
 *
 * <p>Holds only names, numbers and the registry's text, so that it serializes to any executor; the
 * registry is parsed once per executor JVM and kept.
 */
public final class GroupCompute implements FlatMapGroupsFunction<String, Row, Row> {
    private static final long serialVersionUID = 1L;

    /** The stores of the registries seen in this JVM, by their text ("" for the built-in one). */
    private static final Map<String, Store> STORES = new ConcurrentHashMap<>();

    private final String featureSet;
    private final String timeframe;
    private final String candleTimeframe;
    private final String registryName;
    private final String registryYaml;
    private final long fromMs;
    private final long toMs;
    private final long completeThroughMs;
    private final boolean hasCompleteThrough;
    private final boolean tsMicros;
    private final boolean instants;
    private final String[] featureNames;
    private final boolean[] categorical;
    private final FirstCandles firstCandles;

    /**
     * The work of one job.
     *
     * @param featureSet the set's name
     * @param timeframe the features' timeframe, e.g. {@code 5m}
     * @param candleTimeframe the candles' timeframe, e.g. {@code 1m}
     * @param registryName the registry's name in errors
     * @param registryYaml the registry's text, or null for the built-in registry
     * @param fromMs the first open time of the rows out, epoch ms
     * @param toMs the open time where the rows out end, excluded
     * @param completeThroughMs the end of the complete candles, when {@code hasCompleteThrough}
     * @param hasCompleteThrough whether the candles are stated complete through {@code completeThroughMs}
     * @param tsMicros true when the ts column holds epoch microseconds, false for milliseconds
     * @param instants true to hand out ts as {@link Instant}, false as {@link Timestamp}
     * @param featureNames the set's features in order
     * @param categorical per feature, whether it is categorical (an 8-bit integer column)
     * @param firstCandles told each secid's first candle, or null
     */
    public GroupCompute(String featureSet, String timeframe, String candleTimeframe, String registryName,
            String registryYaml, long fromMs, long toMs, long completeThroughMs, boolean hasCompleteThrough,
            boolean tsMicros, boolean instants, String[] featureNames, boolean[] categorical,
            FirstCandles firstCandles) {
        this.featureSet = featureSet;
        this.timeframe = timeframe;
        this.candleTimeframe = candleTimeframe;
        this.registryName = registryName;
        this.registryYaml = registryYaml;
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.completeThroughMs = completeThroughMs;
        this.hasCompleteThrough = hasCompleteThrough;
        this.tsMicros = tsMicros;
        this.instants = instants;
        this.featureNames = featureNames.clone();
        this.categorical = categorical.clone();
        this.firstCandles = firstCandles;
    }

    /**
     * The store of a registry, parsed once per JVM.
     *
     * @param name the registry's name in errors
     * @param yaml the registry's text, or null for the built-in one
     * @return an in-memory store over that registry
     */
    public static Store store(String name, String yaml) {
        return STORES.computeIfAbsent(yaml == null ? "" : yaml, k -> FeatureStore.builder()
                .registry(yaml == null ? FeatureRegistry.builtin() : FeatureRegistry.parse(name, yaml)).build());
    }

    @Override
    public Iterator<Row> call(String secid, Iterator<Row> candles) {
        if (secid == null) {
            throw new FeatureStoreException("candles without a secid (null) in the input; every candle needs one");
        }
        CandleSeries series = series(secid, candles);
        if (firstCandles != null && series.size() > 0) {
            firstCandles.add(Map.entry(secid, series.ts(0)));
        }
        FeatureQuery q = store(registryName, registryYaml).forSet(featureSet).timeframe(timeframe);
        if (hasCompleteThrough) {
            q = q.completeThrough(Instant.ofEpochMilli(completeThroughMs));
        }
        FeatureFrame frame = q.compute(series);
        return new Rows(frame, lowerBound(frame, fromMs), lowerBound(frame, toMs));
    }

    /** The candles of one secid, in ts order, checked by the series as the single-machine path checks them. */
    private CandleSeries series(String secid, Iterator<Row> candles) {
        int n = 0;
        long[] ts = new long[1024];
        double[][] v = new double[5][1024];
        while (candles.hasNext()) {
            Row r = candles.next();
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                for (int c = 0; c < 5; c++) {
                    v[c] = Arrays.copyOf(v[c], n * 2);
                }
            }
            if (r.isNullAt(1)) {
                throw new InvalidCandleException(secid, n, n == 0 ? 0 : ts[n - 1], "ts", Double.NaN,
                        "ts is null (the ts shown is the previous candle's)");
            }
            long t = r.getLong(1);
            if (tsMicros) {
                if (t % 1000 != 0) {
                    throw new InvalidCandleException(secid, n, Math.floorDiv(t, 1000), "ts", t,
                            "ts is not a whole millisecond (" + t + " us)");
                }
                t /= 1000;
            }
            ts[n] = t;
            for (int c = 0; c < 5; c++) {
                v[c][n] = r.isNullAt(c + 2) ? Double.NaN : r.getDouble(c + 2);
            }
            n++;
        }
        return CandleSeries.of(secid, Timeframe.parse(candleTimeframe), Arrays.copyOf(ts, n),
                Arrays.copyOf(v[0], n), Arrays.copyOf(v[1], n), Arrays.copyOf(v[2], n), Arrays.copyOf(v[3], n),
                Arrays.copyOf(v[4], n));
    }

    private static int lowerBound(FeatureFrame frame, long ts) {
        int lo = 0;
        int hi = frame.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (frame.ts(mid) < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The rows {@code [from, to)} of a frame as snapshot rows, made one at a time. */
    private final class Rows implements Iterator<Row> {
        private final FeatureFrame frame;
        private final int to;
        private int next;

        Rows(FeatureFrame frame, int from, int to) {
            this.frame = frame;
            this.next = from;
            this.to = to;
        }

        @Override
        public boolean hasNext() {
            return next < to;
        }

        @Override
        public Row next() {
            if (next >= to) {
                throw new NoSuchElementException();
            }
            int r = next++;
            Object[] values = new Object[2 + featureNames.length];
            values[0] = frame.secid();
            long t = frame.ts(r);
            values[1] = instants ? Instant.ofEpochMilli(t) : new Timestamp(t);
            for (int f = 0; f < featureNames.length; f++) {
                double x = frame.value(r, f);
                if (categorical[f]) {
                    if (!(x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE && x == Math.rint(x))) {
                        throw new FeatureStoreException("categorical feature '" + featureNames[f] + "' of secid '"
                                + frame.secid() + "' at " + Instant.ofEpochMilli(t) + " is " + x
                                + "; snapshots hold categories as whole numbers in -128..127");
                    }
                    values[2 + f] = (byte) x;
                } else {
                    values[2 + f] = x;
                }
            }
            return RowFactory.create(values);
        }
    }
}
