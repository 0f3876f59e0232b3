package dev.featurestore.api;

/** Whether a feature is a real number or a category; categories are stored as 0, 1, 2, ... */
public enum FeatureKind {
    /** A real-valued feature (double). */
    NUMERIC,
    /** A categorical feature whose values are small non-negative integers, held as doubles. */
    CATEGORICAL
}
