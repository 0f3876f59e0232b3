package dev.featurestore.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.featurestore.core.quality.QualityReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The page in headless Chromium: no console error, every chart drawn")
class ChromiumRenderTest {
    /** Per chart: its size on the page and how many painted shapes with an area it holds. */
    private static final String MEASURE = """
            JSON.stringify([...document.querySelectorAll('figure.chart')].map(f => {
              const svg = f.querySelector('svg');
              if (!svg) return {chart: f.dataset.chart, width: 0, height: 0, drawn: 0};
              const box = svg.getBoundingClientRect();
              let drawn = 0;
              for (const el of svg.querySelectorAll('rect, path')) {
                const r = el.getBoundingClientRect();
                const fill = getComputedStyle(el).fill;
                if (r.width > 0 && r.height > 0 && fill !== 'none' && fill !== 'rgb(255, 255, 255)') drawn++;
              }
              return {chart: f.dataset.chart, width: box.width, height: box.height, drawn: drawn};
            }))""";

    @TempDir
    static Path dir;

    static Chromium chromium;

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.start(Files.createDirectories(dir.resolve("profile")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Opens a file in a new tab; returns the tab's session after its load event. */
    private static String open(Path file) throws Exception {
        String target = chromium.send(null, "Target.createTarget", Chromium.params().put("url", "about:blank"))
                .get("targetId").asText();
        String session = chromium.send(null, "Target.attachToTarget",
                Chromium.params().put("targetId", target).put("flatten", true)).get("sessionId").asText();
        chromium.send(session, "Runtime.enable", null);
        chromium.send(session, "Log.enable", null);
        chromium.send(session, "Page.enable", null);
        chromium.send(session, "Page.navigate", Chromium.params().put("url", file.toUri().toString()));
        chromium.await(e -> "Page.loadEventFired".equals(e.path("method").asText())
                && session.equals(e.path("sessionId").asText()), "load event of " + file);
        return session;
    }

    private static JsonNode evaluate(String session, String expression) throws Exception {
        JsonNode result = chromium.send(session, "Runtime.evaluate",
                Chromium.params().put("expression", expression).put("returnByValue", true));
        assertThat(result.has("exceptionDetails")).as("%s threw %s", expression, result.get("exceptionDetails")).isFalse();
        return result.get("result").get("value");
    }

    /** Console errors, uncaught exceptions and the browser's own error log entries (blocked loads, policy violations). */
    private static List<String> errors(String session) {
        List<String> errors = new ArrayList<>();
        for (JsonNode e : chromium.events()) {
            if (!session.equals(e.path("sessionId").asText())) {
                continue;
            }
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            if (method.equals("Runtime.consoleAPICalled") && List.of("error", "assert").contains(p.path("type").asText())
                    || method.equals("Runtime.exceptionThrown")
                    || method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
                errors.add(method + ": " + p);
            }
        }
        return errors;
    }

    @Test
    @DisplayName("the pipeline's report: no console error, and each chart has a size and painted bars")
    void pipelineReport() throws Exception {
        QualityReport report = Reports.pipeline(dir.resolve("quality"));
        Path page = QualityHtml.write(report, dir.resolve("quality"));
        String session = open(page);
        JsonNode charts = new com.fasterxml.jackson.databind.ObjectMapper().readTree(evaluate(session, MEASURE).asText());
        int features = report.features().size();
        // three timelines, and per feature a histogram and a small multiple
        assertThat(charts).hasSize(3 + 2 * features);
        for (JsonNode c : charts) {
            assertThat(c.get("width").asDouble()).as(c.toString()).isPositive();
            assertThat(c.get("height").asDouble()).as(c.toString()).isPositive();
            assertThat(c.get("drawn").asInt()).as(c.toString()).isGreaterThanOrEqualTo(3);
        }
        assertThat(evaluate(session, "document.querySelectorAll('[data-j]').length").asInt()).isGreaterThan(100);
        assertThat(errors(session)).isEmpty();
    }

    @Test
    @DisplayName("the check sees errors: a page that logs one and loads a script against its policy fails it")
    void errorsAreSeen() throws Exception {
        Path bad = dir.resolve("bad.html");
        Files.writeString(bad, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'; script-src 'unsafe-inline'\"></head><body>"
                + "<script>console.error('drawn wrong')</script><img src=\"data-missing.png\"></body></html>",
                StandardCharsets.UTF_8);
        String session = open(bad);
        assertThat(errors(session)).anyMatch(e -> e.contains("drawn wrong")).hasSizeGreaterThanOrEqualTo(2);
    }
}
