package dev.featurestore.core.indicator;

import dev.featurestore.api.indicator.IndicatorContext;
import java.util.List;

/**
 * Built-in features that are cheaper computed together, by one kernel with an output per member:
 * the first member to be computed claims the other members' output columns
 * ({@link IndicatorContext#claim}) and the kernel fills every column it was given in one pass.
 * Members the computation does not ask for get no column (null), so a set naming one member pays
 * for that one only.
 */
final class FeatureGroup {
    /** Fills the given outputs, in member order; null where a member is not wanted. */
    @FunctionalInterface
    interface Kernel {
        void compute(IndicatorContext ctx, double[][] outs);
    }

    private final List<String> members;
    private final Kernel kernel;

    FeatureGroup(List<String> members, Kernel kernel) {
        this.members = List.copyOf(members);
        this.kernel = kernel;
    }

    /** Computes {@code self} into {@code out}, and with it every other member it can claim. */
    void compute(IndicatorContext ctx, String self, double[] out) {
        double[][] outs = new double[members.size()][];
        for (int i = 0; i < outs.length; i++) {
            String member = members.get(i);
            outs[i] = member.equals(self) ? out : ctx.claim(member);
        }
        kernel.compute(ctx, outs);
    }
}
