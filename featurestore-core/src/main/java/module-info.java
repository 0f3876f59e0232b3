/**
 * The feature store itself: the registry, the indicator kernels, resampling, windows, the fluent
 * query API, the in-memory and directory storages, snapshots, sources, data quality and the
 * pipeline. Packages named {@code internal} are not exported (or only to our own modules).
 */
// "module": the qualified export names our own storage module, which javac does not see while it
// compiles this one (it is built later, an automatic module named by its jar's
// Automatic-Module-Name), so javac's "module not found" warning is expected there.
// "requires-automatic": commons-math3 3.6.1 has no module descriptor and no
// Automatic-Module-Name; its module name commons.math3 comes from the jar's file name.
// Only these two lints are suppressed, and only here; every other warning stays on.
@SuppressWarnings({"module", "requires-automatic"})
module dev.featurestore.core {
    requires transitive dev.featurestore.api;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.apache.commons.csv;
    requires commons.math3;
    requires org.slf4j;

    exports dev.featurestore.core;
    exports dev.featurestore.core.calendar;
    exports dev.featurestore.core.dataset;
    exports dev.featurestore.core.indicator;
    exports dev.featurestore.core.ingest;
    exports dev.featurestore.core.io;
    exports dev.featurestore.core.label;
    exports dev.featurestore.core.pipeline;
    exports dev.featurestore.core.progress;
    exports dev.featurestore.core.quality;
    exports dev.featurestore.core.registry;
    exports dev.featurestore.core.resample;
    exports dev.featurestore.core.snapshot;
    exports dev.featurestore.core.source;
    exports dev.featurestore.core.storage;
    exports dev.featurestore.core.storage.files;
    exports dev.featurestore.core.stream;
    exports dev.featurestore.core.window;

    // Row encoding and argument checks the SQL storages share with the directory storage.
    exports dev.featurestore.core.storage.internal to dev.featurestore.jdbc;

    uses dev.featurestore.api.indicator.IndicatorProvider;
    uses dev.featurestore.api.storage.StorageProvider;
    uses dev.featurestore.api.snapshot.SnapshotFormat;

    provides dev.featurestore.api.indicator.IndicatorProvider
            with dev.featurestore.core.indicator.BuiltinIndicators;
}
