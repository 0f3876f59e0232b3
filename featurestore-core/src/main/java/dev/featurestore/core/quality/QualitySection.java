package dev.featurestore.core.quality;

import static dev.featurestore.core.internal.YamlTree.asList;
import static dev.featurestore.core.internal.YamlTree.asMap;
import static dev.featurestore.core.internal.YamlTree.checkKeys;
import static dev.featurestore.core.internal.YamlTree.scalar;
import static dev.featurestore.core.internal.YamlTree.zone;

import dev.featurestore.api.RegistryException;
import dev.featurestore.core.internal.YamlTree.MapNode;
import dev.featurestore.core.internal.YamlTree.Node;
import dev.featurestore.core.internal.YamlTree.ScalarNode;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the registry's {@code quality:} section into a {@link QualityConfig} (see {@link QualityConfig#parse}). */
final class QualitySection {
    private static final List<String> QUALITY_KEYS = List.of("report_dir", "session", "checks");
    private static final List<String> SESSION_KEYS = List.of("timezone", "open", "close", "weekdays");
    private static final List<String> CHECK_KEYS = List.of("warn", "fail", "blocking");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([smhd])");

    private QualitySection() {
    }

    /**
     * The optional {@code quality:} section over the defaults of {@link QualityConfig}: the session
     * zone defaults to the exchange's; a check's key left out keeps its default, a key set to null
     * ({@code ~}) clears it.
     */
    static QualityConfig read(String source, Node node, ZoneId exchangeZone) {
        QualityConfig.Builder b = QualityConfig.builder().sessionZone(exchangeZone);
        if (node == null || node instanceof ScalarNode && ((ScalarNode) node).isNull) {
            return b.build();
        }
        MapNode q = asMap(source, node);
        checkKeys(source, q, QUALITY_KEYS);
        Node dir = q.entries.get("report_dir");
        if (dir != null) {
            try {
                b.reportDirectory(Path.of(scalar(source, dir)));
            } catch (java.nio.file.InvalidPathException e) {
                throw new RegistryException(source, dir.line, dir.path, "not a valid directory: " + e.getMessage());
            }
        }
        Node sessionNode = q.entries.get("session");
        if (sessionNode != null) {
            MapNode session = asMap(source, sessionNode);
            checkKeys(source, session, SESSION_KEYS);
            QualityConfig defaults = QualityConfig.defaults();
            ZoneId zone = exchangeZone;
            Node tz = session.entries.get("timezone");
            if (tz != null) {
                zone = zone(source, tz);
            }
            LocalTime open = session.entries.containsKey("open") ? time(source, session.entries.get("open"))
                    : defaults.sessionOpen();
            LocalTime close = session.entries.containsKey("close") ? time(source, session.entries.get("close"))
                    : defaults.sessionClose();
            if (!close.isAfter(open)) {
                Node at = session.entries.getOrDefault("close", session);
                throw new RegistryException(source, at.line, session.path + ".close", "session close " + close
                        + " must be after its open " + open + " on the same day");
            }
            b.session(zone, open, close);
            Node days = session.entries.get("weekdays");
            if (days != null) {
                Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
                for (Node d : asList(source, days).items) {
                    DayOfWeek day = weekday(scalar(source, d));
                    if (day == null) {
                        throw new RegistryException(source, d.line, d.path, "unknown weekday '" + scalar(source, d)
                                + "'; use MON, TUE, WED, THU, FRI, SAT, SUN (or the full names)");
                    }
                    if (!set.add(day)) {
                        throw new RegistryException(source, d.line, d.path, "duplicate weekday '" + scalar(source, d) + "'");
                    }
                }
                if (set.isEmpty()) {
                    throw new RegistryException(source, days.line, days.path, "names no weekday");
                }
                b.weekdays(set);
            }
        }
        Node checksNode = q.entries.get("checks");
        if (checksNode != null) {
            MapNode checks = asMap(source, checksNode);
            QualityConfig defaults = QualityConfig.defaults();
            for (Map.Entry<String, Node> e : checks.entries.entrySet()) {
                QualityCheck check = QualityCheck.ofKey(e.getKey());
                if (check == null) {
                    List<String> known = new ArrayList<>();
                    for (QualityCheck c : QualityCheck.values()) {
                        known.add(c.key());
                    }
                    throw new RegistryException(source, e.getValue().line, e.getValue().path, "unknown check '"
                            + e.getKey() + "'; valid checks are " + known);
                }
                MapNode t = asMap(source, e.getValue());
                checkKeys(source, t, CHECK_KEYS);
                Threshold base = defaults.threshold(check);
                Double warn = t.entries.containsKey("warn") ? thresholdValue(source, check, t.entries.get("warn")) : base.warn();
                Double fail = t.entries.containsKey("fail") ? thresholdValue(source, check, t.entries.get("fail")) : base.fail();
                boolean blocking = base.blocking();
                Node bl = t.entries.get("blocking");
                if (bl != null) {
                    String text = scalar(source, bl);
                    if (!"true".equals(text) && !"false".equals(text)) {
                        throw new RegistryException(source, bl.line, bl.path, "blocking must be true or false, got '"
                                + text + "'");
                    }
                    blocking = Boolean.parseBoolean(text);
                }
                if (warn != null && fail != null && warn > fail) {
                    throw new RegistryException(source, t.line, t.path, "warn threshold " + warn
                            + " is above the fail threshold " + fail);
                }
                b.threshold(check, new Threshold(warn, fail, blocking));
            }
        }
        return b.build();
    }

    private static LocalTime time(String source, Node node) {
        String text = scalar(source, node);
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new RegistryException(source, node.line, node.path, "not a time of day: '" + text
                    + "'; write HH:MM, e.g. \"10:00\" (quoted)");
        }
    }

    private static DayOfWeek weekday(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(t) || d.name().substring(0, 3).equals(t)) {
                return d;
            }
        }
        return null;
    }

    /** A threshold: a number, or for staleness a duration (90s, 15m, 2h, 3d, PT2H; a bare number is seconds); null clears. */
    private static Double thresholdValue(String source, QualityCheck check, Node node) {
        if (node instanceof ScalarNode && ((ScalarNode) node).isNull) {
            return null;
        }
        String text = scalar(source, node).strip();
        if (check == QualityCheck.STALENESS) {
            java.util.regex.Matcher m = SHORT_DURATION.matcher(text);
            if (m.matches()) {
                double unit = switch (m.group(2)) {
                    case "s" -> 1;
                    case "m" -> 60;
                    case "h" -> 3600;
                    default -> 86400;
                };
                return Double.parseDouble(m.group(1)) * unit;
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                try {
                    return Duration.parse(text).toMillis() / 1000.0;
                } catch (DateTimeParseException e) {
                    throw new RegistryException(source, node.line, node.path, "not a duration: '" + text
                            + "'; write 90s, 15m, 2h, 3d, an ISO-8601 duration such as PT2H, or seconds");
                }
            }
        }
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v) || v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new RegistryException(source, node.line, node.path, "threshold must be a number >= 0"
                    + (check == QualityCheck.STALENESS ? " of seconds or a duration such as 2h" : "")
                    + " (or ~ for none), got " + node.describe());
        }
    }
}
