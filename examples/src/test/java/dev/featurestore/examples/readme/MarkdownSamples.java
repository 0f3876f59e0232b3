package dev.featurestore.examples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one source of the Markdown files' Java samples: regions of compiled example sources.
 *
 * <p>A region is the lines between {@code // sample:begin NAME} and {@code // sample:end NAME}
 * in a Java file of {@code examples/src}, less the lines that contain {@code // sample:omit}
 * (the checks a test adds), with their common indentation removed. A fenced {@code java} block of
 * a Markdown file comes from the region named on the line before it:
 * {@code <!-- sample: NAME -->}. A block that is not a program (signatures, elided code) says so:
 * {@code <!-- not compiled: REASON -->}.
 */
final class MarkdownSamples {
    static final String UPDATE_PROPERTY = "readme.update";

    private static final Pattern BEGIN = Pattern.compile("^\\s*// sample:begin (\\S+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// sample:end (\\S+)\\s*$");
    private static final String OMIT = "// sample:omit";
    private static final Pattern SAMPLE = Pattern.compile("^<!-- sample: (\\S+) -->$");
    private static final Pattern NOT_COMPILED = Pattern.compile("^<!-- not compiled: .+ -->$");
    private static final String FENCE = "```";
    private static final String UPDATE = "./mvnw -o -q -B -pl examples -am verify -Dtest=ReadmeSamplesTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false -D" + UPDATE_PROPERTY + "=true";

    private MarkdownSamples() {
    }

    /** A region of a Java source: where it starts (1-based line of its begin marker) and its text. */
    record Region(String name, Path file, int line, List<String> lines) {
    }

    /** A fenced Java block of a Markdown file: its marker, the 1-based lines of its text, the text. */
    record Block(Path file, int fenceLine, String marker, String sample, List<String> lines) {
        /** The first line of the block's text. */
        int firstLine() {
            return fenceLine + 1;
        }
    }

    /** The project's directory: the nearest directory above the working directory with {@code mvnw}. */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no directory with mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** README.md and every module's README*.md. */
    static List<Path> markdownFiles(Path root) {
        List<Path> out = new ArrayList<>();
        out.add(root.resolve("README.md"));
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(module)) {
                    files.filter(f -> f.getFileName().toString().matches("README.*\\.md")).sorted().forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every region of the Java files under {@code dir}, by name; a name given twice is an error. */
    static Map<String, Region> regions(Path dir) {
        Map<String, Region> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < text.size(); i++) {
                    Matcher begin = BEGIN.matcher(text.get(i));
                    if (!begin.matches()) {
                        continue;
                    }
                    String name = begin.group(1);
                    List<String> lines = new ArrayList<>();
                    int j = i + 1;
                    for (; j < text.size(); j++) {
                        Matcher end = END.matcher(text.get(j));
                        if (end.matches() && end.group(1).equals(name)) {
                            break;
                        }
                        if (!text.get(j).contains(OMIT)) {
                            lines.add(text.get(j));
                        }
                    }
                    if (j == text.size()) {
                        throw new IllegalStateException(file + ":" + (i + 1) + ": sample '" + name
                                + "' has no line '// sample:end " + name + "'");
                    }
                    Region region = new Region(name, file, i + 1, dedent(lines));
                    Region before = out.putIfAbsent(name, region);
                    if (before != null) {
                        throw new IllegalStateException("sample '" + name + "' is defined twice: " + before.file() + ":"
                                + before.line() + " and " + file + ":" + (i + 1));
                    }
                    i = j;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The fenced Java blocks of one Markdown file, with the marker line before each (or null). */
    static List<Block> javaBlocks(Path file) {
        List<String> text = read(file);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (!text.get(i).strip().equals(FENCE + "java")) {
                continue;
            }
            int j = i + 1;
            while (j < text.size() && !text.get(j).strip().equals(FENCE)) {
                j++;
            }
            int k = i - 1;
            while (k >= 0 && text.get(k).isBlank()) {
                k--;
            }
            String marker = k >= 0 ? text.get(k).strip() : "";
            Matcher sample = SAMPLE.matcher(marker);
            boolean known = sample.matches() || NOT_COMPILED.matcher(marker).matches();
            out.add(new Block(file, i + 1, known ? marker : null, sample.matches() ? sample.group(1) : null,
                    List.copyOf(text.subList(i + 1, j))));
            i = j;
        }
        return out;
    }

    /**
     * What is wrong with the Java blocks of {@code markdown} against {@code regions} (paths shown
     * relative to {@code root}); with {@code update}, a block that differs from its region is
     * rewritten from it instead of reported.
     */
    static List<String> check(Path root, List<Path> markdown, Map<String, Region> regions, boolean update) {
        List<String> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Path file : markdown) {
            // bottom up, so that rewriting a block leaves the line numbers of those above it as they are
            List<Block> blocks = new ArrayList<>(javaBlocks(file));
            Collections.reverse(blocks);
            for (Block block : blocks) {
                String where = root.relativize(file) + ":" + block.fenceLine();
                if (block.marker() == null) {
                    problems.add(where + ": a java block without a marker on the line before it: add"
                            + " <!-- sample: NAME --> and the region '// sample:begin NAME' ... '// sample:end NAME'"
                            + " to a compiled test of examples/src, or <!-- not compiled: REASON -->");
                    continue;
                }
                if (block.sample() == null) {
                    continue;
                }
                Region region = regions.get(block.sample());
                if (region == null) {
                    problems.add(where + ": no region '" + block.sample() + "' in examples/src; regions: "
                            + regions.keySet());
                    continue;
                }
                used.add(region.name());
                List<String> text = block.lines().stream().map(String::stripTrailing).toList();
                if (text.equals(region.lines())) {
                    continue;
                }
                if (update) {
                    replace(block, region);
                    continue;
                }
                problems.add(where + ": the block differs from sample '" + region.name() + "' at "
                        + root.relativize(region.file()) + ":" + region.line() + " (- README, + source):\n"
                        + diff(text, region.lines())
                        + "The source is the truth: edit the region (it is compiled and run), then copy it into the"
                        + " README with\n  " + UPDATE);
            }
        }
        for (String name : regions.keySet()) {
            if (!used.contains(name)) {
                Region r = regions.get(name);
                problems.add(root.relativize(r.file()) + ":" + r.line() + ": sample '" + name
                        + "' is in no README (add <!-- sample: " + name + " --> before a java block, or remove the markers)");
            }
        }
        return problems;
    }

    /** Writes {@code region}'s text into the file in place of {@code block}'s. */
    static void replace(Block block, Region region) {
        List<String> text = new ArrayList<>(read(block.file()));
        int from = block.firstLine() - 1;
        List<String> tail = new ArrayList<>(text.subList(from + block.lines().size(), text.size()));
        List<String> out = new ArrayList<>(text.subList(0, from));
        out.addAll(region.lines());
        out.addAll(tail);
        try {
            Files.write(block.file(), out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A line diff of {@code from} to {@code to}: {@code "  "} for a line in both, {@code "- "} for
     * one only in {@code from}, {@code "+ "} for one only in {@code to} (longest common subsequence).
     */
    static String diff(List<String> from, List<String> to) {
        int n = from.size();
        int m = to.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = from.get(i).equals(to.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && from.get(i).equals(to.get(j))) {
                out.append("  ").append(from.get(i++)).append('\n');
                j++;
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                out.append("- ").append(from.get(i++)).append('\n');
            } else {
                out.append("+ ").append(to.get(j++)).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
