package dev.featurestore.api.indicator;

import dev.featurestore.api.FeatureKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** The {@link Indicator} made by {@link Indicator#define}. */
final class DefinedIndicator implements Indicator {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final List<String> COLUMNS = List.of("open", "high", "low", "close", "volume");

    private final String name;
    private final FeatureKind kind;
    private final List<String> inputs;
    private final Map<String, Object> parameters;
    private final int firstDefinedRow;
    private final String description;
    private final IndicatorFunction function;

    DefinedIndicator(String name, FeatureKind kind, List<String> inputs, Map<String, Object> parameters,
            int firstDefinedRow, String description, IndicatorFunction function) {
        if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
            throw new IllegalArgumentException("bad feature name '" + name
                    + "': use a lower-case letter, then lower-case letters, digits or underscores (at most 63)");
        }
        for (String input : inputs) {
            if (!COLUMNS.contains(input)) {
                throw new IllegalArgumentException("feature '" + name + "': unknown input '" + input + "'; valid inputs are "
                        + COLUMNS);
            }
        }
        if (firstDefinedRow < 0) {
            throw new IllegalArgumentException("feature '" + name + "': firstDefinedRow must be >= 0, got "
                    + firstDefinedRow);
        }
        this.name = name;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.inputs = List.copyOf(inputs);
        this.parameters = Map.copyOf(parameters);
        this.firstDefinedRow = firstDefinedRow;
        this.description = description == null ? name : description;
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FeatureKind kind() {
        return kind;
    }

    @Override
    public List<String> inputs() {
        return inputs;
    }

    @Override
    public Map<String, Object> parameters() {
        return parameters;
    }

    @Override
    public int firstDefinedRow() {
        return firstDefinedRow;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void compute(IndicatorContext ctx, double[] out) {
        function.compute(ctx, out);
    }

    @Override
    public String toString() {
        return "Indicator[" + name + ", " + kind + ", inputs " + inputs + ", params " + parameters + ", first row "
                + firstDefinedRow + "]";
    }
}
