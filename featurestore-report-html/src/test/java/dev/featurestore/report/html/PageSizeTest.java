package dev.featurestore.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.core.quality.QualityReport;
import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A large run stays small: 1,000 secids x 20 features under 5 MB")
class PageSizeTest {
    @Test
    @DisplayName("1,000 secids x 20 features over five session days: under 5 MB, every secid in the table, the timelines capped")
    void largeRun() {
        QualityReport report = Reports.large(1_000, 20, 11);
        String html = QualityHtml.render(report);
        int bytes = html.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("page of 1000 secids x 20 features: %d bytes (%.2f MB)%n", bytes, bytes / 1e6);
        assertThat(bytes).isLessThan(5_000_000);
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("table.secids tbody tr")).hasSize(1_000);
        assertThat(doc.select("#timelines article.secid")).hasSize(QualityHtml.MAX_TIMELINES);
        assertThat(doc.select("#overview a.multiple")).hasSize(20);
        assertThat(doc.select("#features article.feature")).hasSize(20);
        // the secids drawn are those missing the most candles
        long leastDrawn = doc.select("#timelines article.secid [data-j=missing_candles]").stream()
                .mapToLong(e -> Long.parseLong(e.text())).min().orElseThrow();
        long moreThanThat = report.secids().stream().filter(s -> s.missingCandles() > leastDrawn).count();
        assertThat(moreThanThat).isLessThan(QualityHtml.MAX_TIMELINES);
    }
}
