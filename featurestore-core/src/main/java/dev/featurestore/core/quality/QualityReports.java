package dev.featurestore.core.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.io.AtomicFiles;
import dev.featurestore.core.quality.QualityReport.CheckResult;
import dev.featurestore.core.quality.QualityReport.DistributionStats;
import dev.featurestore.core.quality.QualityReport.Drift;
import dev.featurestore.core.quality.QualityReport.FeatureQuality;
import dev.featurestore.core.quality.QualityReport.Gap;
import dev.featurestore.core.quality.QualityReport.Histogram;
import dev.featurestore.core.quality.QualityReport.RangeViolation;
import dev.featurestore.core.quality.QualityReport.SecidQuality;
import dev.featurestore.core.quality.QualityReport.SessionDay;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes and reads data-quality reports as pretty JSON files named
 * {@code {feature_set}_{timeframe}_{run_id}.json}, by default under {@code docs/data_quality/}.
 *
 * <p>A report is written whole or not at all: to a temporary file in the same directory, then
 * moved into place atomically. A write that fails is a {@link StorageException}; a file that is not
 * a report is a {@link QualityReportException} naming the file and field.
 */
public final class QualityReports {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private QualityReports() {
    }

    /**
     * The file name of a report: {@code tech_v2_5m_run-42.json}.
     *
     * @param featureSet the feature set's name
     * @param timeframe the timeframe as text, e.g. {@code 5m}
     * @param runId the run's id
     * @return {@code {featureSet}_{timeframe}_{runId}.json}
     * @throws IllegalArgumentException when a part is not a letter or digit followed by letters,
     *     digits, {@code .}, {@code _} or {@code -} (at most 128), so that it can name a file
     */
    public static String fileName(String featureSet, String timeframe, String runId) {
        QualityReport.checkName("feature set", featureSet);
        QualityReport.checkName("timeframe", timeframe);
        QualityReport.checkName("run id", runId);
        return featureSet + "_" + timeframe + "_" + runId + ".json";
    }

    /**
     * Writes a report into {@code directory} (created when missing), replacing a report of the same
     * run, atomically.
     *
     * @param report the report to write
     * @param directory the report directory, created when missing
     * @return the file written
     * @throws StorageException when the file cannot be written
     */
    public static Path write(QualityReport report, Path directory) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(directory, "directory");
        Path target = directory.resolve(fileName(report.featureSet(), report.timeframe(), report.runId()));
        byte[] json = toJson(report).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(target, json);
        } catch (StorageException e) {
            throw new StorageException("cannot write quality report " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /**
     * Reads a report file.
     *
     * @param file a report file, UTF-8 JSON as {@link #toJson(QualityReport)} writes it
     * @return the report
     * @throws QualityReportException when the file is not a report of this format
     * @throws StorageException when the file cannot be read
     */
    public static QualityReport read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StorageException("cannot read quality report " + file + ": " + e, e);
        }
        return fromJson(file.toString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The latest report (by {@code generated_at}) of a feature set and timeframe in a directory,
     * other than the run {@code exceptRunId} (the current one; may be null): the baseline for drift.
     * Empty when the directory or such a report does not exist.
     *
     * @param directory the report directory
     * @param featureSet the feature set's name
     * @param timeframe the reports' timeframe
     * @param exceptRunId the run id to leave out, or null to consider every run
     * @return the report generated last, or empty
     * @throws QualityReportException when a file named as a report of the set is not one
     * @throws StorageException when the directory cannot be listed or a report cannot be read
     */
    public static Optional<QualityReport> findPrevious(Path directory, String featureSet, Timeframe timeframe,
            String exceptRunId) {
        String prefix = featureSet + "_" + timeframe + "_";
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        QualityReport best = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*.json")) {
            for (Path f : files) {
                QualityReport r = read(f);
                if (!r.featureSet().equals(featureSet) || !r.timeframe().equals(timeframe.toString())
                        || r.runId().equals(exceptRunId)) {
                    continue; // e.g. tech_v2_5m_... matched by a set named tech_v2_5m's prefix
                }
                if (best == null || r.generatedAt().isAfter(best.generatedAt())) {
                    best = r;
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list quality reports in " + directory + ": " + e, e);
        }
        return Optional.ofNullable(best);
    }

    // ------------------------------------------------------------------ writing

    /**
     * The report as pretty JSON.
     *
     * @param r the report
     * @return the JSON text, indented, with {@code format_version} first; NaN as null and infinities
     *     as {@code "inf"} and {@code "-inf"}
     */
    public static String toJson(QualityReport r) {
        ObjectNode root = NODES.objectNode();
        root.put("format_version", r.formatVersion());
        root.put("feature_set", r.featureSet());
        root.put("timeframe", r.timeframe());
        root.put("run_id", r.runId());
        putText(root, "fingerprint", r.fingerprint());
        root.put("generated_at", r.generatedAt().toString());
        if (r.rangeFrom() == null) {
            root.putNull("range");
        } else {
            ObjectNode range = root.putObject("range");
            range.put("from", r.rangeFrom().toString());
            range.put("to", r.rangeTo().toString());
        }
        putText(root, "previous_run_id", r.previousRunId());
        root.put("status", r.status().jsonName());
        root.put("blocking_failure", r.blockingFailure());
        ArrayNode checks = root.putArray("checks");
        for (CheckResult c : r.checks()) {
            ObjectNode n = checks.addObject();
            n.put("name", c.check().key());
            n.put("status", c.status().jsonName());
            putNumber(n, "value", c.value());
            putNumber(n, "warn", c.threshold().warn());
            putNumber(n, "fail", c.threshold().fail());
            n.put("blocking", c.threshold().blocking());
            n.put("message", c.message());
        }
        ArrayNode secids = root.putArray("secids");
        for (SecidQuality s : r.secids()) {
            ObjectNode n = secids.addObject();
            n.put("secid", s.secid());
            n.put("candles", s.candles());
            n.put("clean_rows", s.cleanRows());
            putTime(n, "first_ts", s.firstTs());
            putTime(n, "last_ts", s.lastTs());
            n.put("expected_candles", s.expectedCandles());
            n.put("present_candles", s.presentCandles());
            n.put("missing_candles", s.missingCandles());
            putNumber(n, "missing_fraction", s.missingFraction());
            n.put("unexpected_candles", s.unexpectedCandles());
            n.put("gap_count", s.gapCount());
            ArrayNode gaps = n.putArray("gaps");
            for (Gap g : s.gaps()) {
                ObjectNode gn = gaps.addObject();
                gn.put("from", g.from().toString());
                gn.put("to", g.to().toString());
                gn.put("missing", g.missing());
            }
            putLong(n, "raw_rows", s.rawRows());
            putLong(n, "duplicates", s.duplicates());
            putLong(n, "out_of_order", s.outOfOrder());
            putTime(n, "last_available_at", s.lastAvailableAt());
            putNumber(n, "staleness_seconds", s.stalenessSeconds());
            ObjectNode days = n.putObject("session_days");
            ArrayNode dates = days.putArray("dates");
            ArrayNode expected = days.putArray("expected");
            ArrayNode present = days.putArray("present");
            ArrayNode missing = days.putArray("missing");
            for (SessionDay d : s.sessionDays()) {
                dates.add(d.date().toString());
                expected.add(d.expected());
                present.add(d.present());
                missing.add(d.missing());
            }
        }
        ArrayNode features = root.putArray("features");
        for (FeatureQuality f : r.features()) {
            ObjectNode n = features.addObject();
            n.put("name", f.name());
            n.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
            n.put("values", f.values());
            n.put("nan", f.nan());
            n.put("pos_inf", f.positiveInfinity());
            n.put("neg_inf", f.negativeInfinity());
            n.put("out_of_range", f.outOfRange());
            if (f.validRange() == null) {
                n.putNull("valid_range");
            } else {
                ObjectNode vr = n.putObject("valid_range");
                putNumber(vr, "min", f.validRange().min());
                putNumber(vr, "max", f.validRange().max());
                vr.put("integral", f.validRange().integral());
            }
            ArrayNode ex = n.putArray("out_of_range_examples");
            for (RangeViolation v : f.outOfRangeExamples()) {
                ObjectNode vn = ex.addObject();
                vn.put("secid", v.secid());
                vn.put("ts", v.ts().toString());
                putNumber(vn, "value", v.value());
            }
            DistributionStats st = f.stats();
            ObjectNode sn = n.putObject("stats");
            sn.put("count", st.count());
            putNumber(sn, "mean", st.mean());
            putNumber(sn, "std", st.std());
            putNumber(sn, "min", st.min());
            putNumber(sn, "p1", st.p1());
            putNumber(sn, "p5", st.p5());
            putNumber(sn, "p25", st.p25());
            putNumber(sn, "p50", st.p50());
            putNumber(sn, "p75", st.p75());
            putNumber(sn, "p95", st.p95());
            putNumber(sn, "p99", st.p99());
            putNumber(sn, "max", st.max());
            if (st.binShares() == null) {
                sn.putNull("bin_shares");
            } else {
                ArrayNode shares = sn.putArray("bin_shares");
                for (Double share : st.binShares()) {
                    shares.add(share);
                }
            }
            if (f.drift() == null) {
                n.putNull("drift");
            } else {
                ObjectNode dn = n.putObject("drift");
                putNumber(dn, "mean_shift", f.drift().meanShift());
                putNumber(dn, "psi", f.drift().psi());
                putHistogram(dn, "previous_histogram", f.drift().previousHistogram());
                putHistogram(dn, "histogram", f.drift().histogram());
            }
            putHistogram(n, "histogram", f.histogram());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static void putHistogram(ObjectNode n, String field, Histogram h) {
        if (h == null) {
            n.putNull(field);
            return;
        }
        ObjectNode hn = n.putObject(field);
        ArrayNode edges = hn.putArray("edges");
        h.edges().forEach(edges::add);
        ArrayNode shares = hn.putArray("shares");
        h.shares().forEach(shares::add);
        hn.put("below", h.below());
        hn.put("above", h.above());
    }

    private static void putText(ObjectNode n, String field, String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }

    private static void putTime(ObjectNode n, String field, Instant value) {
        putText(n, field, value == null ? null : value.toString());
    }

    private static void putLong(ObjectNode n, String field, Long value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value.longValue());
        }
    }

    /** Numbers as JSON numbers; infinities as the strings "inf"/"-inf" (JSON has none), NaN and null as null. */
    private static void putNumber(ObjectNode n, String field, Double value) {
        if (value == null || value.isNaN()) {
            n.putNull(field);
        } else if (value.isInfinite()) {
            n.put(field, value > 0 ? "inf" : "-inf");
        } else {
            n.put(field, value.doubleValue());
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a report from its JSON text.
     *
     * @param source what the text is, e.g. the file's path; it names the report in errors
     * @param json the JSON text, as {@link #toJson(QualityReport)} writes it
     * @return the report
     * @throws QualityReportException when the text is not JSON, a field is missing or of the wrong
     *     type, or the format version is not supported
     */
    public static QualityReport fromJson(String source, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new QualityReportException(source, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        Reader in = new Reader(source);
        if (root == null || !root.isObject()) {
            throw new QualityReportException(source, "expected a JSON object", null);
        }
        int version = (int) in.longValue(root, "format_version");
        if (version != QualityReport.FORMAT_VERSION) {
            throw new QualityReportException(source, "format_version " + version + " is not supported; this library reads "
                    + QualityReport.FORMAT_VERSION, null);
        }
        try {
            JsonNode range = in.node(root, "range", true);
            List<CheckResult> checks = new ArrayList<>();
            for (JsonNode c : in.array(root, "checks")) {
                String name = in.text(c, "name");
                QualityCheck check = QualityCheck.ofKey(name);
                if (check == null) {
                    throw new QualityReportException(source, "unknown check '" + name + "'", null);
                }
                checks.add(new CheckResult(check, in.status(c, "status"), in.number(c, "value"),
                        new Threshold(in.number(c, "warn"), in.number(c, "fail"), in.bool(c, "blocking")),
                        in.text(c, "message")));
            }
            List<SecidQuality> secids = new ArrayList<>();
            for (JsonNode s : in.array(root, "secids")) {
                List<Gap> gaps = new ArrayList<>();
                for (JsonNode g : in.array(s, "gaps")) {
                    gaps.add(new Gap(in.time(g, "from"), in.time(g, "to"), in.longValue(g, "missing")));
                }
                secids.add(new SecidQuality(in.text(s, "secid"), in.longValue(s, "candles"), in.longValue(s, "clean_rows"),
                        in.time(s, "first_ts"), in.time(s, "last_ts"), in.longValue(s, "expected_candles"),
                        in.longValue(s, "present_candles"), in.longValue(s, "missing_candles"),
                        in.number(s, "missing_fraction"), in.longValue(s, "unexpected_candles"),
                        in.longValue(s, "gap_count"), gaps, in.optionalLong(s, "raw_rows"),
                        in.optionalLong(s, "duplicates"), in.optionalLong(s, "out_of_order"),
                        in.time(s, "last_available_at"), in.number(s, "staleness_seconds"), sessionDays(in, s)));
            }
            List<FeatureQuality> features = new ArrayList<>();
            for (JsonNode f : in.array(root, "features")) {
                JsonNode vr = in.node(f, "valid_range", true);
                ValidRange range1 = vr == null ? null
                        : new ValidRange(in.number(vr, "min"), in.number(vr, "max"), in.bool(vr, "integral"));
                List<RangeViolation> examples = new ArrayList<>();
                for (JsonNode v : in.array(f, "out_of_range_examples")) {
                    examples.add(new RangeViolation(in.text(v, "secid"), in.time(v, "ts"), in.number(v, "value")));
                }
                JsonNode st = in.node(f, "stats", false);
                DistributionStats stats = new DistributionStats(in.longValue(st, "count"), in.number(st, "mean"),
                        in.number(st, "std"), in.number(st, "min"), in.number(st, "p1"), in.number(st, "p5"),
                        in.number(st, "p25"), in.number(st, "p50"), in.number(st, "p75"), in.number(st, "p95"),
                        in.number(st, "p99"), in.number(st, "max"), binShares(in, st));
                JsonNode dn = in.node(f, "drift", true);
                Drift drift = dn == null ? null : new Drift(in.number(dn, "mean_shift"), in.number(dn, "psi"),
                        histogram(in, dn, "previous_histogram"), histogram(in, dn, "histogram"));
                FeatureKind kind;
                try {
                    kind = FeatureKind.valueOf(in.text(f, "kind").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new QualityReportException(source, "field 'kind' must be numeric or categorical", e);
                }
                features.add(new FeatureQuality(in.text(f, "name"), kind, in.longValue(f, "values"), in.longValue(f, "nan"),
                        in.longValue(f, "pos_inf"), in.longValue(f, "neg_inf"), in.longValue(f, "out_of_range"), range1,
                        examples, stats, drift, histogram(in, f, "histogram")));
            }
            return new QualityReport(version, in.text(root, "feature_set"), in.text(root, "timeframe"),
                    in.text(root, "run_id"), in.time(root, "generated_at"), range == null ? null : in.time(range, "from"),
                    range == null ? null : in.time(range, "to"), in.optionalText(root, "previous_run_id"),
                    in.status(root, "status"), in.bool(root, "blocking_failure"), checks, secids, features,
                    in.optionalText(root, "fingerprint"));
        } catch (IllegalArgumentException e) {
            throw new QualityReportException(source, "inconsistent report: " + e.getMessage(), e);
        }
    }

    /** A secid's {@code session_days}: empty when missing (reports written before they were kept). */
    private static List<SessionDay> sessionDays(Reader in, JsonNode secid) {
        JsonNode n = secid.get("session_days");
        List<SessionDay> days = new ArrayList<>();
        if (n == null || n.isNull()) {
            return days;
        }
        List<Double> expected = in.numbers(n, "expected");
        List<Double> present = in.numbers(n, "present");
        List<Double> missing = in.numbers(n, "missing");
        int k = 0;
        for (JsonNode d : in.array(n, "dates")) {
            if (k >= expected.size() || k >= present.size() || k >= missing.size()) {
                throw new QualityReportException(in.source, "field 'session_days' must hold arrays of one length", null);
            }
            LocalDate date;
            try {
                date = LocalDate.parse(d.asText());
            } catch (DateTimeException e) {
                throw new QualityReportException(in.source, "field 'dates' must hold dates such as 2024-01-08", e);
            }
            days.add(new SessionDay(date, expected.get(k).longValue(), present.get(k).longValue(),
                    missing.get(k).longValue()));
            k++;
        }
        if (k != expected.size() || k != present.size() || k != missing.size()) {
            throw new QualityReportException(in.source, "field 'session_days' must hold arrays of one length", null);
        }
        return days;
    }

    /** A histogram field: null when missing or null (reports written before they were kept). */
    private static Histogram histogram(Reader in, JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        Double below = in.number(n, "below");
        Double above = in.number(n, "above");
        if (below == null || above == null) {
            throw new QualityReportException(in.source, "field '" + field + "' must have numbers 'below' and 'above'", null);
        }
        return new Histogram(in.numbers(n, "edges"), in.numbers(n, "shares"), below, above);
    }

    /** Typed field access that names the missing or mistyped field. */
    /** A stats node's {@code bin_shares}: null when missing or null (reports of older versions), else eight numbers. */
    private static List<Double> binShares(Reader in, JsonNode stats) {
        JsonNode n = stats.get("bin_shares");
        if (n == null || n.isNull()) {
            return null;
        }
        List<Double> shares = new ArrayList<>();
        for (JsonNode share : in.array(stats, "bin_shares")) {
            if (!share.isNumber()) {
                throw new QualityReportException(in.source, "field 'bin_shares' must hold numbers", null);
            }
            shares.add(share.doubleValue());
        }
        return shares;
    }

    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        private QualityReportException bad(String field, String expected) {
            return new QualityReportException(source, "field '" + field + "' must be " + expected, null);
        }

        JsonNode node(JsonNode parent, String field, boolean nullable) {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull()) {
                if (nullable && n != null) {
                    return null;
                }
                throw bad(field, nullable ? "present (null allowed)" : "an object");
            }
            if (!n.isObject()) {
                throw bad(field, "an object");
            }
            return n;
        }

        Iterable<JsonNode> array(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isArray()) {
                throw bad(field, "an array");
            }
            return n;
        }

        String text(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isTextual()) {
                throw bad(field, "a string");
            }
            return n.asText();
        }

        String optionalText(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            return n == null || n.isNull() ? null : text(parent, field);
        }

        boolean bool(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isBoolean()) {
                throw bad(field, "true or false");
            }
            return n.booleanValue();
        }

        long longValue(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.canConvertToExactIntegral() || !n.isNumber()) {
                throw bad(field, "a whole number");
            }
            return n.longValue();
        }

        Long optionalLong(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            return n == null || n.isNull() ? null : longValue(parent, field);
        }

        Double number(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (n.isNumber()) {
                return n.doubleValue();
            }
            if (n.isTextual() && ("inf".equals(n.asText()) || "-inf".equals(n.asText()))) {
                return "inf".equals(n.asText()) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            }
            throw bad(field, "a number, \"inf\", \"-inf\" or null");
        }

        Instant time(JsonNode parent, String field) {
            String t = optionalText(parent, field);
            if (t == null) {
                return null;
            }
            try {
                return Instant.parse(t);
            } catch (DateTimeException e) {
                throw bad(field, "an ISO-8601 instant such as 2024-01-08T07:00:00Z");
            }
        }

        List<Double> numbers(JsonNode parent, String field) {
            List<Double> out = new ArrayList<>();
            for (JsonNode v : array(parent, field)) {
                if (!v.isNumber()) {
                    throw bad(field, "an array of numbers");
                }
                out.add(v.doubleValue());
            }
            return out;
        }

        QualityStatus status(JsonNode parent, String field) {
            String t = text(parent, field);
            try {
                return QualityStatus.ofJsonName(t);
            } catch (IllegalArgumentException e) {
                throw bad(field, "one of ok, warn, fail, skipped");
            }
        }
    }
}
