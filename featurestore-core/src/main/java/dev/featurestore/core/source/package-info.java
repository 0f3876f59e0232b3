/**
 * Sources of candles. {@link dev.featurestore.core.source.SyntheticCandles} generates seeded,
 * market-like 1-minute candles for demos, examples, benchmarks and tests.
 */
package dev.featurestore.core.source;
