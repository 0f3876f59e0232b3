package dev.featurestore.cli;

import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.source.CsvCandleSource;
import dev.featurestore.core.source.MoexIssSource;
import dev.featurestore.core.source.SyntheticCandleSource;
import dev.featurestore.core.source.SyntheticCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Option;

/** Where candles come from: a CSV file, the Moscow Exchange ISS API, or the synthetic generator. */
final class SourceOptions {
    static final List<String> DEFAULT_SYNTHETIC_SECIDS = List.of("SBER", "GAZP", "LKOH");

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Read candles from this CSV file (header secid,ts,open,high,low,close,volume, the format "
                    + "compute reads). Without --secids: every secid of the file; without --from/--to: its whole range.")
    Path csv;

    @Option(names = "--iss", description = "Fetch candles from the Moscow Exchange ISS API (needs --secids, --from, --to).")
    boolean iss;

    @Option(names = "--iss-url", paramLabel = "URL", defaultValue = "https://iss.moex.com",
            description = "ISS base URL (default: ${DEFAULT-VALUE}).")
    String issUrl = "https://iss.moex.com";

    @Option(names = "--iss-retries", paramLabel = "N", defaultValue = "3",
            description = "--iss: retries of a request after HTTP 5xx or 429, a timeout, a refused or broken connection "
                    + "or a malformed page, waiting 0.5 s, then twice as long each time up to 10 s (0 to 10; default: "
                    + "${DEFAULT-VALUE}). When they run out, the command exits 69.")
    int issRetries = 3;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "stock", description = "ISS engine (default: ${DEFAULT-VALUE}).")
    String engine = "stock";

    @Option(names = "--market", paramLabel = "NAME", defaultValue = "shares", description = "ISS market (default: ${DEFAULT-VALUE}).")
    String market = "shares";

    @Option(names = "--board", paramLabel = "NAME", defaultValue = "TQBR", description = "ISS board (default: ${DEFAULT-VALUE}).")
    String board = "TQBR";

    @Option(names = "--synthetic", description = "Generate seeded synthetic 1m candles (main session hours, weekdays). "
            + "Without --secids: SBER,GAZP,LKOH; without --from/--to: the generated days.")
    boolean synthetic;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42", description = "--synthetic: random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2024-01-08",
            description = "--synthetic: first day (default: ${DEFAULT-VALUE}).")
    LocalDate start = LocalDate.of(2024, 1, 8);

    @Option(names = "--days", paramLabel = "N", defaultValue = "5",
            description = "--synthetic: trading days (default: ${DEFAULT-VALUE}).")
    int days = 5;

    /** The chosen source with its default secids and range, or null when none was chosen. */
    record Chosen(CandleSource source, List<String> secids, Instant from, Instant to) {
    }

    boolean chosen() {
        return csv != null || iss || synthetic;
    }

    /**
     * The source chosen, with the secids and range it implies when the command line gave none.
     *
     * @throws CliException (exit 2) unless exactly one source is chosen, or a needed option is missing
     */
    Chosen open(List<String> secids, Instant from, Instant to, Timeframe timeframe, ExchangeCalendar calendar) {
        int n = (csv != null ? 1 : 0) + (iss ? 1 : 0) + (synthetic ? 1 : 0);
        if (n != 1) {
            throw new CliException(Main.BAD_INPUT, n == 0 ? "choose a candle source: --csv FILE, --iss or --synthetic"
                    : "choose one candle source: --csv, --iss and --synthetic exclude each other");
        }
        if (synthetic) {
            SyntheticCandles gen;
            try {
                gen = SyntheticCandles.seed(seed).start(start).tradingDays(days);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.BAD_INPUT, "--days: " + e.getMessage());
            }
            return new Chosen(SyntheticCandleSource.of(gen), secids != null ? secids : DEFAULT_SYNTHETIC_SECIDS,
                    from != null ? from : Instant.ofEpochMilli(calendar.dayStart(gen.firstTradingDay())),
                    to != null ? to : gen.end());
        }
        if (iss) {
            if (secids == null || from == null || to == null) {
                throw new CliException(Main.BAD_INPUT, "--iss needs --secids, --from and --to");
            }
            MoexIssSource.Builder b = MoexIssSource.builder();
            try {
                b.baseUrl(issUrl);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.BAD_INPUT, "--iss-url: " + e.getMessage(), e);
            }
            try {
                b.maxRetries(issRetries);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.BAD_INPUT, "--iss-retries: " + e.getMessage(), e);
            }
            MoexIssSource source = b.engine(engine).market(market).board(board)
                    .exchangeZone(calendar.zone()).build();
            return new Chosen(source, secids, from, to);
        }
        if (!Files.isRegularFile(csv)) {
            throw new CliException(Main.BAD_INPUT, "--csv: no such file: " + csv);
        }
        CsvCandleSource source = CsvCandleSource.of(csv, timeframe).exchangeZone(calendar.zone());
        if (secids != null && from != null && to != null) {
            return new Chosen(source, secids, from, to);
        }
        // the same defaults as the Java ingest: the secids and range the file holds
        CandleSource.Extent held = source.extent()
                .orElseThrow(() -> new CliException(Main.BAD_INPUT, csv + ": no candles in the file"));
        return new Chosen(source, secids != null ? secids : held.secids(), from != null ? from : held.from(),
                to != null ? to : held.to());
    }
}
