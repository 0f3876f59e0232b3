package dev.featurestore.cli;

import dev.featurestore.core.source.SyntheticCandles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code featurestore generate}: a synthetic 1-minute candle CSV in the format {@code compute} reads. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Writes seeded synthetic 1-minute candles as CSV (secid,ts,open,high,low,close,volume), the "
                + "input format of compute.",
            "",
            "Candles fall in the Moscow Exchange main session (10:00-18:40 Moscow time, 07:00-15:40 UTC) on "
                    + "weekdays, with a U-shaped intraday volume profile, clustered volatility, prices on the tick, "
                    + "some flat and some missing minutes. The same seed gives the same file. Rows are grouped by "
                    + "secid, in the order given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad usage", "3:the output could not be written", "70:unexpected internal error"})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--secids", split = ",", paramLabel = "SECID", defaultValue = "SBER,GAZP,LKOH",
            description = "Comma-separated instruments (default: ${DEFAULT-VALUE}).")
    List<String> secids;

    @Option(names = "--days", paramLabel = "N", defaultValue = "5",
            description = "Trading days (weekdays) per secid, 520 minutes each at most (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2024-01-08",
            description = "First day, ISO date; a weekend start moves to the Monday after (default: ${DEFAULT-VALUE}).")
    LocalDate start;

    @Option(names = "--tick", paramLabel = "PRICE", defaultValue = "0.01",
            description = "Price step every price is rounded to (default: ${DEFAULT-VALUE}).")
    double tick;

    @Option(names = "--output", required = true, paramLabel = "CSV",
            description = "CSV file to write (replaced atomically; its directory is made when missing).")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(generate(secids, days, seed, start, tick, output).describe());
        out.flush();
        return Main.OK;
    }

    /** What a generation wrote. */
    record Result(Path output, long rows, List<String> perSecid, SyntheticCandles config) {
        String describe() {
            return "wrote " + rows + " candles of 1m to " + output + " (" + String.join(", ", perSecid) + "; seed "
                    + config.seed() + ", " + config.firstTradingDay() + " .. " + config.lastTradingDay() + ")";
        }
    }

    static Result generate(List<String> secids, int days, long seed, LocalDate start, double tick, Path output) {
        List<String> names = new ArrayList<>();
        for (String s : secids) {
            String secid = s.strip();
            if (secid.isEmpty() || secid.contains(",") || secid.contains("\"")) {
                throw new CliException(Main.BAD_INPUT, "--secids: bad secid '" + s + "'");
            }
            names.add(secid);
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new CliException(Main.BAD_INPUT, "--secids: a secid is named twice in " + names);
        }
        SyntheticCandles gen;
        try {
            gen = SyntheticCandles.seed(seed).start(start).tradingDays(days).tickSize(tick);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.BAD_INPUT, e.getMessage());
        }
        List<String> perSecid = new ArrayList<>();
        long total = 0;
        try (AtomicOutput file = AtomicOutput.open(output)) {
            Writer w = file.writer();
            StringBuilder sb = new StringBuilder(128);
            CsvText text = new CsvText();
            try {
                w.write("secid,ts,open,high,low,close,volume\n");
                for (String secid : names) {
                    long[] count = {0};
                    IOException[] failure = {null};
                    gen.forEach(secid, (ts, o, h, l, c, v) -> {
                        if (failure[0] != null) {
                            return;
                        }
                        sb.setLength(0);
                        sb.append(secid).append(',');
                        text.appendInstant(sb, ts);
                        sb.append(',').append(o).append(',').append(h).append(',').append(l).append(',').append(c)
                                .append(',').append((long) v).append('\n');
                        try {
                            w.append(sb);
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                        count[0]++;
                    });
                    if (failure[0] != null) {
                        throw failure[0];
                    }
                    perSecid.add(secid + " " + count[0]);
                    total += count[0];
                }
            } catch (IOException e) {
                throw file.writeFailed(e);
            }
            file.commit();
        }
        return new Result(output, total, perSecid, gen);
    }
}
