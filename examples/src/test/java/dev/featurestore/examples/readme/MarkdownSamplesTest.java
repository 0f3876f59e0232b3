package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("MarkdownSamples: a README's java block against its source region")
class MarkdownSamplesTest {
    private static final String SOURCE = String.join("\n", "class Sample {", "    void run() {",
            "        // sample:begin hello", "        int x = 1;", "        check(x); // sample:omit",
            "        print(x);", "        // sample:end hello", "    }", "}", "");

    @Test
    @DisplayName("a block equal to its region (omitted lines left out, indentation removed) passes")
    void same(@TempDir Path dir) throws IOException {
        Path md = write(dir, "README.md", "<!-- sample: hello -->\n```java\nint x = 1;\nprint(x);\n```\n");
        assertThat(check(dir, md, false)).isEmpty();
    }

    @Test
    @DisplayName("a block that differs is reported with a diff and how to fix it; update rewrites it from the source")
    void drift(@TempDir Path dir) throws IOException {
        Path md = write(dir, "README.md", "# t\n\n<!-- sample: hello -->\n```java\nint x = 2;\nprint(x);\n```\nafter\n");
        List<String> problems = check(dir, md, false);
        assertThat(problems).singleElement().asString().startsWith("README.md:4: the block differs from sample 'hello'")
                .contains("- int x = 2;\n+ int x = 1;\n  print(x);\n").contains("-Dreadme.update=true");
        assertThat(check(dir, md, true)).isEmpty();
        assertThat(Files.readString(md)).isEqualTo("# t\n\n<!-- sample: hello -->\n```java\nint x = 1;\nprint(x);\n```\nafter\n");
        assertThat(check(dir, md, false)).isEmpty();
    }

    @Test
    @DisplayName("a java block without a marker, an unknown name and an unused region are each reported")
    void unmarkedUnknownUnused(@TempDir Path dir) throws IOException {
        Path md = write(dir, "README.md", "```java\nfoo();\n```\n\n<!-- sample: nope -->\n```java\nbar();\n```\n"
                + "<!-- not compiled: signatures -->\n```java\nint size();\n```\n");
        assertThat(check(dir, md, false)).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("README.md:1: a java block without a marker"))
                .anySatisfy(p -> assertThat(p).startsWith("README.md:6: no region 'nope'"))
                .anySatisfy(p -> assertThat(p).contains("sample 'hello' is in no README"));
    }

    private static List<String> check(Path dir, Path md, boolean update) throws IOException {
        Path src = dir.resolve("src");
        if (!Files.exists(src)) {
            write(Files.createDirectories(src), "Sample.java", SOURCE);
        }
        return MarkdownSamples.check(dir, List.of(md), MarkdownSamples.regions(src), update);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
