package dev.featurestore.cli;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.CsvCandleFile;
import dev.featurestore.core.stream.FeatureStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code featurestore compute}: the features of a set over the candles of a CSV file, into a CSV file. */
@Command(name = "compute", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Computes a feature set over the candles of a CSV file and writes the features as CSV.",
            "",
            "Input: a header naming secid, ts, open, high, low, close, volume in any order and case (other "
                    + "columns are ignored); ts is ISO-8601 with an offset or Z, or epoch milliseconds. Several "
                    + "secids may share the file; each secid's rows must be in increasing ts order.",
            "Output: secid,ts,<features in registry order>, grouped by secid in order of first appearance; ts "
                    + "in ISO-8601 UTC, numbers as Java writes doubles (they read back exactly), categories as "
                    + "0/1, undefined values as empty cells. The file appears whole or not at all."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad input or usage; one line on stderr names file, line, column and reason",
                "3:the output could not be written", "70:unexpected internal error"})
final class ComputeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--set", required = true, paramLabel = "NAME", description = "Feature set of the registry, e.g. tech_v2.")
    String set;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "Candle CSV file to read.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "CSV",
            description = "Feature CSV file to write (replaced atomically; its directory is made when missing).")
    Path output;

    @Option(names = "--timeframe", paramLabel = "TF",
            description = "Resample the input to this timeframe first, e.g. 5m (must be allowed by the set). "
                    + "Without it the candles are used as they are, at any spacing.")
    String timeframe;

    @Option(names = "--input-timeframe", paramLabel = "TF", defaultValue = "1m",
            description = "The timeframe of the input candles when --timeframe is given (default: ${DEFAULT-VALUE}).")
    String inputTimeframe;

    @Option(names = "--all-rows", description = "Write every row, with empty cells where a feature is undefined "
            + "(warm-up); by default only clean rows, where every feature is defined.")
    boolean allRows;

    @Option(names = "--config", paramLabel = "YAML",
            description = "Registry file (default: the featurestore.config system property, the FEATURESTORE_CONFIG "
                    + "environment variable, else the registry built into the jar).")
    Path config;

    @Option(names = "--complete-through", paramLabel = "INSTANT",
            description = "With --timeframe: the input is complete through this ISO-8601 time, so the last bucket "
                    + "ending by then is final (default: the last bucket is dropped unless a later candle exists).")
    String completeThrough;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Result result = compute(set, input, output, timeframe, inputTimeframe, allRows, config, completeThrough, false);
        out.println(result.describe());
        out.flush();
        return Main.OK;
    }

    /** What a computation wrote. */
    record Result(Path output, String set, Timeframe timeframe, long rows, List<String> perSecid) {
        String describe() {
            return "wrote " + rows + " rows of " + set + (timeframe == null ? "" : " at " + timeframe) + " to " + output
                    + " (" + String.join(", ", perSecid) + ")";
        }
    }

    /**
     * Computes the set over every secid of the input and writes the CSV; with {@code streamed},
     * the rows come from replaying each secid's candles through a {@link FeatureStream} one at a
     * time (every row, as {@code allRows}), closing the last bucket by {@code completeThrough}.
     */
    static Result compute(String set, Path input, Path output, String timeframe, String inputTimeframe,
            boolean allRows, Path config, String completeThrough, boolean streamed) {
        Store store = config == null ? FeatureStore.shared() : FeatureStore.builder().registry(config).build();
        FeatureQuery query = store.forSet(set);
        Timeframe target = null;
        Timeframe source = null;
        Instant complete = null;
        if (timeframe != null) {
            target = parseTimeframe("--timeframe", timeframe);
            if (!query.spec().allows(target)) {
                throw new CliException(Main.BAD_INPUT, "--timeframe: feature set '" + set + "' does not allow "
                        + target + "; allowed: " + query.spec().timeframes());
            }
            source = parseTimeframe("--input-timeframe", inputTimeframe);
            query = query.timeframe(target);
            if (completeThrough != null) {
                complete = parseInstant(completeThrough);
                query = streamed ? query : query.completeThrough(complete);
            }
        } else if (completeThrough != null) {
            throw new CliException(Main.BAD_INPUT, "--complete-through needs --timeframe: it says which resampled "
                    + "buckets are final");
        }
        CsvCandleFile csv = readCsv(input, source);
        List<String> perSecid = new ArrayList<>();
        long total = 0;
        try (AtomicOutput file = AtomicOutput.open(output)) {
            Writer w = file.writer();
            StringBuilder sb = new StringBuilder(1024);
            CsvText text = new CsvText();
            List<String> features = query.featureNames();
            sb.append("secid,ts");
            for (String f : features) {
                sb.append(',').append(f);
            }
            sb.append('\n');
            try {
                w.append(sb);
                for (String secid : csv.secids()) {
                    CandleSeries series;
                    try {
                        series = csv.secid(secid, Long.MIN_VALUE, Long.MAX_VALUE).series();
                    } catch (SourceException bad) {
                        throw badInput(bad);
                    }
                    FeatureFrame frame = streamed ? replay(query, series, source, complete)
                            : allRows ? query.computeAllRows(series) : query.compute(series);
                    write(w, sb, text, frame);
                    perSecid.add(secid + " " + frame.size());
                    total += frame.size();
                }
            } catch (IOException io) {
                throw file.writeFailed(io);
            }
            file.commit();
        }
        return new Result(output, set, target, total, perSecid);
    }

    private static final int CHUNK = 8192;

    /** Every row a stream emits for the series, fed one candle at a time, as a frame. */
    private static FeatureFrame replay(FeatureQuery query, CandleSeries series, Timeframe source, Instant complete) {
        FeatureStream stream = source == null ? query.stream(series.secid()) : query.stream(series.secid(), source);
        int f = stream.featureNames().size();
        double[][] columns = new double[f][Math.max(16, series.size())];
        long[] ts = new long[columns[0].length];
        double[] row = new double[f];
        int n = 0;
        for (int i = 0; i <= series.size(); i++) {
            boolean emitted = i < series.size()
                    ? stream.offer(series.ts(i), series.open(i), series.high(i), series.low(i), series.close(i),
                            series.volume(i))
                    : complete != null && stream.closeThrough(complete).isPresent();
            if (emitted) {
                stream.copyLastRow(row);
                ts[n] = stream.lastTs();
                for (int j = 0; j < f; j++) {
                    columns[j][n] = row[j];
                }
                n++;
            }
        }
        return FeatureFrame.of(series.secid(), stream.featureSet(), stream.timeframe().orElse(null),
                stream.featureNames(), stream.kinds(), Arrays.copyOf(ts, n), columns);
    }

    /** Writes the frame's rows, copying a chunk of each column at a time into reused buffers. */
    private static void write(Writer w, StringBuilder sb, CsvText text, FeatureFrame frame) throws IOException {
        int f = frame.featureNames().size();
        boolean[] categorical = new boolean[f];
        for (int j = 0; j < f; j++) {
            categorical[j] = frame.kinds().get(j) == FeatureKind.CATEGORICAL;
        }
        double[][] values = new double[f][CHUNK];
        long[] ts = new long[CHUNK];
        sb.setLength(0);
        CsvText.appendText(sb, frame.secid());
        int prefix = sb.length();
        for (int from = 0; from < frame.size(); from += CHUNK) {
            int n = Math.min(CHUNK, frame.size() - from);
            frame.copyTimestamps(from, ts, 0, n);
            for (int j = 0; j < f; j++) {
                frame.copyColumn(j, from, values[j], 0, n);
            }
            for (int r = 0; r < n; r++) {
                sb.setLength(prefix);
                sb.append(',');
                text.appendInstant(sb, ts[r]);
                for (int j = 0; j < f; j++) {
                    sb.append(',');
                    if (categorical[j]) {
                        CsvText.appendCategory(sb, values[j][r]);
                    } else {
                        CsvText.appendNumber(sb, values[j][r]);
                    }
                }
                sb.append('\n');
                w.append(sb);
            }
        }
    }

    /** Reads and checks every row of the input, strictly: rows of a secid must be in time order, without repeats. */
    private static CsvCandleFile readCsv(Path input, Timeframe timeframe) {
        CsvCandleFile csv;
        try {
            csv = CsvCandleFile.read(input, timeframe, true);
        } catch (SourceException e) {
            throw badInput(e);
        }
        if (csv.secids().isEmpty()) {
            throw CliException.input(input.toString(), 2, null, "the file holds a header but no candle");
        }
        return csv;
    }

    /** A bad input file, in the command line's words: file, line, column as the header spells it, reason. */
    private static CliException badInput(SourceException e) {
        if (e.line() > 0) {
            return CliException.input(e.location(), e.line(), e.column(), e.reason());
        }
        return new CliException(Main.BAD_INPUT, e.location() + ": " + e.reason(), e);
    }

    static Timeframe parseTimeframe(String option, String text) {
        try {
            return Timeframe.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.BAD_INPUT, option + ": " + e.getMessage());
        }
    }

    static Instant parseInstant(String text) {
        return CompleteThroughOption.parse("--complete-through", text);
    }
}
