package dev.featurestore.core.label;

import dev.featurestore.api.FeatureStoreException;
import java.util.List;

/** Thrown when a label is asked for by a name the registry's {@code labels:} section does not define. */
public class UnknownLabelException extends FeatureStoreException {
    private static final long serialVersionUID = 1L;

    /** The name that was asked for. */
    private final String label;
    /** The labels the registry defines, an unmodifiable copy. */
    private final List<String> known;

    /**
     * An error naming the label and the labels the registry defines.
     *
     * @param label the name asked for
     * @param known the labels the registry defines, in file order
     */
    public UnknownLabelException(String label, List<String> known) {
        super("unknown label '" + label + "'; the registry's labels: section defines "
                + (known.isEmpty() ? "none (add one, e.g. fwd_ret_12: {kind: forward_return, horizon: 12})" : known));
        this.label = label;
        this.known = List.copyOf(known);
    }

    /** {@return the name asked for} */
    public String label() {
        return label;
    }

    /** {@return the labels the registry defines, in file order} */
    public List<String> known() {
        return known;
    }
}
