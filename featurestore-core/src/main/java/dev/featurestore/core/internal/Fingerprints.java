package dev.featurestore.core.internal;

import dev.featurestore.api.FeatureSetChangedException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.core.Store;
import java.util.Collection;

/**
 * The one check that keeps a feature set's stored values of one definition: before a build or an
 * export, the fingerprint recorded with the latest completed build of each (feature set,
 * timeframe, secid) must equal the registry's fingerprint of the set. A series never built, or
 * last built before fingerprints were kept (no fingerprint recorded), passes. Not public API.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    /**
     * Checks every secid and returns the registry's fingerprint of the set.
     *
     * @param call names the refused call in the message, e.g. {@code "build()"}
     * @return the registry's fingerprint of {@code featureSet}, to record with a new build
     * @throws FeatureSetChangedException naming the series, both fingerprints, and that a new
     *     feature set must be created in the registry
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry lacks the set
     */
    public static String requireUnchanged(Store store, String featureSet, Timeframe timeframe,
            Collection<String> secids, String call) {
        String current = store.registry().fingerprint(featureSet);
        for (String secid : secids) {
            BuildRecord latest = null;
            for (BuildRecord b : store.storage().builds(featureSet, timeframe, secid)) {
                if (b.status() == BuildRecord.Status.COMPLETED) {
                    latest = b;
                }
            }
            if (latest != null && latest.fingerprint() != null && !latest.fingerprint().equals(current)) {
                throw new FeatureSetChangedException(featureSet, call + " of " + featureSet + " " + timeframe
                        + " for secid '" + secid + "'", latest.fingerprint(), current);
            }
        }
        return current;
    }
}
