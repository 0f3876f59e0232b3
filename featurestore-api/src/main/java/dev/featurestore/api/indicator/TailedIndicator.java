package dev.featurestore.api.indicator;

import dev.featurestore.api.FeatureKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The {@link Indicator} made by {@link Indicator#withStreamTail(int)}: another one with a declared tail. */
final class TailedIndicator implements Indicator {
    private final Indicator delegate;
    private final int tail;

    TailedIndicator(Indicator delegate, int tail) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (tail < delegate.firstDefinedRow() + 1) {
            throw new IllegalArgumentException("feature '" + delegate.name() + "': stream tail " + tail
                    + " is shorter than its warm-up; give at least firstDefinedRow() + 1 = "
                    + (delegate.firstDefinedRow() + 1));
        }
        this.tail = tail;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public FeatureKind kind() {
        return delegate.kind();
    }

    @Override
    public List<String> inputs() {
        return delegate.inputs();
    }

    @Override
    public Map<String, Object> parameters() {
        return delegate.parameters();
    }

    @Override
    public int firstDefinedRow() {
        return delegate.firstDefinedRow();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public void compute(IndicatorContext ctx, double[] out) {
        delegate.compute(ctx, out);
    }

    @Override
    public int streamTail() {
        return tail;
    }

    @Override
    public String toString() {
        return delegate + " (stream tail " + tail + ")";
    }
}
