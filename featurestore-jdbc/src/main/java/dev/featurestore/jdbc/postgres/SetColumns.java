package dev.featurestore.jdbc.postgres;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored columns of one feature set, as kept in {@code feature_set_columns}: each feature's
 * position in the set, its kind, and its slot within the value blob of its kind. Decodes one value
 * out of a stored row. Immutable.
 */
final class SetColumns {
    static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final String featureSet;
    private final List<String> names;
    private final List<FeatureKind> kinds;
    private final int[] slots;
    private final int numericCount;
    private final int categoricalCount;
    private final Map<String, Integer> positions = new HashMap<>();

    SetColumns(String featureSet, List<String> names, List<FeatureKind> kinds, int[] slots) {
        this.featureSet = featureSet;
        this.names = List.copyOf(names);
        this.kinds = List.copyOf(kinds);
        this.slots = slots.clone();
        int n = 0;
        int k = 0;
        for (int i = 0; i < names.size(); i++) {
            positions.put(names.get(i), i);
            if (kinds.get(i) == FeatureKind.NUMERIC) {
                n++;
            } else {
                k++;
            }
        }
        this.numericCount = n;
        this.categoricalCount = k;
    }

    /** The columns a first build records: slots numbered in set order within each kind. */
    static SetColumns of(String featureSet, List<String> names, List<FeatureKind> kinds) {
        int[] slots = new int[names.size()];
        int n = 0;
        int k = 0;
        for (int i = 0; i < slots.length; i++) {
            slots[i] = kinds.get(i) == FeatureKind.NUMERIC ? n++ : k++;
        }
        return new SetColumns(featureSet, names, kinds, slots);
    }

    String featureSet() {
        return featureSet;
    }

    List<String> names() {
        return names;
    }

    List<FeatureKind> kinds() {
        return kinds;
    }

    FeatureKind kind(int position) {
        return kinds.get(position);
    }

    int slot(int position) {
        return slots[position];
    }

    int numericCount() {
        return numericCount;
    }

    int categoricalCount() {
        return categoricalCount;
    }

    /** The positions of the named features. */
    int[] indexes(List<String> wanted) {
        int[] idx = new int[wanted.size()];
        for (int i = 0; i < idx.length; i++) {
            Integer p = positions.get(wanted.get(i));
            if (p == null) {
                throw new StorageException("feature set '" + featureSet + "' has no stored feature '" + wanted.get(i)
                        + "'; stored: " + names, null);
            }
            idx[i] = p;
        }
        return idx;
    }

    boolean anyCategorical(int[] idx) {
        for (int p : idx) {
            if (kinds.get(p) == FeatureKind.CATEGORICAL) {
                return true;
            }
        }
        return false;
    }

    List<FeatureKind> kindsOf(int[] idx) {
        List<FeatureKind> out = new ArrayList<>(idx.length);
        for (int p : idx) {
            out.add(kinds.get(p));
        }
        return out;
    }

    /** The value of the feature at {@code position} from a row's blobs ({@code cat} may be null: NaN). */
    double decode(int position, byte[] num, byte[] cat) {
        if (kinds.get(position) == FeatureKind.NUMERIC) {
            return (double) DOUBLE_LE.get(num, slots[position] * Double.BYTES);
        }
        return cat == null ? Double.NaN : (short) SHORT_LE.get(cat, slots[position] * Short.BYTES);
    }
}
