/**
 * The public types and service interfaces of featurestore: timeframes, candle series, feature
 * frames and windows, the exception family, and the indicator, storage, snapshot-format and
 * candle-source SPIs. Depends on the JDK only.
 */
// A qualified export names our other modules, which javac does not see while it compiles this one
// (they are built after it, and are automatic modules named by the Automatic-Module-Name of their
// jars): javac's "module" lint warns "module not found" for each, which -Werror turns into an
// error. Only that lint is suppressed, and only on this declaration; every other warning stays on.
@SuppressWarnings("module")
module dev.featurestore.api {
    exports dev.featurestore.api;
    exports dev.featurestore.api.indicator;
    exports dev.featurestore.api.snapshot;
    exports dev.featurestore.api.source;
    exports dev.featurestore.api.storage;

    // Not public API: zero-copy access to validated values, for our own modules only.
    exports dev.featurestore.api.internal to dev.featurestore.core, dev.featurestore.jdbc, dev.featurestore.parquet,
            dev.featurestore.arrow, dev.featurestore.testkit;
}
