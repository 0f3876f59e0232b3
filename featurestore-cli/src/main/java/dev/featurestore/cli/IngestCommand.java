package dev.featurestore.cli;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.UpsertResult;
import dev.featurestore.core.Store;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.ingest.IngestResult;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code featurestore ingest}: candles from a source into the database, resumably. */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Stores candles from a CSV file, the Moscow Exchange ISS API or the synthetic generator in the "
                + "database, page by page. Resumable: after a failure, run the same command again and each secid "
                + "continues from its last stored candle; nothing is stored twice."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a blocking data-quality check failed (the report says which)",
                "2:bad input or usage; one line on stderr says what and where",
                "3:storage error: the database or an output file could not be opened, read or written",
                Main.SOURCE_UNAVAILABLE_HELP, "70:unexpected internal error"})
final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(names = "--secids", split = ",", paramLabel = "SECID", description = "Instruments, comma-separated.")
    List<String> secids;

    @Option(names = "--timeframe", paramLabel = "TF", defaultValue = "1m",
            description = "Timeframe to fetch and store (default: ${DEFAULT-VALUE}).")
    String timeframe = "1m";

    @Option(names = "--from", paramLabel = "TIME", description = "First candle open time: a date (00:00 UTC; for "
            + "--timeframe 1d the trading day's start in the registry's exchange.timezone) or ISO-8601 time.")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End of the range, exclusive: a date (its end; for 1d the next trading day's start, so "
                    + "--from D1 --to DN stores N daily candles) or ISO-8601 time.")
    String to;

    @Option(names = "--no-resume", description = "Read the whole range again instead of continuing from the last stored candle.")
    boolean noResume;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Option(names = "--plain", description = "Progress as plain lines even on a terminal.")
    boolean plain;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Timeframe tf = Jobs.parseTimeframe("--timeframe", timeframe);
        try (Store s = store.open()) {
            ExchangeCalendar calendar = s.registry().calendar();
            Instant a = Times.start("--from", from, calendar, tf);
            Instant b = Times.end("--to", to, calendar, tf);
            SourceOptions.Chosen c = source.open(secids, a, b, tf, calendar);
            IngestResult r = s.ingest(c.source()).secids(c.secids()).timeframe(tf).between(c.from(), c.to())
                    .resume(!noResume).listener(ProgressPrinter.of(spec.commandLine().getErr(), quiet, plain, null))
                    .run();
            for (IngestResult.Secid one : r.secids().values()) {
                UpsertResult u = one.upsert();
                out.println(one.secid() + ": " + u.total() + " " + tf + " candles read, " + u.inserted() + " new, "
                        + u.replaced() + " replaced, " + u.unchanged() + " unchanged"
                        + (one.resumedFrom() == null ? "" : " (resumed from " + one.resumedFrom() + ")"));
            }
            out.println("ingested " + r.total().inserted() + " new candles from " + c.source().name() + " into "
                    + store.db + " in " + ProgressPrinter.seconds(r.took()));
            out.flush();
        }
        return Main.OK;
    }
}
