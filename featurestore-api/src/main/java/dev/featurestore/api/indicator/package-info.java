/**
 * The indicator SPI: how features are defined, computed and discovered. Implement
 * {@link dev.featurestore.api.indicator.IndicatorProvider} to add features of your own.
 */
package dev.featurestore.api.indicator;
