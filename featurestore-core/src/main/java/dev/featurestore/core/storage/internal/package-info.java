/** Checks shared by the storage implementations. Not public API. */
package dev.featurestore.core.storage.internal;
