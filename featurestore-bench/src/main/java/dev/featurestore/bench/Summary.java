package dev.featurestore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the medians of JMH JSON result files as a Markdown table, with the time per candle and,
 * when {@link ComputeBenchmark}'s results are among them, the two ratios its targets are set on.
 * Every benchmark here runs over {@link ComputeBenchmark#CANDLES} candles, so milliseconds per
 * million candles and nanoseconds per candle are the same number.
 *
 * <pre>{@code
 * java -cp featurestore-bench/target/benchmarks.jar dev.featurestore.bench.Summary featurestore-bench/results/*.json
 * }</pre>
 */
public final class Summary {
    private Summary() {
    }

    /** Reads the result files named by the arguments and prints the table to standard output. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: Summary RESULT.json...");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, Double> minimums = new LinkedHashMap<>();
        out.println("| Benchmark | Mode | Samples | Median ms per 1M candles | Min ms | Max ms | Median ns per candle |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String arg : args) {
            JsonNode root = mapper.readTree(Path.of(arg).toFile());
            for (JsonNode run : root) {
                String name = shortName(run.path("benchmark").asText()) + params(run.path("params"));
                if (!"ms/op".equals(run.path("primaryMetric").path("scoreUnit").asText())) {
                    throw new IllegalArgumentException(arg + ": " + name + " is not in ms/op");
                }
                double[] samples = samples(run.path("primaryMetric").path("rawData"));
                Arrays.sort(samples);
                double median = median(samples);
                medians.put(name, median);
                minimums.put(name, samples[0]);
                double perCandle = median * 1e6 / ComputeBenchmark.CANDLES;
                out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f |%n", name,
                        run.path("mode").asText(), samples.length, median, samples[0], samples[samples.length - 1],
                        perCandle);
            }
        }
        out.println();
        ratios(out, "medians", medians);
        ratios(out, "minimums", minimums);
    }

    /**
     * The target ratios from one statistic. On a machine shared with other work, interference
     * only ever adds time, so the ratio of the minimums is the better estimate when the medians
     * of two benchmarks were taken under different load.
     */
    private static void ratios(PrintStream out, String statistic, Map<String, Double> values) {
        for (String name : List.of("techV2", "techV2Scalar")) {
            Double tech = values.get("ComputeBenchmark." + name);
            Double floor = values.get("ComputeBenchmark.memoryFloor");
            Double loop = values.get("ComputeBenchmark.memoryFloorLoop");
            Double ta4j = values.get("ComputeBenchmark.ta4j");
            if (tech != null && floor != null) {
                out.printf(Locale.ROOT, "%s: %s / memoryFloor = %.2f (target: at most 3)%n", statistic, name,
                        tech / floor);
            }
            if (tech != null && loop != null) {
                out.printf(Locale.ROOT, "%s: %s / memoryFloorLoop = %.2f%n", statistic, name, tech / loop);
            }
            if (tech != null && ta4j != null) {
                out.printf(Locale.ROOT, "%s: ta4j / %s = %.1f (target: at least 50)%n", statistic, name,
                        ta4j / tech);
            }
        }
    }

    private static String shortName(String benchmark) {
        String prefix = Summary.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }

    private static String params(JsonNode params) {
        if (params.isMissingNode() || params.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : params.properties()) {
            parts.add(e.getKey() + "=" + e.getValue().asText());
        }
        return " (" + String.join(", ", parts) + ")";
    }

    private static double[] samples(JsonNode rawData) {
        List<Double> all = new ArrayList<>();
        for (JsonNode fork : rawData) {
            for (JsonNode value : fork) {
                all.add(value.asDouble());
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a benchmark has no samples");
        }
        double[] samples = new double[all.size()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = all.get(i);
        }
        return samples;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
