/**
 * Public types of featurestore: candle series, feature frames and windows, timeframes, feature
 * set specifications and the exception family. Depends on the JDK only.
 */
package dev.featurestore.api;
