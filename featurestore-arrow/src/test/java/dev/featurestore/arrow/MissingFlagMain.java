package dev.featurestore.arrow;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.testkit.SnapshotFixtures;
import java.nio.file.Path;

/** Run by {@link FeatherSnapshotFormatTest} in a JVM without the add-opens flag; prints the error. */
public final class MissingFlagMain {
    private MissingFlagMain() {
    }

    public static void main(String[] args) {
        try {
            new FeatherSnapshotFormat().write(SnapshotFixtures.frames(1, 1, 10), SnapshotFixtures.meta(), null, Path.of(args[0]));
            System.out.println("WROTE");
        } catch (FeatureStoreException e) {
            System.out.println("ERROR " + e.getMessage());
        }
    }
}
