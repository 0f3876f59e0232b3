package dev.featurestore.core.indicator;

import dev.featurestore.api.indicator.IndicatorContext;
import java.util.List;

/**
 * Built-in features that are cheaper computed together: when the computation asks for every
 * member, the first member to be computed claims the others' output columns
 * ({@link IndicatorContext#claim}) and fills all of them in one pass; otherwise each member asked
 * for is computed on its own. Both ways give the same bits.
 */
final class FeatureGroup {
    /** Computes one member on its own. */
    @FunctionalInterface
    interface Single {
        void compute(IndicatorContext ctx, String feature, double[] out);
    }

    /** Computes every member in one pass; {@code outs} in member order. */
    @FunctionalInterface
    interface Fused {
        void compute(IndicatorContext ctx, double[][] outs);
    }

    private final List<String> members;
    private final Single single;
    private final Fused fused;

    FeatureGroup(List<String> members, Single single, Fused fused) {
        this.members = List.copyOf(members);
        this.single = single;
        this.fused = fused;
    }

    /** Computes {@code self} into {@code out}, and with it every other member it can claim. */
    void compute(IndicatorContext ctx, String self, double[] out) {
        double[][] outs = new double[members.size()][];
        boolean all = true;
        for (int i = 0; i < outs.length; i++) {
            String member = members.get(i);
            outs[i] = member.equals(self) ? out : ctx.claim(member);
            all &= outs[i] != null;
        }
        if (all) {
            fused.compute(ctx, outs);
            return;
        }
        // Members in order, so that one reading another (macd_signal, macd_line) finds it filled.
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] != null) {
                single.compute(ctx, members.get(i), outs[i]);
            }
        }
    }
}
