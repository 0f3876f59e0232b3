package dev.featurestore.cli;

import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.registry.FeatureRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code featurestore sets}: the feature sets of the registry, each with its fingerprint, default
 * window, timeframes and features in order. Reads only the registry, never a database.
 */
@Command(name = "sets", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Lists the feature sets of the registry: fingerprint, description, default window, "
                + "timeframes and the features in column order with their kinds and parameters.",
                "The fingerprint is recorded with every build and snapshot; a set whose definition changed "
                        + "under the same name is refused by build, export and run."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad usage, an unknown set, or a registry file with errors",
                "70:unexpected internal error"})
final class SetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SET", arity = "0..*", description = "Only these sets (default: every set, in file order).")
    List<String> names;

    @Option(names = "--config", paramLabel = "YAML",
            description = "Registry file (default: the featurestore.config system property, the FEATURESTORE_CONFIG "
                    + "environment variable, else the registry built into the jar).")
    Path config;

    @Override
    public Integer call() {
        FeatureRegistry registry;
        if (config != null) {
            registry = FeatureRegistry.load(config);
        } else {
            try (Store store = FeatureStore.builder().build()) {
                registry = store.registry();
            }
        }
        List<String> sets = names == null || names.isEmpty() ? registry.featureSetNames() : names;
        PrintWriter out = spec.commandLine().getOut();
        out.println("registry " + registry.source() + " (exchange time zone " + registry.exchangeZone() + ")");
        for (String name : sets) {
            FeatureSetSpec set = registry.featureSet(name);
            out.println();
            out.println(set.name());
            out.println("  fingerprint     " + registry.fingerprint(name));
            if (!set.description().isEmpty()) {
                out.println("  description     " + set.description());
            }
            out.println("  default window  " + set.defaultWindowSize());
            out.println("  timeframes      " + set.timeframes().stream().map(Timeframe::toString)
                    .collect(Collectors.joining(", ")));
            out.println("  features        " + set.features().size());
            List<Indicator> indicators = registry.indicators(set);
            for (int i = 0; i < indicators.size(); i++) {
                Indicator ind = indicators.get(i);
                out.println(String.format(Locale.ROOT, "    %2d  %-20s  %-11s  %s", i + 1, ind.name(),
                        ind.kind().name().toLowerCase(Locale.ROOT), new TreeMap<>(ind.parameters())));
            }
        }
        out.flush();
        return Main.OK;
    }
}
