/**
 * Runnable examples of featurestore: a JVM service reading the newest window
 * ({@link dev.featurestore.examples.JvmAppExample}), a training loop over sliding windows
 * ({@link dev.featurestore.examples.TrainingLoopExample}), and a custom feature in a set of your own
 * ({@link dev.featurestore.examples.indicator.MyIndicators}, {@code my_feature_store.yaml}).
 */
package dev.featurestore.examples;
