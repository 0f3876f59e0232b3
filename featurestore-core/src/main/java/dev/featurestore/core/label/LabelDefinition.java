package dev.featurestore.core.label;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.core.internal.CanonicalBytes;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One label of the registry's {@code labels:} section: a target computed from the closes of the
 * {@code horizon} bars after a row, known only once the last of them has closed.
 *
 * <pre>{@code
 * labels:
 *   fwd_ret_12:   {kind: forward_return, horizon: 12}
 *   fwd_logret_12: {kind: forward_log_return, horizon: 12}
 *   fwd_sign_12:  {kind: sign, horizon: 12, threshold: 0.001}
 * }</pre>
 *
 * <p>With {@code c} the closes of one secid's candles at the dataset's timeframe and {@code t} a
 * row: {@code forward_return} is {@code c[t+h] / c[t] - 1}; {@code forward_log_return} is
 * {@code log(c[t+h] / c[t])}; {@code sign} is {@code 0} when {@code |c[t+h] / c[t] - 1| <=
 * threshold}, else {@code 1} for a rise and {@code -1} for a fall. The last {@code h} rows of a
 * series have no label (NaN). A label is known at {@code label_available_at}, the close of candle
 * {@code t+h}: {@code ts + (h+1) x timeframe} on a series without gaps.
 *
 * <p>Versioned like a feature set: a changed definition needs a new name; the {@link
 * #fingerprint()} (over kind, horizon and threshold) goes into every dataset fingerprint.
 *
 * @param name the label's name, as under {@code labels:}; lower-case letters, digits and
 *     underscores, starting with a letter
 * @param kind how the label is computed
 * @param horizon h, the bars ahead, 1 or more
 * @param threshold for {@link Kind#SIGN}, the largest absolute return labelled 0 (finite, 0 or
 *     more); 0 for the other kinds
 * @param description what the label is for, possibly empty
 */
public record LabelDefinition(String name, Kind kind, int horizon, double threshold, String description) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** How a label is computed from the closes. */
    public enum Kind {
        /** {@code c[t+h] / c[t] - 1}. */
        FORWARD_RETURN,
        /** {@code log(c[t+h] / c[t])}. */
        FORWARD_LOG_RETURN,
        /** {@code -1}, {@code 0} or {@code 1}: the sign of the forward return, 0 within the threshold. */
        SIGN;

        /** {@return the kind's name in the registry, e.g. {@code forward_return}} */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind named in the registry.
         *
         * @param text {@code forward_return}, {@code forward_log_return} or {@code sign}
         * @return the kind
         * @throws IllegalArgumentException naming the valid kinds
         */
        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.yamlName().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown label kind '" + text
                    + "'; valid: forward_return, forward_log_return, sign");
        }
    }

    /**
     * Checks the definition.
     *
     * @param name the label's name
     * @param kind how the label is computed
     * @param horizon the bars ahead, 1 or more
     * @param threshold the sign label's threshold, finite and 0 or more; 0 for the other kinds
     * @param description what the label is for; null reads as empty
     * @throws NullPointerException when the name or kind is null
     * @throws IllegalArgumentException when the name is not a valid name, the horizon is below 1, or
     *     the threshold is negative, not finite, or given for a kind other than {@code sign}
     */
    public LabelDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        description = description == null ? "" : description;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad label name '" + name
                    + "': use a lower-case letter, then lower-case letters, digits or underscores (at most 63)");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("label '" + name + "': horizon must be >= 1 bar, got " + horizon);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("label '" + name + "': threshold must be finite and >= 0, got "
                    + threshold);
        }
        if (kind != Kind.SIGN && threshold != 0) {
            throw new IllegalArgumentException("label '" + name + "': a threshold applies to kind sign only, not "
                    + kind.yamlName());
        }
    }

    /** {@return the kind of the label's values: categorical for {@code sign}, else numeric} */
    public FeatureKind valueKind() {
        return kind == Kind.SIGN ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC;
    }

    /**
     * The label of every row of a series' closes.
     *
     * @param close the closes of one secid's candles, oldest first, each positive
     * @return one value per close; NaN for the last {@code horizon} rows, which have no label yet
     */
    public double[] compute(double[] close) {
        int n = close.length;
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            out[t] = t + horizon < n ? value(close[t], close[t + horizon]) : Double.NaN;
        }
        return out;
    }

    /**
     * The label of one row.
     *
     * @param now the row's close, {@code c[t]}
     * @param ahead the close {@code h} bars later, {@code c[t+h]}
     * @return the label's value
     */
    public double value(double now, double ahead) {
        switch (kind) {
            case FORWARD_RETURN:
                return ahead / now - 1;
            case FORWARD_LOG_RETURN:
                return Math.log(ahead / now);
            default:
                double r = ahead / now - 1;
                return Math.abs(r) <= threshold ? 0 : r > 0 ? 1 : -1;
        }
    }

    /**
     * The label's fingerprint: 64 lower-case hex digits, the SHA-256 of {@code str("featurestore.label")},
     * {@code int32 1}, {@code str(kind)} (its registry name), {@code int32 horizon} and {@code int64}
     * of {@link Double#doubleToLongBits} of the threshold ({@code str(s)} is an {@code int32} byte
     * length then UTF-8; integers big-endian). The name and description are not part of it.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        return new CanonicalBytes().string("featurestore.label").int32(1).string(kind.yamlName()).int32(horizon)
                .float64(threshold).sha256();
    }

    /** {@return the definition as one line, e.g. {@code fwd_ret_12 = forward_return(h=12)}} */
    public String describe() {
        return name + " = " + kind.yamlName() + "(h=" + horizon + (kind == Kind.SIGN ? ", threshold=" + threshold : "")
                + ")";
    }
}
