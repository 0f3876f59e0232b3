/**
 * JMH benchmarks of feature computation: the {@code tech_v2} set against the memory floor of
 * writing its twenty columns and against ta4j computing comparable indicators, the cost of each
 * feature alone, and cutting training windows. Run them from {@code target/benchmarks.jar}.
 */
package dev.featurestore.bench;
