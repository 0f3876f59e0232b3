/**
 * Not API: zero-copy access to the arrays behind the api's immutable values, for featurestore's
 * own modules (the kernels, the storages, the snapshot formats). Anything here may change or go
 * without notice; applications use the read-only accessors of {@link dev.featurestore.api}. Once
 * the api has a module descriptor, this package is exported to featurestore's modules only.
 */
package dev.featurestore.api.internal;
