package dev.featurestore.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code featurestore demo}: the main job on sample data. Generates five trading days of 1-minute
 * candles for three secids and computes {@code tech_v2} at 5 minutes from them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Runs the main job on sample data: generates 5 trading days of synthetic 1m candles for "
                + "SBER, GAZP and LKOH into data/sample/candles_1m.csv, then computes tech_v2 at 5m into "
                + "data/features/tech_v2_5m.csv (paths under --dir)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad usage", "3:an output could not be written", "70:unexpected internal error"})
final class DemoCommand implements Callable<Integer> {
    static final List<String> SECIDS = List.of("SBER", "GAZP", "LKOH");
    static final LocalDate START = LocalDate.of(2024, 1, 8);

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Directory under which data/ is written (default: the current directory).")
    Path dir;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path candles = dir.resolve("data/sample/candles_1m.csv").normalize();
        Path features = dir.resolve("data/features/tech_v2_5m.csv").normalize();
        GenerateCommand.Result g = GenerateCommand.generate(SECIDS, 5, seed, START, 0.01, candles);
        out.println(g.describe());
        ComputeCommand.Result c = ComputeCommand.compute("tech_v2", candles, features, "5m", "1m", false, null,
                g.config().end().toString());
        out.println(c.describe());
        out.flush();
        return Main.OK;
    }
}
