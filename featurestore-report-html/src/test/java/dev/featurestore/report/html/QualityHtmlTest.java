package dev.featurestore.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.core.quality.QualityCheck;
import dev.featurestore.core.quality.QualityReport;
import dev.featurestore.core.quality.QualityReports;
import dev.featurestore.core.quality.QualityStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("QualityHtml: the page, parsed with jsoup, shows the JSON report's numbers and nothing else")
class QualityHtmlTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGIT = Pattern.compile("[0-9]");

    @TempDir
    static Path dir;

    static QualityReport pipeline;
    static QualityReport bad;

    @BeforeAll
    static void reports() {
        pipeline = Reports.pipeline(dir);
        bad = Reports.badValues();
    }

    private static Document page(QualityReport r) {
        return Jsoup.parse(QualityHtml.render(r));
    }

    private static JsonNode json(QualityReport r) throws IOException {
        return JSON.readTree(QualityReports.toJson(r));
    }

    @Test
    @DisplayName("every value shown (data-j) is the JSON field it names, as written or to four significant digits")
    void everyValueIsTheJsonField() throws IOException {
        for (QualityReport r : List.of(pipeline, bad)) {
            Document doc = page(r);
            JsonNode root = json(r);
            Elements shown = doc.select("[data-j]");
            assertThat(shown).hasSizeGreaterThan(50);
            for (Element e : shown) {
                String pointer = pointer(e);
                JsonNode node = root.at(pointer);
                String text = e.text();
                if (node.isMissingNode()) {
                    assertThat(hasNullAncestor(root, pointer)).as("%s names no field of the JSON", pointer).isTrue();
                    assertThat(text).as(pointer).isEqualTo("\u2013");
                } else if (node.isNull()) {
                    assertThat(text).as(pointer).isEqualTo("\u2013");
                } else if (node.isNumber()) {
                    assertClose(pointer, node.doubleValue(), Double.parseDouble(text));
                } else if (node.isBoolean()) {
                    assertThat(text).as(pointer).isEqualTo(Boolean.toString(node.booleanValue()));
                } else {
                    assertThat(text).as(pointer).isEqualTo(node.asText());
                }
            }
        }
    }

    @Test
    @DisplayName("no number appears outside the fields, the table headers and the charts' axes")
    void noOtherNumbers() {
        for (QualityReport r : List.of(pipeline, bad)) {
            Document doc = page(r);
            List<String> stray = new ArrayList<>();
            collectStray(doc.body(), stray);
            assertThat(stray).isEmpty();
        }
    }

    private static void collectStray(Element e, List<String> stray) {
        if (e.hasAttr("data-j") || e.tagName().equals("th") || e.tagName().equals("svg")) {
            return;
        }
        for (Node child : e.childNodes()) {
            if (child instanceof TextNode t && DIGIT.matcher(t.text()).find()) {
                stray.add(e.cssSelector() + ": " + t.text());
            } else if (child instanceof Element c) {
                collectStray(c, stray);
            }
        }
    }

    @Test
    @DisplayName("the header names set, timeframe, run, fingerprint, range and status; blocking failures come first")
    void headerAndChecks() throws IOException {
        Document doc = page(bad);
        assertThat(doc.select("header [data-j=fingerprint]").text()).isEqualTo("0123abcd");
        assertThat(doc.select("header [data-j=status]").text()).isEqualTo("fail");
        Elements rows = doc.select("table.checks tbody tr");
        assertThat(rows).hasSize(QualityCheck.values().length);
        List<QualityReport.CheckResult> blocking = bad.blockingFailures();
        assertThat(blocking).extracting(c -> c.check()).contains(QualityCheck.NON_FINITE, QualityCheck.OUT_OF_RANGE);
        for (int i = 0; i < rows.size(); i++) {
            String name = rows.get(i).select("[data-j=name]").text();
            boolean isBlocking = blocking.stream().anyMatch(c -> c.check().key().equals(name));
            assertThat(isBlocking).as("row %d (%s)", i, name).isEqualTo(i < blocking.size());
            assertThat(rows.get(i).hasClass("blocking")).isEqualTo(isBlocking);
        }
        JsonNode root = json(pipeline);
        Document p = page(pipeline);
        assertThat(p.select("header [data-j=fingerprint]").text()).isEqualTo(root.get("fingerprint").asText()).hasSize(64);
        assertThat(p.select("header [data-j=previous_run_id]").text()).isEqualTo("run-1");
    }

    @Test
    @DisplayName("a timeline per secid with candles: one missing bar per session day with missing candles, gaps listed")
    void timelines() throws IOException {
        Document doc = page(pipeline);
        JsonNode root = json(pipeline);
        Elements articles = doc.select("#timelines article.secid");
        assertThat(articles).hasSize(3);
        // most missing first: GAZP lost a day, SBER 45 minutes, LKOH nothing
        assertThat(articles).extracting(a -> a.selectFirst("h3").text()).containsExactly("GAZP", "SBER", "LKOH");
        for (Element a : articles) {
            JsonNode s = root.at(a.attr("data-base"));
            JsonNode missing = s.at("/session_days/missing");
            assertThat(missing.size()).isEqualTo(5);
            int daysMissing = 0;
            for (JsonNode m : missing) {
                daysMissing += m.asLong() > 0 ? 1 : 0;
            }
            Element svg = a.selectFirst("figure[data-chart=timeline] svg");
            assertThat(svg).isNotNull();
            assertThat(filled(svg, Charts.MISSING)).as(s.get("secid").asText()).isEqualTo(daysMissing);
            assertThat(filled(svg, Charts.PRESENT)).isGreaterThanOrEqualTo(4);
            assertThat(a.select("table.gaps tbody tr")).hasSize(s.get("gaps").size());
        }
        assertThat(root.at("/secids/0/secid").asText()).isEqualTo("GAZP");
        assertThat(root.at("/secids/0/session_days/missing/3").asLong()).isEqualTo(104);
        assertThat(root.at("/secids/2/session_days/missing/1").asLong()).isEqualTo(9); // SBER: 45 minutes of 5m
    }

    /**
     * Rectangles filled with a colour that have an area: the bars (the legend's swatches are paths). The fill is the
     * rectangle's own or, as the SVG generator groups shapes by their paint, that of the nearest enclosing group.
     */
    private static int filled(Element svg, java.awt.Color c) {
        String fill = "rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
        int n = 0;
        for (Element rect : svg.select("rect")) {
            if (fill.equals(fillOf(rect))
                    && Double.parseDouble(rect.attr("height")) > 0 && Double.parseDouble(rect.attr("width")) > 0) {
                n++;
            }
        }
        return n;
    }

    /** The fill an element is painted with: the first {@code fill} in its own style or its ancestors'. */
    private static String fillOf(Element e) {
        for (Element at = e; at != null; at = at.parent()) {
            for (String declaration : at.attr("style").split(";")) {
                String[] kv = declaration.split(":", 2);
                if (kv.length == 2 && kv[0].strip().equals("fill")) {
                    return kv[1].replace(" ", "");
                }
            }
        }
        return null;
    }

    @Test
    @DisplayName("per feature: a histogram against the previous run, the drift numbers beside it, and one small multiple each")
    void features() throws IOException {
        Document doc = page(pipeline);
        JsonNode root = json(pipeline);
        int features = root.get("features").size();
        assertThat(features).isEqualTo(pipeline.features().size()).isPositive();
        assertThat(doc.select("#overview a.multiple")).hasSize(features);
        assertThat(doc.select("#features article.feature")).hasSize(features);
        int withPsi = 0;
        for (Element a : doc.select("#features article.feature")) {
            JsonNode f = root.at(a.attr("data-base"));
            assertThat(f.get("drift").isNull()).isFalse();
            Element svg = a.selectFirst("figure[data-chart=histogram] svg");
            assertThat(svg).as(f.get("name").asText()).isNotNull();
            int bins = f.at("/drift/histogram/shares").size();
            int nonEmpty = 0;
            for (JsonNode share : f.at("/drift/histogram/shares")) {
                nonEmpty += share.doubleValue() > 0 ? 1 : 0;
            }
            assertThat(bins).isPositive();
            assertThat(filled(svg, Charts.CURRENT)).as(f.get("name").asText()).isEqualTo(nonEmpty);
            if (!f.at("/drift/psi").isNull()) {
                withPsi++;
                assertThat(a.select("[data-j=drift/psi]").text()).isNotEqualTo("\u2013");
            }
        }
        assertThat(withPsi).isGreaterThan(features / 2);
        Document b = page(bad);
        assertThat(b.select("#overview a.multiple.odd-fail")).extracting(e -> e.selectFirst(".name").text())
                .containsExactly("rsi_14", "my_x");
        assertThat(b.select("table.examples tbody tr")).hasSize(2);
        assertThat(bad.check(QualityCheck.OUT_OF_RANGE).orElseThrow().status()).isEqualTo(QualityStatus.FAIL);
    }

    @Test
    @DisplayName("self-contained: no script, no external reference, a policy that forbids loading anything")
    void selfContained() {
        Document doc = page(pipeline);
        assertThat(doc.select("script, link, img, iframe, object, embed")).isEmpty();
        for (Element e : doc.select("[href], [src]")) {
            assertThat(e.attr("href") + e.attr("src")).startsWith("#");
        }
        assertThat(doc.select("style").html()).doesNotContain("url(").doesNotContain("@import");
        assertThat(doc.select("meta[http-equiv=Content-Security-Policy]").attr("content")).startsWith("default-src 'none'");
        for (Element svg : doc.select("svg")) {
            assertThat(svg.outerHtml()).doesNotContain("href=\"http").doesNotContain("url(http");
        }
    }

    @Test
    @DisplayName("every id on the page is its own, and every url(#id) in the charts names one of them")
    void idsUnique() {
        Document doc = page(pipeline);
        List<String> ids = doc.select("[id]").eachAttr("id");
        assertThat(ids).doesNotHaveDuplicates().anyMatch(id -> id.matches("chart\\d+-clipPath\\d+"));
        Matcher ref = Pattern.compile("url\\(#([^)]+)\\)").matcher(doc.select("svg").outerHtml());
        int refs = 0;
        while (ref.find()) {
            assertThat(ids).as(ref.group()).contains(ref.group(1));
            refs++;
        }
        assertThat(refs).isPositive();
    }

    @Test
    @DisplayName("written beside the JSON as {set}_{tf}_{run}.html; the same report renders the same page")
    void writesBesideJson() throws IOException {
        Path html = QualityHtml.write(bad, dir);
        assertThat(html).isEqualTo(dir.resolve("tech_v2_5m_hand-1.html"));
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).isEqualTo(QualityHtml.render(bad));
        assertThat(QualityHtml.render(QualityReports.fromJson("x", QualityReports.toJson(bad))))
                .isEqualTo(QualityHtml.render(bad));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/pipeline-report.html"), QualityHtml.render(pipeline));
    }

    @Test
    @DisplayName("numbers: whole ones in full, others to four significant digits, null as a dash, infinities as the JSON spells them")
    void format() {
        assertThat(QualityHtml.format(520.0)).isEqualTo("520");
        assertThat(QualityHtml.format(0.015384615)).isEqualTo("0.01538");
        assertThat(QualityHtml.format(86400.5)).isEqualTo("86400");
        assertThat(QualityHtml.format(1.23456e-7)).isEqualTo("1.235e-7");
        assertThat(QualityHtml.format(null)).isEqualTo("\u2013");
        assertThat(QualityHtml.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(QualityHtml.format(-0.5)).isEqualTo("-0.5");
    }

    static String pointer(Element e) {
        Element base = e;
        while (base != null && !base.hasAttr("data-base")) {
            base = base.parent();
        }
        if (base == null) {
            fail("no data-base above " + e.cssSelector());
        }
        return base.attr("data-base") + "/" + e.attr("data-j");
    }

    private static boolean hasNullAncestor(JsonNode root, String pointer) {
        String p = pointer;
        while (p.lastIndexOf('/') > 0) {
            p = p.substring(0, p.lastIndexOf('/'));
            if (root.at(p).isNull()) {
                return true;
            }
        }
        return false;
    }

    private static void assertClose(String pointer, double expected, double shown) {
        if (expected == Math.rint(expected) && Math.abs(expected) < 1e15) {
            assertThat(shown).as(pointer).isEqualTo(expected);
        } else {
            assertThat(Math.abs(shown - expected)).as("%s: shown %s, JSON %s", pointer, shown, expected)
                    .isLessThanOrEqualTo(Math.abs(expected) * 5e-4);
        }
    }
}
