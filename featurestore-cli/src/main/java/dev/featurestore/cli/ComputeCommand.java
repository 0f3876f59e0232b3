package dev.featurestore.cli;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureQuery;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Result result = compute(set, input, output, timeframe, inputTimeframe, allRows, config, completeThrough);
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

    static Result compute(String set, Path input, Path output, String timeframe, String inputTimeframe,
            boolean allRows, Path config, String completeThrough) {
        Store store = config == null ? FeatureStore.shared() : FeatureStore.builder().registry(config).build();
        FeatureQuery query = store.forSet(set);
        Timeframe target = null;
        Timeframe source = null;
        if (timeframe != null) {
            target = parseTimeframe("--timeframe", timeframe);
            if (!query.spec().allows(target)) {
                throw new CliException(Main.BAD_INPUT, "--timeframe: feature set '" + set + "' does not allow "
                        + target + "; allowed: " + query.spec().timeframes());
            }
            source = parseTimeframe("--input-timeframe", inputTimeframe);
            query = query.timeframe(target);
            if (completeThrough != null) {
                query = query.completeThrough(parseInstant(completeThrough));
            }
        } else if (completeThrough != null) {
            throw new CliException(Main.BAD_INPUT, "--complete-through needs --timeframe: it says which resampled "
                    + "buckets are final");
        }
        CandleCsvReader reader = new CandleCsvReader(input, source);
        Map<String, CandleSeries.Builder> builders = reader.read();
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
                for (Iterator<Map.Entry<String, CandleSeries.Builder>> it = builders.entrySet().iterator(); it.hasNext();) {
                    Map.Entry<String, CandleSeries.Builder> e = it.next();
                    String secid = e.getKey();
                    CandleSeries series;
                    try {
                        series = e.getValue().build();
                    } catch (InvalidCandleException bad) {
                        throw CliException.input(input.toString(), reader.lineOf(secid, bad.row()),
                                reader.headerName(bad.field()), candleReason(bad, reader));
                    }
                    it.remove();
                    FeatureFrame frame = allRows ? query.computeAllRows(series) : query.compute(series);
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

    private static final Pattern ROW = Pattern.compile("\\brow (\\d+)\\b");

    /**
     * The rule broken, from the exception's message, with the secid's 0-based rows it mentions
     * turned into CSV lines.
     */
    private static String candleReason(InvalidCandleException e, CandleCsvReader reader) {
        String message = e.getMessage();
        String marker = ": field '" + e.field() + "' = ";
        int at = message.indexOf(marker);
        String rule = message;
        if (at >= 0) {
            int end = message.indexOf(": ", at + marker.length());
            String value = end < 0 ? "" : message.substring(at + marker.length(), end);
            String reason = end < 0 ? message.substring(at + 2) : message.substring(end + 2);
            rule = "ts".equals(e.field()) ? reason : e.field() + " = " + value + ": " + reason;
        }
        Matcher m = ROW.matcher(rule);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long line = reader.lineOf(e.secid(), Integer.parseInt(m.group(1)));
            m.appendReplacement(sb, line > 0 ? "line " + line : m.group());
        }
        m.appendTail(sb);
        return "invalid candle of secid '" + e.secid() + "' at " + Instant.ofEpochMilli(e.tsMillis()) + ": " + sb;
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
