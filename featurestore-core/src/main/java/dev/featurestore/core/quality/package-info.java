/**
 * Data-quality reports: {@link dev.featurestore.core.quality.QualityReport} checks the candles and
 * clean feature rows of one run (row counts, missing candles against the session schedule,
 * duplicates and out-of-order input, NaN/infinity, values outside their valid range, staleness,
 * distribution statistics, drift against the previous report) with the thresholds of
 * {@link dev.featurestore.core.quality.QualityConfig}; {@link dev.featurestore.core.quality.QualityReports}
 * writes and reads them as JSON.
 */
package dev.featurestore.core.quality;
