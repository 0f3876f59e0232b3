package dev.featurestore.report.html;

import dev.featurestore.api.StorageException;
import dev.featurestore.core.io.AtomicFiles;
import dev.featurestore.core.quality.QualityCheck;
import dev.featurestore.core.quality.QualityReport;
import dev.featurestore.core.quality.QualityReport.CheckResult;
import dev.featurestore.core.quality.QualityReport.DistributionStats;
import dev.featurestore.core.quality.QualityReport.FeatureQuality;
import dev.featurestore.core.quality.QualityReport.Gap;
import dev.featurestore.core.quality.QualityReport.Histogram;
import dev.featurestore.core.quality.QualityReport.RangeViolation;
import dev.featurestore.core.quality.QualityReport.SecidQuality;
import dev.featurestore.core.quality.QualityReports;
import dev.featurestore.core.quality.QualityStatus;
import dev.featurestore.core.quality.Threshold;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The data-quality report as one self-contained HTML page: styles and SVG charts inline, no script,
 * no font or anything else loaded at view time. It is written beside the JSON report, as
 * {@code {feature_set}_{timeframe}_{run_id}.html}, from the same {@link QualityReport}.
 *
 * <pre>{@code
 * Path json = QualityReports.write(report, dir);
 * Path html = QualityHtml.write(report, dir);   // dir/tech_v2_5m_run-42.html
 * }</pre>
 *
 * <p>The page shows the report's numbers and nothing else: every number on it (outside the charts'
 * axes) is a field of the JSON report, in an element whose {@code data-j} attribute names the
 * field as a JSON pointer relative to the nearest {@code data-base} above it. The charts plot the
 * report's per-day candle counts ({@code session_days}) and histograms. Large runs stay small:
 * the per-secid timelines are drawn for the {@value #MAX_TIMELINES} secids with the most missing
 * candles (then the stalest); every secid is in the table.
 */
public final class QualityHtml {
    /** The most secids whose timeline of candles is drawn; every secid is in the table. */
    public static final int MAX_TIMELINES = 24;

    private static final MathContext FOUR_DIGITS = new MathContext(4);
    private static final String NONE = "\u2013";

    private QualityHtml() {
    }

    /**
     * The file name of a report's page: {@code tech_v2_5m_run-42.html}, beside the JSON's.
     *
     * @param featureSet the feature set
     * @param timeframe the timeframe, e.g. {@code 5m}
     * @param runId the run
     * @return the file name
     */
    public static String fileName(String featureSet, String timeframe, String runId) {
        String json = QualityReports.fileName(featureSet, timeframe, runId);
        return json.substring(0, json.length() - ".json".length()) + ".html";
    }

    /**
     * Writes a report's page into {@code directory} (created when missing), replacing the page of
     * the same run, atomically.
     *
     * @param report the report
     * @param directory where the JSON report is written, by default {@code docs/data_quality}
     * @return the file written
     * @throws StorageException when the file cannot be written
     */
    public static Path write(QualityReport report, Path directory) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(directory, "directory");
        Path target = directory.resolve(fileName(report.featureSet(), report.timeframe(), report.runId()));
        byte[] html = render(report).getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(target, html);
        } catch (StorageException e) {
            throw new StorageException("cannot write quality page " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /**
     * The page of a report.
     *
     * @param report the report
     * @return the HTML document
     */
    public static String render(QualityReport report) {
        return new Page(report).render();
    }

    /**
     * A number as the page shows it: whole numbers in full, others to four significant digits.
     *
     * @param value the number, or null
     * @return the text; an en dash for null or NaN (both null in the JSON), infinities as the JSON spells
     *     them, {@code inf} and {@code -inf}
     */
    public static String format(Double value) {
        if (value == null || value.isNaN()) {
            return NONE;
        }
        if (value.isInfinite()) {
            return value > 0 ? "inf" : "-inf";
        }
        double v = value;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        BigDecimal d = new BigDecimal(v).round(FOUR_DIGITS).stripTrailingZeros();
        double abs = Math.abs(v);
        return abs >= 1e-4 && abs < 1e7 ? d.toPlainString() : d.toString().replace("E+", "e").replace("E", "e");
    }

    /** Builds one page; a new one per render (the charts number their SVG ids). */
    private static final class Page {
        private final QualityReport r;
        private final StringBuilder out = new StringBuilder(1 << 16);
        private final Charts charts = new Charts();

        Page(QualityReport report) {
            this.r = report;
        }

        String render() {
            out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                    .append("style-src 'unsafe-inline'; img-src data:\">\n<title>");
            text("Data quality: " + r.featureSet() + " " + r.timeframe() + " run " + r.runId());
            out.append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body data-base=\"\">\n");
            header();
            checks();
            secidTable();
            timelines();
            smallMultiples();
            features();
            out.append("</body>\n</html>\n");
            return out.toString();
        }

        private void header() {
            out.append("<header>\n<h1>Data quality: ");
            field("feature_set", r.featureSet());
            out.append(' ');
            field("timeframe", r.timeframe());
            out.append(" <span class=\"status ").append(r.status().jsonName()).append("\">");
            field("status", r.status().jsonName());
            out.append("</span>");
            if (r.blockingFailure()) {
                out.append(" <span class=\"status fail\">blocking failure</span>");
            }
            out.append("</h1>\n<dl class=\"meta\">\n");
            dt("run");
            field("run_id", r.runId());
            dt("fingerprint");
            out.append("<code>");
            field("fingerprint", r.fingerprint());
            out.append("</code>");
            dt("generated at");
            field("generated_at", time(r.generatedAt()));
            dt("range");
            if (r.rangeFrom() == null) {
                out.append("each secid's first candle to the end of its last");
            } else {
                field("range/from", time(r.rangeFrom()));
                out.append(" to ");
                field("range/to", time(r.rangeTo()));
            }
            dt("drift against run");
            field("previous_run_id", r.previousRunId());
            dt("blocking failure");
            field("blocking_failure", Boolean.toString(r.blockingFailure()));
            out.append("</dl>\n</header>\n");
        }

        /** The checks, blocking failures first, then in the report's order. */
        private void checks() {
            out.append("<section id=\"checks\">\n<h2>Checks</h2>\n<table class=\"checks\">\n<thead><tr><th>check</th>"
                    + "<th>status</th><th>value</th><th>warn at</th><th>fail at</th><th>blocking</th><th>what was found</th>"
                    + "</tr></thead>\n<tbody>\n");
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < r.checks().size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparing(i -> !isBlockingFailure(r.checks().get(i))));
            for (int i : order) {
                CheckResult c = r.checks().get(i);
                String status = c.status().jsonName();
                out.append("<tr class=\"").append(status).append(isBlockingFailure(c) ? " blocking" : "")
                        .append("\" data-base=\"/checks/").append(i).append("\"><td>");
                field("name", c.check().key());
                out.append("</td><td><span class=\"status ").append(status).append("\">");
                field("status", status);
                out.append("</span></td><td class=\"n\">");
                number("value", c.value());
                out.append("</td><td class=\"n\">");
                number("warn", c.threshold().warn());
                out.append("</td><td class=\"n\">");
                number("fail", c.threshold().fail());
                out.append("</td><td>");
                field("blocking", Boolean.toString(c.threshold().blocking()));
                out.append("</td><td>");
                field("message", c.message());
                out.append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n</section>\n");
        }

        private static boolean isBlockingFailure(CheckResult c) {
            return c.status() == QualityStatus.FAIL && c.threshold().blocking();
        }

        private void secidTable() {
            out.append("<section id=\"secids\">\n<h2>Secids</h2>\n<table class=\"secids\">\n<thead><tr><th>secid</th>"
                    + "<th>candles</th><th>clean rows</th><th>expected</th><th>present</th><th>missing</th>"
                    + "<th>missing fraction</th><th>unexpected</th><th>gaps</th><th>duplicates</th><th>out of order</th>"
                    + "<th>last candle available at</th><th>staleness, s</th></tr></thead>\n<tbody>\n");
            for (int i = 0; i < r.secids().size(); i++) {
                SecidQuality s = r.secids().get(i);
                out.append("<tr data-base=\"/secids/").append(i).append("\"><td>");
                field("secid", s.secid());
                cell("candles", (double) s.candles());
                cell("clean_rows", (double) s.cleanRows());
                cell("expected_candles", (double) s.expectedCandles());
                cell("present_candles", (double) s.presentCandles());
                cell("missing_candles", (double) s.missingCandles());
                cell("missing_fraction", s.missingFraction());
                cell("unexpected_candles", (double) s.unexpectedCandles());
                cell("gap_count", (double) s.gapCount());
                cell("duplicates", s.duplicates() == null ? null : s.duplicates().doubleValue());
                cell("out_of_order", s.outOfOrder() == null ? null : s.outOfOrder().doubleValue());
                out.append("</td><td>");
                field("last_available_at", time(s.lastAvailableAt()));
                cell("staleness_seconds", s.stalenessSeconds());
                out.append("</td></tr>\n");
            }
            out.append("</tbody>\n</table>\n</section>\n");
        }

        private void cell(String field, Double value) {
            out.append("</td><td class=\"n\">");
            number(field, value);
        }

        /** Timelines of the secids with the most missing candles, then the stalest. */
        private void timelines() {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < r.secids().size(); i++) {
                if (!r.secids().get(i).sessionDays().isEmpty()) {
                    order.add(i);
                }
            }
            Comparator<Integer> missing = Comparator.comparingLong(i -> r.secids().get(i).missingCandles());
            Comparator<Integer> stale = Comparator.comparingDouble(i -> {
                Double s = r.secids().get(i).stalenessSeconds();
                return s == null ? 0 : s;
            });
            order.sort(missing.reversed().thenComparing(stale.reversed()).thenComparing(Comparator.naturalOrder()));
            out.append("<section id=\"timelines\">\n<h2>Candles by session day</h2>\n<p class=\"note\">Candles present "
                    + "(green) and missing (red) against the session schedule, per session day");
            if (order.size() > MAX_TIMELINES) {
                out.append(", for the secids with the most missing candles, then the stalest; every secid is in the "
                        + "table above");
            }
            out.append(".</p>\n");
            for (int i : order.subList(0, Math.min(order.size(), MAX_TIMELINES))) {
                SecidQuality s = r.secids().get(i);
                out.append("<article class=\"secid\" data-base=\"/secids/").append(i).append("\">\n<h3>");
                field("secid", s.secid());
                out.append("</h3>\n<p>missing ");
                number("missing_candles", (double) s.missingCandles());
                out.append(" of ");
                number("expected_candles", (double) s.expectedCandles());
                out.append(" expected candles in ");
                number("gap_count", (double) s.gapCount());
                out.append(" gap(s); last candle available at ");
                field("last_available_at", time(s.lastAvailableAt()));
                out.append(", stale for ");
                number("staleness_seconds", s.stalenessSeconds());
                out.append(" s</p>\n<figure class=\"chart\" data-chart=\"timeline\">");
                out.append(charts.timeline(s.sessionDays(), 720, 200));
                out.append("<figcaption>");
                field("secid", s.secid());
                out.append(": candles present and missing per session day</figcaption></figure>\n");
                if (!s.gaps().isEmpty()) {
                    out.append("<details><summary>gaps (the first listed in the report)</summary>\n<table class=\"gaps\">"
                            + "<thead><tr><th>from</th><th>to</th><th>missing</th></tr></thead><tbody>\n");
                    for (int g = 0; g < s.gaps().size(); g++) {
                        Gap gap = s.gaps().get(g);
                        out.append("<tr data-base=\"/secids/").append(i).append("/gaps/").append(g).append("\"><td>");
                        field("from", time(gap.from()));
                        out.append("</td><td>");
                        field("to", time(gap.to()));
                        cell("missing", (double) gap.missing());
                        out.append("</td></tr>\n");
                    }
                    out.append("</tbody></table></details>\n");
                }
                out.append("</article>\n");
            }
            out.append("</section>\n");
        }

        /** All features at a glance: one small histogram each, an odd one framed. */
        private void smallMultiples() {
            out.append("<section id=\"overview\">\n<h2>All features</h2>\n<p class=\"note\">Each feature's histogram "
                    + "(grey: the previous run, blue: this run). Framed red: NaN, infinite or out-of-range values; "
                    + "framed amber: drift at or above a drift check's warn threshold.</p>\n<div class=\"grid\">\n");
            for (int i = 0; i < r.features().size(); i++) {
                FeatureQuality f = r.features().get(i);
                out.append("<a class=\"multiple ").append(oddness(f)).append("\" href=\"#feature-").append(i)
                        .append("\" data-base=\"/features/").append(i).append("\"><span class=\"name\">");
                field("name", f.name());
                out.append("</span>");
                Histogram[] h = histograms(f);
                if (h[1] != null) {
                    out.append("<figure class=\"chart\" data-chart=\"multiple\">")
                            .append(charts.histogram(h[0], h[1], 200, 90, false)).append("</figure>");
                } else {
                    out.append("<span class=\"empty\">no finite value</span>");
                }
                out.append("<span class=\"psi\">psi ");
                number("drift/psi", f.drift() == null ? null : f.drift().psi());
                out.append("</span></a>\n");
            }
            out.append("</div>\n</section>\n");
        }

        /** The previous and current histograms to draw: over the previous run's bins when there is one. */
        private static Histogram[] histograms(FeatureQuality f) {
            if (f.drift() != null && f.drift().previousHistogram() != null && f.drift().histogram() != null) {
                return new Histogram[] {f.drift().previousHistogram(), f.drift().histogram()};
            }
            return new Histogram[] {null, f.histogram()};
        }

        private String oddness(FeatureQuality f) {
            if (f.nan() + f.positiveInfinity() + f.negativeInfinity() > 0 || f.outOfRange() > 0) {
                return "odd-fail";
            }
            if (f.drift() != null) {
                Threshold psi = threshold(QualityCheck.DRIFT_PSI);
                Threshold shift = threshold(QualityCheck.DRIFT_MEAN_SHIFT);
                boolean drifted = f.drift().psi() != null && psi != null && psi.statusOf(f.drift().psi()) != QualityStatus.OK
                        || f.drift().meanShift() != null && shift != null
                                && shift.statusOf(Math.abs(f.drift().meanShift())) != QualityStatus.OK;
                if (drifted) {
                    return "odd-warn";
                }
            }
            return "plain";
        }

        private Threshold threshold(QualityCheck check) {
            return r.check(check).map(CheckResult::threshold).orElse(null);
        }

        private void features() {
            out.append("<section id=\"features\">\n<h2>Features</h2>\n");
            for (int i = 0; i < r.features().size(); i++) {
                FeatureQuality f = r.features().get(i);
                out.append("<article class=\"feature ").append(oddness(f)).append("\" id=\"feature-").append(i)
                        .append("\" data-base=\"/features/").append(i).append("\">\n<h3>");
                field("name", f.name());
                out.append(" <small>");
                field("kind", f.kind().name().toLowerCase(Locale.ROOT));
                out.append("</small></h3>\n<div class=\"row\">\n");
                Histogram[] h = histograms(f);
                if (h[1] != null) {
                    out.append("<figure class=\"chart\" data-chart=\"histogram\">")
                            .append(charts.histogram(h[0], h[1], 520, 220, true)).append("<figcaption>");
                    field("name", f.name());
                    out.append(h[0] == null ? ": this run's finite values" : ": the previous run's and this run's values"
                            + " over the previous run's bins").append("</figcaption></figure>\n");
                }
                out.append("<table class=\"kv\"><tbody>\n");
                kv("values", "values", (double) f.values());
                kv("NaN", "nan", (double) f.nan());
                kv("+inf", "pos_inf", (double) f.positiveInfinity());
                kv("-inf", "neg_inf", (double) f.negativeInfinity());
                kv("out of range", "out_of_range", (double) f.outOfRange());
                kv("valid min", "valid_range/min", f.validRange() == null ? null : f.validRange().min());
                kv("valid max", "valid_range/max", f.validRange() == null ? null : f.validRange().max());
                kv("PSI", "drift/psi", f.drift() == null ? null : f.drift().psi());
                kv("mean shift", "drift/mean_shift", f.drift() == null ? null : f.drift().meanShift());
                String hist = h[0] == null ? "histogram" : "drift/histogram";
                kv("share below the bins", hist + "/below", h[1] == null ? null : h[1].below());
                kv("share above the bins", hist + "/above", h[1] == null ? null : h[1].above());
                out.append("</tbody></table>\n");
                DistributionStats st = f.stats();
                out.append("<table class=\"kv\"><tbody>\n");
                kv("count", "stats/count", (double) st.count());
                kv("mean", "stats/mean", st.mean());
                kv("std", "stats/std", st.std());
                kv("min", "stats/min", st.min());
                kv("p1", "stats/p1", st.p1());
                kv("p5", "stats/p5", st.p5());
                kv("p25", "stats/p25", st.p25());
                kv("p50", "stats/p50", st.p50());
                kv("p75", "stats/p75", st.p75());
                kv("p95", "stats/p95", st.p95());
                kv("p99", "stats/p99", st.p99());
                kv("max", "stats/max", st.max());
                out.append("</tbody></table>\n</div>\n");
                if (!f.outOfRangeExamples().isEmpty()) {
                    out.append("<table class=\"examples\"><thead><tr><th>secid</th><th>open time</th><th>value out of "
                            + "range</th></tr></thead><tbody>\n");
                    for (int e = 0; e < f.outOfRangeExamples().size(); e++) {
                        RangeViolation v = f.outOfRangeExamples().get(e);
                        out.append("<tr data-base=\"/features/").append(i).append("/out_of_range_examples/").append(e)
                                .append("\"><td>");
                        field("secid", v.secid());
                        out.append("</td><td>");
                        field("ts", time(v.ts()));
                        cell("value", v.value());
                        out.append("</td></tr>\n");
                    }
                    out.append("</tbody></table>\n");
                }
                out.append("</article>\n");
            }
            out.append("</section>\n");
        }

        private void kv(String label, String field, Double value) {
            out.append("<tr><th>").append(label).append("</th><td class=\"n\">");
            number(field, value);
            out.append("</td></tr>\n");
        }

        private void dt(String label) {
            out.append("<dt>").append(label).append("</dt><dd>");
        }

        private void number(String field, Double value) {
            out.append("<span data-j=\"").append(field).append("\">").append(format(value)).append("</span>");
        }

        private void field(String field, String value) {
            out.append("<span data-j=\"").append(field).append("\">");
            text(value == null ? NONE : value);
            out.append("</span>");
        }

        private static String time(Instant t) {
            return t == null ? null : t.toString();
        }

        private void text(String s) {
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '&' -> out.append("&amp;");
                    case '"' -> out.append("&quot;");
                    default -> out.append(c);
                }
            }
        }
    }

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#212121;\
            max-width:1200px}
            h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}\
            h3{font-size:15px;margin:16px 0 4px}
            dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}dt{color:#616161}\
            dd{margin:0}
            table{border-collapse:collapse;margin:6px 0}th,td{padding:2px 8px;border-bottom:1px solid #eee;\
            text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .status{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;\
            text-transform:uppercase;background:#e0e0e0}
            .status.ok{background:#c8e6c9}.status.warn{background:#ffe0b2}.status.fail{background:#ffcdd2}\
            .status.skipped{background:#eeeeee;color:#757575}
            tr.blocking td{background:#ffebee}
            table.secids{font-size:12px}
            figure{margin:4px 0}figcaption{font-size:12px;color:#616161}
            .note{color:#616161;font-size:13px}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:8px}
            a.multiple{display:block;border:2px solid #e0e0e0;border-radius:4px;padding:4px;color:inherit;\
            text-decoration:none}
            a.multiple .name{font-weight:600;font-size:12px}a.multiple .psi{font-size:11px;color:#616161}
            .odd-fail{border-color:#c62828 !important}.odd-warn{border-color:#ef6c00 !important}
            article.feature{border-left:4px solid #e0e0e0;padding-left:10px;margin:12px 0}
            article.feature.plain{border-left-color:#e0e0e0}
            .row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            table.kv th{font-weight:normal;color:#616161}
            .empty{display:block;height:90px;color:#9e9e9e;font-size:12px}
            """;
}
