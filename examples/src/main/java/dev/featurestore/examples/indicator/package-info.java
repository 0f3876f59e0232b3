/** A custom indicator provider, discovered with {@link java.util.ServiceLoader}. */
package dev.featurestore.examples.indicator;
