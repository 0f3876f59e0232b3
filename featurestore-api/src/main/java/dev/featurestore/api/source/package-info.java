/**
 * The candle source SPI: {@link dev.featurestore.api.source.CandleSource} delivers validated
 * candles of one secid and timeframe over a time range (CSV files, the Moscow Exchange ISS API and
 * a synthetic generator ship in featurestore-core), {@link dev.featurestore.api.source.InputStats}
 * carries what the raw input looked like, {@link dev.featurestore.api.source.SourceException}
 * says what went wrong and where, and its subclass
 * {@link dev.featurestore.api.source.SourceUnavailableException} says that a source is
 * unreachable or kept failing through its retries (worth trying again later).
 */
package dev.featurestore.api.source;
