package dev.featurestore.core.registry;

import java.util.Collection;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.FeatureSetChangedException;
import static dev.featurestore.core.internal.YamlTree.asList;
import static dev.featurestore.core.internal.YamlTree.asMap;
import static dev.featurestore.core.internal.YamlTree.checkKeys;
import static dev.featurestore.core.internal.YamlTree.require;
import static dev.featurestore.core.internal.YamlTree.scalar;
import static dev.featurestore.core.internal.YamlTree.zone;

import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.RegistryException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.UnknownFeatureSetException;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.api.indicator.IndicatorProvider;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.label.LabelDefinition;
import dev.featurestore.core.label.UnknownLabelException;
import dev.featurestore.core.quality.QualityCheck;
import dev.featurestore.core.internal.YamlTree;
import dev.featurestore.core.internal.YamlTree.ListNode;
import dev.featurestore.core.internal.YamlTree.MapNode;
import dev.featurestore.core.internal.YamlTree.Node;
import dev.featurestore.core.quality.QualityConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The registry of feature sets, read from YAML ({@code config/feature_store.yaml}): each set's
 * description, ordered features, default window and allowed timeframes, checked against the
 * features that the {@link IndicatorProvider}s on the class path define.
 *
 * <pre>{@code
 * version: 1
 * exchange:
 *   timezone: Europe/Moscow        # the trading day of a 1d candle (the default)
 * feature_sets:
 *   tech_v1:
 *     description: Seventeen technical features.
 *     default_window_size: 60
 *     timeframes: [5m, 1h]
 *     features: [return_1, sma_ratio_5_20, ...]
 * labels:                          # optional: the targets of training datasets (see LabelDefinition)
 *   fwd_ret_12: {kind: forward_return, horizon: 12}
 *   fwd_sign_12: {kind: sign, horizon: 12, threshold: 0.001}
 * quality:                         # optional: the data-quality report (see QualityConfig)
 *   report_dir: docs/data_quality
 *   session: {timezone: Europe/Moscow, open: "10:00", close: "18:40", weekdays: [MON, TUE, WED, THU, FRI]}
 *   checks:
 *     missing_candles: {warn: 0.01, fail: 0.10, blocking: false}
 *     staleness: {warn: 1d, fail: 7d}
 * }</pre>
 *
 * <p>Each set has a {@linkplain #fingerprint(String) fingerprint}, a SHA-256 over its definition
 * (features with kinds, inputs, parameters and their providers' definition versions; timeframes
 * with their bucketing rules), stored with every build and snapshot so that a set whose definition
 * changed under the same name is refused instead of mixing two definitions.
 *
 * <p>Immutable and thread-safe. Errors are {@link RegistryException}s naming the file, line and
 * key: an unknown key, an unknown or duplicate feature, a window below 1, a bad timeframe.
 */
public final class FeatureRegistry {
    /** The class-path resource holding the built-in registry, a copy of {@code config/feature_store.yaml}. */
    public static final String BUILTIN_RESOURCE = "dev/featurestore/feature_store.yaml";

    private static final Pattern SET_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final List<String> TOP_KEYS = List.of("version", "exchange", "feature_sets", "labels",
            "quality");
    private static final List<String> LABEL_KEYS = List.of("description", "kind", "horizon", "threshold");
    private static final List<String> EXCHANGE_KEYS = List.of("timezone");
    private static final List<String> SET_KEYS = List.of("description", "default_window_size", "timeframes", "features");

    private final String source;
    private final ZoneId exchangeZone;
    private final Map<String, FeatureSetSpec> sets;
    private final Map<String, Indicator> indicators;
    private final Map<String, String> definitionVersions;
    private final Map<String, String> fingerprints;
    private final QualityConfig quality;
    private final Map<String, LabelDefinition> labels;

    private FeatureRegistry(String source, ZoneId exchangeZone, Map<String, FeatureSetSpec> sets,
            Provided provided, Map<String, String> fingerprints, QualityConfig quality,
            Map<String, LabelDefinition> labels) {
        this.source = source;
        this.exchangeZone = exchangeZone;
        this.sets = Collections.unmodifiableMap(sets);
        this.indicators = Collections.unmodifiableMap(provided.indicators);
        this.definitionVersions = Collections.unmodifiableMap(provided.versions);
        this.fingerprints = Collections.unmodifiableMap(fingerprints);
        this.quality = quality;
        this.labels = Collections.unmodifiableMap(labels);
    }

    /** The features of the providers, by name, and each feature's provider definition version. */
    private record Provided(Map<String, Indicator> indicators, Map<String, String> versions) {
    }

    /**
     * {@return the registry that ships inside the jar (the same text as {@code
     * config/feature_store.yaml}), read once with the providers of this library's class loader}
     */
    public static FeatureRegistry builtin() {
        return Builtin.INSTANCE;
    }

    private static final class Builtin {
        static final FeatureRegistry INSTANCE = loadResource();

        private static FeatureRegistry loadResource() {
            InputStream in = FeatureRegistry.class.getResourceAsStream("/" + BUILTIN_RESOURCE);
            if (in == null) {
                throw new RegistryException(BUILTIN_RESOURCE, 0, null, "the built-in registry is missing from the class path");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return read("classpath:" + BUILTIN_RESOURCE, reader, loadIndicators(FeatureRegistry.class.getClassLoader()));
            } catch (IOException e) {
                throw new RegistryException(BUILTIN_RESOURCE, 0, null, "cannot be read: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads a registry file, with the indicator providers visible to this library's class loader.
     *
     * @param file the YAML file, UTF-8, e.g. {@code config/feature_store.yaml}; its path names it in errors
     * @return the registry, checked against the providers' features
     * @throws RegistryException naming file, line and key when the file cannot be read or is invalid
     */
    public static FeatureRegistry load(Path file) {
        Objects.requireNonNull(file, "file");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.toString(), reader, loadIndicators(contextLoader()));
        } catch (IOException e) {
            throw new RegistryException(file.toString(), 0, null, "cannot be read: " + e, e);
        }
    }

    /**
     * Reads a registry from YAML text, with the indicator providers visible to this library's
     * class loader.
     *
     * @param sourceName what the text is, e.g. a file name or {@code "test"}; it names the registry in errors
     * @param yaml the registry's YAML text
     * @return the registry, checked against the providers' features
     * @throws RegistryException naming source, line and key when the text is invalid
     */
    public static FeatureRegistry parse(String sourceName, String yaml) {
        return read(sourceName, new StringReader(yaml), loadIndicators(contextLoader()));
    }

    /**
     * Reads a registry from YAML text with exactly these indicator providers, instead of those
     * {@link ServiceLoader} finds on the class path (for tests, and for applications that wire
     * their providers themselves).
     *
     * @param sourceName what the text is, e.g. a file name or {@code "test"}; it names the registry in errors
     * @param yaml the registry's YAML text
     * @param providers the only providers whose features the sets may name; one provider given twice counts once
     * @return the registry, checked against these providers' features
     * @throws RegistryException when two providers define one feature, or as {@link #parse(String, String)}
     */
    public static FeatureRegistry parse(String sourceName, String yaml, List<? extends IndicatorProvider> providers) {
        Objects.requireNonNull(providers, "providers");
        return read(sourceName, new StringReader(yaml), provided(List.copyOf(providers)));
    }

    private static ClassLoader contextLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : FeatureRegistry.class.getClassLoader();
    }

    private static Provided loadIndicators(ClassLoader loader) {
        return provided(ServiceLoader.load(IndicatorProvider.class, loader));
    }

    private static Provided provided(Iterable<? extends IndicatorProvider> providers) {
        Map<String, Indicator> all = new TreeMap<>();
        Map<String, String> owner = new LinkedHashMap<>();
        Map<String, String> versions = new TreeMap<>();
        for (IndicatorProvider provider : providers) {
            String version = provider.definitionVersion();
            if (version == null || version.isEmpty() || version.chars().anyMatch(Character::isISOControl)) {
                throw new RegistryException("indicator providers", 0, null, "provider "
                        + provider.getClass().getName() + " gives the definition version "
                        + (version == null ? "null" : "'" + version + "'")
                        + "; give a non-empty text without control characters, such as \"1\"");
            }
            for (Indicator indicator : provider.indicators()) {
                String previous = owner.putIfAbsent(indicator.name(), provider.getClass().getName());
                if (previous != null) {
                    if (previous.equals(provider.getClass().getName())) {
                        continue;
                    }
                    throw new RegistryException("indicator providers", 0, null, "feature '" + indicator.name()
                            + "' is defined by both " + previous + " and " + provider.getClass().getName());
                }
                all.put(indicator.name(), indicator);
                versions.put(indicator.name(), version);
            }
        }
        return new Provided(all, versions);
    }

    private static FeatureRegistry read(String source, Reader reader, Provided provided) {
        Map<String, Indicator> indicators = provided.indicators;
        Node root = YamlTree.read(source, reader);
        MapNode top = asMap(source, root);
        checkKeys(source, top, TOP_KEYS);
        Node version = top.entries.get("version");
        if (version != null && !"1".equals(scalar(source, version))) {
            throw new RegistryException(source, version.line, "version",
                    "unsupported registry version '" + scalar(source, version) + "'; this library reads version 1");
        }
        ZoneId zone = ExchangeCalendar.DEFAULT_ZONE;
        Node exchange = top.entries.get("exchange");
        if (exchange != null) {
            MapNode ex = asMap(source, exchange);
            checkKeys(source, ex, EXCHANGE_KEYS);
            Node tz = ex.entries.get("timezone");
            if (tz != null) {
                zone = zone(source, tz);
            }
        }
        Node setsNode = top.entries.get("feature_sets");
        if (setsNode == null) {
            throw new RegistryException(source, top.line, "feature_sets", "missing key 'feature_sets'");
        }
        MapNode setsMap = asMap(source, setsNode);
        Map<String, FeatureSetSpec> sets = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : setsMap.entries.entrySet()) {
            FeatureSetSpec spec = readSet(source, e.getKey(), e.getValue(), indicators);
            sets.put(e.getKey(), spec);
            try {
                fingerprints.put(e.getKey(), SetFingerprint.of(spec, indicatorsOf(spec, indicators, source),
                        provided.versions, zone));
            } catch (IllegalArgumentException ex) {
                throw new RegistryException(source, e.getValue().line, e.getValue().path + ".features",
                        ex.getMessage());
            }
        }
        if (sets.isEmpty()) {
            throw new RegistryException(source, setsMap.line, "feature_sets", "defines no feature set");
        }
        Node qualityNode = top.entries.get("quality");
        QualityConfig qualityConfig = QualityConfig.parse(source, qualityNode, zone);
        Map<String, LabelDefinition> labels = readLabels(source, top.entries.get("labels"), indicators);
        return new FeatureRegistry(source, zone, sets, provided, fingerprints, qualityConfig, labels);
    }

    private static Map<String, LabelDefinition> readLabels(String source, Node node, Map<String, Indicator> indicators) {
        Map<String, LabelDefinition> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        for (Map.Entry<String, Node> e : asMap(source, node).entries.entrySet()) {
            String name = e.getKey();
            MapNode label = asMap(source, e.getValue());
            checkKeys(source, label, LABEL_KEYS);
            if (indicators.containsKey(name)) {
                throw new RegistryException(source, label.line, label.path, "label '" + name
                        + "' has the name of a feature; labels live apart from features, so give it another name");
            }
            Node kindNode = require(source, label, "kind");
            Node horizonNode = require(source, label, "horizon");
            Node thresholdNode = label.entries.get("threshold");
            Node description = label.entries.get("description");
            LabelDefinition.Kind kind;
            try {
                kind = LabelDefinition.Kind.parse(scalar(source, kindNode));
            } catch (IllegalArgumentException ex) {
                throw new RegistryException(source, kindNode.line, kindNode.path, ex.getMessage());
            }
            int horizon;
            try {
                horizon = Integer.parseInt(scalar(source, horizonNode));
            } catch (NumberFormatException ex) {
                throw new RegistryException(source, horizonNode.line, horizonNode.path,
                        "horizon must be a whole number of bars >= 1, got " + horizonNode.describe());
            }
            double threshold = 0;
            if (thresholdNode != null) {
                try {
                    threshold = Double.parseDouble(scalar(source, thresholdNode));
                } catch (NumberFormatException ex) {
                    throw new RegistryException(source, thresholdNode.line, thresholdNode.path,
                            "threshold must be a number >= 0, got " + thresholdNode.describe());
                }
            }
            try {
                out.put(name, new LabelDefinition(name, kind, horizon, threshold,
                        description == null ? "" : scalar(source, description).strip()));
            } catch (IllegalArgumentException ex) {
                throw new RegistryException(source, label.line, label.path, ex.getMessage());
            }
        }
        return out;
    }

    private static FeatureSetSpec readSet(String source, String name, Node node, Map<String, Indicator> indicators) {
        if (!SET_NAME.matcher(name).matches()) {
            throw new RegistryException(source, node.line, node.path, "bad feature set name '" + name
                    + "': use a lower-case letter, then lower-case letters, digits or underscores (at most 63)");
        }
        MapNode set = asMap(source, node);
        checkKeys(source, set, SET_KEYS);
        Node description = set.entries.get("description");
        Node window = require(source, set, "default_window_size");
        int windowSize;
        try {
            windowSize = Integer.parseInt(scalar(source, window));
        } catch (NumberFormatException e) {
            throw new RegistryException(source, window.line, window.path, "default_window_size must be a whole number >= 1, got "
                    + window.describe());
        }
        if (windowSize < 1) {
            throw new RegistryException(source, window.line, window.path, "default_window_size must be >= 1, got "
                    + windowSize);
        }
        List<Timeframe> timeframes = new ArrayList<>();
        for (Node tf : asList(source, require(source, set, "timeframes")).items) {
            Timeframe parsed;
            try {
                parsed = Timeframe.parse(scalar(source, tf));
            } catch (IllegalArgumentException e) {
                throw new RegistryException(source, tf.line, tf.path, "unknown timeframe: " + e.getMessage());
            }
            if (timeframes.contains(parsed)) {
                throw new RegistryException(source, tf.line, tf.path, "duplicate timeframe '" + parsed + "'");
            }
            timeframes.add(parsed);
        }
        if (timeframes.isEmpty()) {
            throw new RegistryException(source, set.line, name + ".timeframes", "names no timeframe");
        }
        List<String> features = new ArrayList<>();
        ListNode featureList = asList(source, require(source, set, "features"));
        for (Node f : featureList.items) {
            String feature = scalar(source, f);
            if (!indicators.containsKey(feature)) {
                throw new RegistryException(source, f.line, f.path, "unknown feature '" + feature + "' in set '" + name
                        + "'; known features: " + indicators.keySet());
            }
            if (features.contains(feature)) {
                throw new RegistryException(source, f.line, f.path, "duplicate feature '" + feature + "' in set '" + name + "'");
            }
            features.add(feature);
        }
        if (features.isEmpty()) {
            throw new RegistryException(source, featureList.line, featureList.path, "set '" + name + "' names no feature");
        }
        return new FeatureSetSpec(name, description == null ? "" : scalar(source, description).strip(), features,
                windowSize, timeframes);
    }

    /** {@return where this registry was read from: the file's path, {@code classpath:...}, or the source name given} */
    public String source() {
        return source;
    }

    /**
     * {@return the exchange's time zone ({@code exchange.timezone}), which decides the day of a
     * {@code 1d} candle ({@code Europe/Moscow} unless set)}
     */
    public ZoneId exchangeZone() {
        return exchangeZone;
    }

    /**
     * The trading days of {@link #exchangeZone()}: the {@code ts} of a {@code 1d} candle, every
     * {@code available_at}, and the dates of {@code 1d} ranges and snapshot names.
     *
     * @return the calendar of the exchange zone
     */
    public ExchangeCalendar calendar() {
        return ExchangeCalendar.of(exchangeZone);
    }

    /**
     * The data-quality settings of the {@code quality:} section: session schedule, report
     * directory and thresholds ({@link QualityConfig#defaults()} with the exchange's zone when the
     * section is absent).
     *
     * @return the quality settings, never null
     */
    public QualityConfig quality() {
        return quality;
    }

    /** {@return the feature set names, in file order; never empty} */
    public List<String> featureSetNames() {
        return List.copyOf(sets.keySet());
    }

    /**
     * One feature set.
     *
     * @param name the set's name, as under {@code feature_sets:}
     * @return the set's definition
     * @throws UnknownFeatureSetException listing the known sets
     */
    public FeatureSetSpec featureSet(String name) {
        FeatureSetSpec spec = sets.get(Objects.requireNonNull(name, "feature set name"));
        if (spec == null) {
            throw new UnknownFeatureSetException(name, featureSetNames());
        }
        return spec;
    }

    /** {@return the label names of the {@code labels:} section, in file order; empty when it has none} */
    public List<String> labelNames() {
        return List.copyOf(labels.keySet());
    }

    /**
     * One label of the {@code labels:} section.
     *
     * @param name the label's name, e.g. {@code fwd_ret_12}
     * @return its definition
     * @throws UnknownLabelException listing the labels the registry defines
     */
    public LabelDefinition label(String name) {
        LabelDefinition label = labels.get(Objects.requireNonNull(name, "label name"));
        if (label == null) {
            throw new UnknownLabelException(name, labelNames());
        }
        return label;
    }

    /** {@return all features the registry's providers define, by name in ascending order; unmodifiable} */
    public Map<String, Indicator> indicators() {
        return indicators;
    }

    /**
     * The indicator of one feature.
     *
     * @param feature the feature's name, e.g. {@code rsi_14}
     * @return its indicator, or null when no provider defines it
     */
    public Indicator indicator(String feature) {
        return indicators.get(feature);
    }

    /**
     * The indicators of a set.
     *
     * @param spec a feature set, usually one of this registry
     * @return one indicator per feature, in the set's order
     * @throws RegistryException when a feature of the set is unknown to this registry's providers
     */
    public List<Indicator> indicators(FeatureSetSpec spec) {
        return indicatorsOf(spec, indicators, source);
    }

    private static List<Indicator> indicatorsOf(FeatureSetSpec spec, Map<String, Indicator> indicators, String source) {
        List<Indicator> list = new ArrayList<>(spec.features().size());
        for (String f : spec.features()) {
            Indicator i = indicators.get(f);
            if (i == null) {
                throw new RegistryException(source, 0, spec.name() + ".features", "unknown feature '" + f + "'");
            }
            list.add(i);
        }
        return list;
    }

    /**
     * The definition version of the provider that defines {@code feature}
     * ({@link IndicatorProvider#definitionVersion()}), or null when no provider defines it.
     *
     * @param feature the feature's name
     * @return the provider's definition version, or null
     */
    public String definitionVersion(String feature) {
        return definitionVersions.get(feature);
    }

    /**
     * The fingerprint of a set of this registry, computed once when the registry was read.
     *
     * @param featureSet the set's name
     * @return 64 lower-case hex digits, as {@link #fingerprint(FeatureSetSpec)} defines them
     * @throws UnknownFeatureSetException listing the known sets
     * @see #fingerprint(FeatureSetSpec)
     */
    public String fingerprint(String featureSet) {
        featureSet(featureSet);
        return fingerprints.get(featureSet);
    }

    /**
     * The fingerprint of a feature set's definition: 64 lower-case hex digits, the SHA-256 of the
     * canonical bytes below. Equal definitions give equal fingerprints on every JVM, in every run
     * and whatever the order of a YAML mapping; any change that can change a stored value or row
     * changes it. The set's name, description and default window are not part of it (they do not
     * change a stored value).
     *
     * <p>The bytes, in this order. {@code int32}/{@code int64} are big-endian two's complement;
     * {@code str(s)} is {@code int32} byte length then the UTF-8 bytes of {@code s}:
     * <ol>
     * <li>{@code str("featurestore.feature_set_fingerprint")}, {@code int32 1} (the encoding's
     *     version);
     * <li>{@code int32} number of features, then per feature <em>in the set's order</em>:
     *     {@code str(name)}; {@code str(kind)} ({@code "numeric"} or {@code "categorical"});
     *     {@code int32} number of inputs and {@code str} of each input in the indicator's order;
     *     {@code int32} first defined row; {@code int32} number of parameters, then per
     *     parameter in ascending order of its name ({@link String#compareTo}) {@code str(name)}
     *     and its value; {@code str} of the definition version of the feature's provider
     *     ({@link IndicatorProvider#definitionVersion()});
     * <li>{@code int32} number of timeframes, then per timeframe in ascending
     *     {@link Timeframe#compareTo} order (length, then text): {@code str(text)} (e.g.
     *     {@code "5m"}); {@code int64} length in milliseconds; the bucketing rule:
     *     {@code str("utc_floor")} for minutes and hours (buckets {@code floor(ts / length)} in
     *     UTC), or for {@code 1d} {@code str("exchange_day")} then {@code str} of the exchange's
     *     zone id (e.g. {@code "Europe/Moscow"}).
     * </ol>
     * A parameter value is one tag byte and its payload: {@code 'I'} and {@code int64} for a
     * {@code Byte}, {@code Short}, {@code Integer}, {@code Long} (or a {@code BigInteger} that
     * fits); {@code 'D'} and {@code int64} of {@link Double#doubleToLongBits} for a {@code Double}
     * or {@code Float} (never a decimal text, so no formatting can vary; {@code 2} and {@code 2.0}
     * differ); {@code 'B'} and one byte 0 or 1 for a {@code Boolean}; {@code 'S'} and {@code str}
     * for a {@code CharSequence} or {@code Character}; {@code 'E'} and {@code str(name())} for an
     * enum; {@code 'L'}, {@code int32} size and each element's value for a {@code List}. Any
     * other type is refused when the registry is read.
     *
     * @param spec a feature set whose features this registry's providers define
     * @return 64 lower-case hex digits
     * @throws RegistryException when a feature is unknown to this registry's providers or a
     *     parameter value has no stable encoding
     */
    public String fingerprint(FeatureSetSpec spec) {
        Objects.requireNonNull(spec, "spec");
        try {
            return SetFingerprint.of(spec, indicators(spec), definitionVersions, exchangeZone);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(source, 0, spec.name() + ".features", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "FeatureRegistry[" + source + ", sets " + sets.keySet() + "]";
    }

    /**
     * The one check that keeps a feature set's stored values of one definition, run before a build
     * or an export: the fingerprint recorded with the latest completed build of each (feature set,
     * timeframe, secid) in {@code storage} must equal this registry's fingerprint of the set. A
     * series never built, or last built before fingerprints were kept, passes. Returns this
     * registry's fingerprint of the set.
     *
     * @param storage the storage whose build records are checked
     * @param featureSet the set's name
     * @param timeframe the timeframe of the series
     * @param secids the instruments of the series
     * @param call names the refused call in the message, e.g. {@code "build()"}
     * @return the registry's fingerprint of {@code featureSet}, to record with a new build
     * @throws FeatureSetChangedException naming the series, both fingerprints, and that a new
     *     feature set must be created in the registry
     * @throws dev.featurestore.api.UnknownFeatureSetException when the registry lacks the set
     */
    public String requireUnchanged(FeatureStorage storage, String featureSet, Timeframe timeframe,
            Collection<String> secids, String call) {
        String current = fingerprint(featureSet);
        for (String secid : secids) {
            BuildRecord latest = null;
            for (BuildRecord b : storage.builds(featureSet, timeframe, secid)) {
                if (b.status() == BuildRecord.Status.COMPLETED) {
                    latest = b;
                }
            }
            if (latest != null && latest.fingerprint() != null && !latest.fingerprint().equals(current)) {
                throw new FeatureSetChangedException(featureSet, call + " of " + featureSet + " " + timeframe
                        + " for secid '" + secid + "'", latest.fingerprint(), current);
            }
        }
        return current;
    }
}
