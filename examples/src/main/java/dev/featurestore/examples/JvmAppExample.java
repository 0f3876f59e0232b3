package dev.featurestore.examples;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindow;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.LocalDate;
import java.util.List;

/**
 * A JVM service's use: build the store once, keep one query per need, and on each new batch of
 * candles read the newest window of features of every instrument, e.g. to feed a model.
 *
 * <p>Run: {@code java -cp ... dev.featurestore.examples.JvmAppExample [registry.yaml]}.
 */
public final class JvmAppExample {
    private JvmAppExample() {
    }

    /** Prints, per secid, the newest 5m window of {@code my_set} and its last row. */
    public static void main(String[] args) {
        try (Store store = Examples.store(args)) {
            // One immutable query, shared by every request of the service.
            FeatureQuery query = store.forSet("my_set").timeframe("5m").window(30);
            SyntheticCandles market = SyntheticCandles.seed(7).start(LocalDate.of(2024, 1, 8)).tradingDays(3);
            for (CandleSeries candles : market.generate(List.of("SBER", "GAZP"))) {
                FeatureWindow w = query.completeThrough(market.end()).latest(candles);
                double[][] x = w.toArray();
                int last = w.rows() - 1;
                System.out.printf("%s: window %d x %d, last bar opened %s, available %s; %s = %.6f%n", w.secid(),
                        w.rows(), w.features(), w.lastOpenTime(), w.availableAt(), w.featureNames().get(3),
                        x[last][3]);
            }
        }
    }
}
