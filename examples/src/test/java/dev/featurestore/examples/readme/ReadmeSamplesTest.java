package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Markdown files' Java samples are the compiled and tested regions of the example sources
 * (see {@link MarkdownSamples}), so a README cannot drift from the code.
 */
@DisplayName("The READMEs' Java samples are the example sources' sample regions")
class ReadmeSamplesTest {
    @Test
    @DisplayName("every java block has a marker, names a region, and has the region's text; every region is used")
    void samplesMatchTheirSources() {
        Path root = MarkdownSamples.projectRoot();
        List<String> problems = MarkdownSamples.check(root, MarkdownSamples.markdownFiles(root),
                MarkdownSamples.regions(root.resolve("examples/src")), Boolean.getBoolean(MarkdownSamples.UPDATE_PROPERTY));
        assertThat(problems).withFailMessage("%s", String.join("\n\n", problems)).isEmpty();
    }
}
