package dev.featurestore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The core's packages, as jdeps reads them from the compiled classes, form no cycle. */
class PackageGraphTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.featurestore\\.core\\S*)\\s+->\\s+"
            + "(dev\\.featurestore\\.core\\S*)\\s", Pattern.MULTILINE);

    @Test
    @DisplayName("no package of the core depends, directly or through others, on itself")
    void noPackageCycles() {
        Path classes = Path.of("target", "classes");
        assertThat(classes).isDirectory();
        Map<String, Set<String>> graph = graph(classes);
        assertThat(graph).as("jdeps found the core's package edges").containsKeys("dev.featurestore.core",
                "dev.featurestore.core.pipeline");
        assertThat(cycles(graph)).as("package cycles in %s", graph).isEmpty();
    }

    @Test
    @DisplayName("the ingest depends on the api, the storage conveniences, the progress listener and the JDK-only "
            + "handoff between threads only")
    void ingestDependsOnApiAndStorageOnly() {
        Map<String, Set<String>> graph = graph(Path.of("target", "classes"));
        assertThat(graph.getOrDefault("dev.featurestore.core.ingest", Set.of()))
                .isSubsetOf("dev.featurestore.core.storage", "dev.featurestore.core.progress",
                        "dev.featurestore.core.internal.concurrent");
        assertThat(graph.getOrDefault("dev.featurestore.core.progress", Set.of())).isEmpty();
        assertThat(graph.getOrDefault("dev.featurestore.core.internal.concurrent", Set.of())).isEmpty();
    }

    private static Map<String, Set<String>> graph(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The classes hold module-info: jdeps resolves its requires on the module path the tests
        // run with (Surefire puts the dependencies there), and the class path for the rest.
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path", "");
        String path = modulePath.isEmpty() ? classPath
                : classPath.isEmpty() ? modulePath : modulePath + java.io.File.pathSeparator + classPath;
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                "--multi-release", "17", "--module-path", path, "-cp", path, classes.toString());
        assertThat(rc).as("jdeps: %s", err).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        Matcher m = EDGE.matcher(out.toString());
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return graph;
    }

    /** Every package that reaches itself again, with the path that does. */
    private static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> found = new ArrayList<>();
        for (String start : graph.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.add(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.poll();
                for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    if (next.equals(start)) {
                        found.add(longer);
                    } else if (seen.add(next)) {
                        paths.add(longer);
                    }
                }
            }
        }
        return found;
    }
}
