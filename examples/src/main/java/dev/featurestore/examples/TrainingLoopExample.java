package dev.featurestore.examples;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureWindows;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import java.time.LocalDate;

/**
 * Training code's use: every sliding window of a series as one (N, W, F) block, walked in
 * mini-batches as a training loop would hand them to a tensor library. Here the "model" is a
 * running mean of each feature over the batches, enough to show the indexing.
 *
 * <p>Run: {@code java -cp ... dev.featurestore.examples.TrainingLoopExample [registry.yaml]}.
 */
public final class TrainingLoopExample {
    /** Windows per mini-batch. */
    public static final int BATCH = 64;

    private TrainingLoopExample() {
    }

    /**
     * The mean of every feature over all rows of all windows, computed batch by batch from the
     * (N, W, F) block: what a training loop reading the block would see.
     */
    public static double[] featureMeans(FeatureWindows windows) {
        int w = windows.windowSize();
        int f = windows.features();
        double[] sum = new double[f];
        float[] batch = new float[BATCH * w * f];
        for (int start = 0; start < windows.count(); start += BATCH) {
            int n = Math.min(BATCH, windows.count() - start);
            // One mini-batch of floats into the reused buffer, straight from the feature rows.
            windows.copyTo(start, n, batch, 0);
            for (int i = 0; i < n * w * f; i++) {
                sum[i % f] += batch[i];
            }
        }
        double rows = (double) windows.count() * w;
        for (int j = 0; j < f; j++) {
            sum[j] /= rows;
        }
        return sum;
    }

    /** Prints the shape of the training block and the per-feature means. */
    public static void main(String[] args) {
        try (Store store = Examples.store(args)) {
            CandleSeries candles = SyntheticCandles.seed(11).start(LocalDate.of(2024, 1, 8)).tradingDays(10)
                    .generate("LKOH");
            FeatureQuery query = store.forSet("my_set").timeframe("5m").window(30).stride(5);
            FeatureWindows windows = query.windows(candles);
            int[] shape = windows.shape();
            System.out.printf("%s %s: (N, W, F) = (%d, %d, %d)%n", windows.secid(), windows.featureSet(), shape[0],
                    shape[1], shape[2]);
            double[] means = featureMeans(windows);
            for (int j = 0; j < means.length; j++) {
                System.out.printf("  mean %-16s %.6f%n", windows.featureNames().get(j), means[j]);
            }
        }
    }
}
