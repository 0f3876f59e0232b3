/**
 * Sources of candles: CSV files ({@link dev.featurestore.core.source.CsvCandleSource}), the Moscow
 * Exchange ISS ({@link dev.featurestore.core.source.MoexIssSource}), and generated ones:
 * {@link dev.featurestore.core.source.SyntheticCandles} makes seeded, market-like 1-minute candles
 * for demos, examples, benchmarks and tests, and
 * {@link dev.featurestore.core.source.SyntheticCandleSource} serves them as a source.
 */
package dev.featurestore.core.source;
