package dev.featurestore.jdbc.internal;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stored column list of one feature set, as kept in {@code feature_set_columns}: each
 * feature's position in the set, its kind and its slot in the blob of its kind. Immutable. Not
 * public API.
 */
public final class SetColumnsLayout {
    private final String featureSet;
    private final List<String> names;
    private final List<FeatureKind> kinds;
    private final int[] slots;
    private final int numeric;
    private final int categorical;
    private final Map<String, Integer> positions = new HashMap<>();

    private SetColumnsLayout(String featureSet, List<String> names, List<FeatureKind> kinds, int[] slots) {
        this.featureSet = featureSet;
        this.names = List.copyOf(names);
        this.kinds = List.copyOf(kinds);
        this.slots = slots;
        int n = 0;
        int c = 0;
        for (int i = 0; i < names.size(); i++) {
            positions.put(names.get(i), i);
            if (kinds.get(i) == FeatureKind.NUMERIC) {
                n++;
            } else {
                c++;
            }
        }
        this.numeric = n;
        this.categorical = c;
    }

    /**
     * The layout a first build records: slots in set order within each kind.
     *
     * @param featureSet the feature set
     * @param names the feature names, in set order
     * @param kinds their kinds
     * @return the layout
     */
    public static SetColumnsLayout of(String featureSet, List<String> names, List<FeatureKind> kinds) {
        int[] slots = new int[names.size()];
        int n = 0;
        int c = 0;
        for (int i = 0; i < slots.length; i++) {
            slots[i] = kinds.get(i) == FeatureKind.NUMERIC ? n++ : c++;
        }
        return new SetColumnsLayout(featureSet, names, kinds, slots);
    }

    /**
     * A layout as read back from {@code feature_set_columns}, rows in position order.
     *
     * @param featureSet the feature set
     * @param names the feature names, in position order
     * @param kindNames their stored kinds ({@code numeric}, {@code categorical})
     * @param slots their slots within the blob of their kind
     * @return the layout
     */
    public static SetColumnsLayout stored(String featureSet, List<String> names, List<String> kindNames, int[] slots) {
        List<FeatureKind> kinds = kindNames.stream().map(k -> FeatureKind.valueOf(k.toUpperCase(Locale.ROOT))).toList();
        return new SetColumnsLayout(featureSet, names, kinds, slots.clone());
    }

    /**
     * The stored text of a kind.
     *
     * @param kind the kind
     * @return {@code numeric} or {@code categorical}
     */
    public static String kindName(FeatureKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The feature set these columns are of.
     *
     * @return the set's name
     */
    public String featureSet() {
        return featureSet;
    }

    /**
     * The feature names.
     *
     * @return the names in set order
     */
    public List<String> names() {
        return names;
    }

    /**
     * The kinds.
     *
     * @return the kinds in set order
     */
    public List<FeatureKind> kinds() {
        return kinds;
    }

    /**
     * The slot of a feature within the blob of its kind.
     *
     * @param position the feature's position in the set
     * @return its slot
     */
    public int slot(int position) {
        return slots[position];
    }

    /**
     * The number of numeric features.
     *
     * @return the doubles in a numeric blob
     */
    public int numericCount() {
        return numeric;
    }

    /**
     * The number of categorical features.
     *
     * @return the 16-bit integers in a categorical blob
     */
    public int categoricalCount() {
        return categorical;
    }

    /**
     * Whether a build of these names and kinds may be written under this layout.
     *
     * @param otherNames the build's feature names
     * @param otherKinds their kinds
     * @return true when both equal the stored ones
     */
    public boolean matches(List<String> otherNames, List<FeatureKind> otherKinds) {
        return names.equals(otherNames) && kinds.equals(otherKinds);
    }

    /**
     * The positions of {@code wanted} in the set.
     *
     * @param wanted feature names
     * @return their positions, in the order given
     * @throws StorageException naming a feature the set does not have
     */
    public int[] positions(List<String> wanted) {
        int[] out = new int[wanted.size()];
        for (int i = 0; i < out.length; i++) {
            Integer p = positions.get(wanted.get(i));
            if (p == null) {
                throw new StorageException("feature set '" + featureSet + "' has no stored feature '" + wanted.get(i)
                        + "'; stored: " + names, null);
            }
            out[i] = p;
        }
        return out;
    }

    /**
     * The error for a build whose feature list differs from the stored one.
     *
     * @param otherNames the build's feature names
     * @param otherKinds their kinds
     * @return the error, naming both lists
     */
    public StorageException mismatch(List<String> otherNames, List<FeatureKind> otherKinds) {
        return new StorageException("feature set '" + featureSet + "' is stored with features " + names + " (kinds "
                + kinds + ") but the build has " + otherNames + " (kinds " + otherKinds
                + "); a changed feature list needs a new feature set", null);
    }
}
