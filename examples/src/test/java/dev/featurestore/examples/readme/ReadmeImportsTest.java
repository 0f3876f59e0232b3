package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's import list (the block marked {@code not compiled: import list}) names classes that
 * exist on a user's class path: each line is an {@code import} of a public class of a published module.
 */
@DisplayName("The README's import list names real public classes")
class ReadmeImportsTest {
    private static final Pattern IMPORT = Pattern.compile("^import ([\\w.]+);(\\s*//.*)?$");

    @Test
    @DisplayName("every import of the list loads, is public, and lies outside the internal packages")
    void importsLoad() throws ClassNotFoundException {
        Path root = MarkdownSamples.projectRoot();
        List<MarkdownSamples.Block> lists = MarkdownSamples.javaBlocks(root.resolve("README.md")).stream()
                .filter(b -> "<!-- not compiled: import list -->".equals(b.marker())).toList();
        assertThat(lists).as("import-list blocks in README.md").hasSize(1);
        List<String> names = new ArrayList<>();
        for (String line : lists.get(0).lines()) {
            Matcher m = IMPORT.matcher(line.strip());
            assertThat(m.matches()).as("README.md line '%s' is an import", line).isTrue();
            names.add(m.group(1));
        }
        assertThat(names).isNotEmpty().doesNotHaveDuplicates();
        for (String name : names) {
            Class<?> type = Class.forName(name);
            assertThat(java.lang.reflect.Modifier.isPublic(type.getModifiers())).as("%s is public", name).isTrue();
            assertThat(name).as("not an internal package").doesNotContain(".internal.");
        }
    }
}
