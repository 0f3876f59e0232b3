package dev.featurestore.spark.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.util.AccumulatorV2;

/**
 * The open time of each secid's first candle, gathered by the tasks that compute the secids: a
 * Spark accumulator whose merge keeps the earliest time per secid, so that a task run twice (a
 * retry, a recomputed stage) adds nothing wrong.
 */
public final class FirstCandles extends AccumulatorV2<Map.Entry<String, Long>, Map<String, Long>> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Long> first = new HashMap<>();

    /** An empty accumulator. */
    public FirstCandles() {
    }

    @Override
    public boolean isZero() {
        synchronized (first) {
            return first.isEmpty();
        }
    }

    @Override
    public FirstCandles copy() {
        FirstCandles c = new FirstCandles();
        synchronized (first) {
            c.first.putAll(first);
        }
        return c;
    }

    @Override
    public void reset() {
        synchronized (first) {
            first.clear();
        }
    }

    @Override
    public void add(Map.Entry<String, Long> secidTs) {
        synchronized (first) {
            first.merge(secidTs.getKey(), secidTs.getValue(), Math::min);
        }
    }

    @Override
    public void merge(AccumulatorV2<Map.Entry<String, Long>, Map<String, Long>> other) {
        for (Map.Entry<String, Long> e : other.value().entrySet()) {
            add(e);
        }
    }

    @Override
    public Map<String, Long> value() {
        synchronized (first) {
            return Map.copyOf(first);
        }
    }
}
