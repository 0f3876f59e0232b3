package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.snapshot.SnapshotFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Finds snapshot formats on the class path with {@link ServiceLoader}: {@code parquet} comes with
 * {@code featurestore-parquet}, {@code feather} with {@code featurestore-arrow}.
 */
public final class SnapshotFormats {
    private SnapshotFormats() {
    }

    /** {@return every format found by this library's class loader, in class path order; empty when none} */
    public static List<SnapshotFormat> available() {
        List<SnapshotFormat> formats = new ArrayList<>();
        ClassLoader loader = SnapshotFormats.class.getClassLoader();
        for (SnapshotFormat f : ServiceLoader.load(SnapshotFormat.class, loader)) {
            formats.add(f);
        }
        return formats;
    }

    /**
     * The format of this name (case-insensitive).
     *
     * @param name the format's name, e.g. {@code parquet} or {@code feather}
     * @return the format found first with that name
     * @throws FeatureStoreException listing the formats found, and which module brings the asked
     *     one, when none has the name
     */
    public static SnapshotFormat byName(String name) {
        Objects.requireNonNull(name, "format name");
        String wanted = name.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        for (SnapshotFormat f : available()) {
            if (f.name().equals(wanted)) {
                return f;
            }
            names.add(f.name());
        }
        String hint = wanted.equals("parquet") ? "; add featurestore-parquet to the class path"
                : wanted.equals("feather") ? "; add featurestore-arrow to the class path" : "";
        throw new FeatureStoreException("no snapshot format '" + name + "' on the class path (found " + names + ")"
                + hint);
    }
}
