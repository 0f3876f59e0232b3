/**
 * Labels: the targets a model is trained to predict, such as the forward return over {@code h}
 * bars, defined in the registry's {@code labels:} section and kept apart from the features (no
 * feature can be computed from a label, and a label is known only once its last candle has closed).
 */
package dev.featurestore.core.label;
