package dev.featurestore.core.dataset;

import java.util.Locale;

/**
 * What normalization to fit on a dataset's training split: per numeric feature a z-score
 * {@code (x - mean) / std} or a robust z-score {@code (x - median) / (1.4826 x MAD)}, optionally
 * clipped to {@code [-clip, clip]}, with statistics per secid or pooled over all secids.
 * Categorical features are left as they are. Immutable; fitting happens at the dataset's
 * terminal call, on the training split only, and gives a {@link FittedNormalization}.
 *
 * <p>The statistics are taken over the feature rows of the training range, those with
 * {@code from <= ts} and {@code available_at <= to}. The mean is the sum in row order (secid
 * after secid, in the query's order, when pooled) divided by n, the standard deviation the
 * population one ({@code sqrt(sum((x - mean)^2) / n)}); the median of an even count is the mean
 * of the two middle values, and the MAD is the median of {@code |x - median|}, ties counted as
 * often as they occur. <b>Neutral rule:</b> a scale of zero (all training values equal, or more
 * than half of them equal to the median, so a MAD of 0) is replaced by 1, so that the feature is
 * only centred, never divided by zero.
 *
 * <pre>{@code
 * Normalization.zScore();                           // pooled, no clip
 * Normalization.robustZScore().perSecid().clip(5);  // per secid, clipped to [-5, 5]
 * }</pre>
 */
public final class Normalization {
    /** The factor that makes the MAD of a normal distribution estimate its standard deviation. */
    public static final double MAD_TO_STD = 1.4826;

    /** How the centre and scale of a feature are estimated. */
    public enum Method {
        /** Mean and population standard deviation. */
        ZSCORE,
        /** Median and {@value Normalization#MAD_TO_STD} x the median absolute deviation. */
        ROBUST_ZSCORE;

        /** {@return the method's name in files, e.g. {@code robust_zscore}} */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whose rows one set of statistics is fitted on. */
    public enum Scope {
        /** One set of statistics over the rows of every secid. */
        POOLED,
        /** One set of statistics per secid, over its own rows. */
        PER_SECID;

        /** {@return the scope's name in files, e.g. {@code per_secid}} */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Method method;
    private final Scope scope;
    private final double clip;

    private Normalization(Method method, Scope scope, double clip) {
        this.method = method;
        this.scope = scope;
        this.clip = clip;
    }

    /** {@return a pooled z-score without clipping} */
    public static Normalization zScore() {
        return new Normalization(Method.ZSCORE, Scope.POOLED, 0);
    }

    /** {@return a pooled robust z-score (median, 1.4826 x MAD) without clipping} */
    public static Normalization robustZScore() {
        return new Normalization(Method.ROBUST_ZSCORE, Scope.POOLED, 0);
    }

    /** {@return this normalization with statistics fitted per secid} */
    public Normalization perSecid() {
        return new Normalization(method, Scope.PER_SECID, clip);
    }

    /** {@return this normalization with statistics pooled over all secids} */
    public Normalization pooled() {
        return new Normalization(method, Scope.POOLED, clip);
    }

    /**
     * This normalization with normalized values clipped to {@code [-limit, limit]}.
     *
     * @param limit the largest absolute normalized value, finite and above 0
     * @return a new normalization, the other parts unchanged
     * @throws IllegalArgumentException when {@code limit} is not finite or not above 0
     */
    public Normalization clip(double limit) {
        if (!(limit > 0) || Double.isInfinite(limit)) {
            throw new IllegalArgumentException("clip limit must be finite and > 0, got " + limit);
        }
        return new Normalization(method, scope, limit);
    }

    /** {@return how centre and scale are estimated} */
    public Method method() {
        return method;
    }

    /** {@return whose rows one set of statistics is fitted on} */
    public Scope scope() {
        return scope;
    }

    /** {@return the clip limit, 0 for none} */
    public double clipLimit() {
        return clip;
    }

    @Override
    public String toString() {
        return method.key() + " " + scope.key() + (clip > 0 ? " clip " + clip : "");
    }
}
