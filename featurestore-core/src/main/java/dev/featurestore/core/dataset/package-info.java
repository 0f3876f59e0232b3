/**
 * Training datasets without leakage: time splits (half-open, or walk-forward folds) with purging
 * and embargo, labels kept apart from the features, normalization fitted on the training split
 * only, and each split as one (N, W, F) block with its label vector and sample keys.
 *
 * <pre>{@code
 * Dataset ds = store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").window(120)
 *         .labels("fwd_ret_12")
 *         .split(Split.train(a, b), Split.valid(b, c), Split.test(c, d))
 *         .normalize(Normalization.robustZScore().clip(5))
 *         .dataset();
 * DatasetSplit train = ds.split("train");
 * float[] x = train.toFlatFloatArray();     // (N, 120, 20)
 * double[] y = train.labels("fwd_ret_12");  // N labels
 * }</pre>
 */
package dev.featurestore.core.dataset;
