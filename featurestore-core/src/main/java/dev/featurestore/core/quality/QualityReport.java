package dev.featurestore.core.quality;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.internal.FrameSpill;
import dev.featurestore.core.internal.RunAccess;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The data-quality report of one run of one (feature set, timeframe): per secid, the candle and
 * clean-row counts, missing candles against the expected session schedule, raw duplicates and
 * out-of-order rows, and staleness; per feature, NaN/infinity counts, values outside the valid
 * range, distribution statistics and drift against a previous report; and the list of checks with
 * their status and whether a blocking one failed.
 *
 * <pre>{@code
 * QualityReport report = QualityReport.builder("tech_v2", Timeframe.parse("5m"), runId)
 *         .config(registry.quality())
 *         .candles(sber5m).inputStats(sberStats).frame(sberFeatures)
 *         .previous(QualityReports.findPrevious(dir, "tech_v2", Timeframe.parse("5m"), runId).orElse(null))
 *         .build();
 * Path file = QualityReports.write(report, registry.quality().reportDirectory());
 * if (report.blockingFailure()) { ... }
 * }</pre>
 *
 * <p>Immutable. The JSON form ({@link QualityReports}) is described field by field in
 * {@code featurestore-core/README-sources-quality.md}.
 *
 * @param formatVersion the version of the JSON layout, {@value #FORMAT_VERSION}
 * @param featureSet the feature set
 * @param timeframe the timeframe of the features, e.g. {@code 5m}
 * @param runId the run, as named by the caller
 * @param generatedAt when the report was made (by the builder's clock)
 * @param rangeFrom the start of the range checked, or null when it is that of the data
 * @param rangeTo the end (exclusive) of the range checked, or null
 * @param previousRunId the run compared against for drift, or null
 * @param status the worst status of all checks
 * @param blockingFailure whether a check marked blocking failed
 * @param checks one result per {@link QualityCheck}, in declaration order
 * @param secids per-secid results, ordered by secid
 * @param features per-feature results, in the frames' feature order
 * @param fingerprint the feature set's fingerprint (see {@code FeatureRegistry.fingerprint}), or null when not given
 */
public record QualityReport(int formatVersion, String featureSet, String timeframe, String runId, Instant generatedAt,
        Instant rangeFrom, Instant rangeTo, String previousRunId, QualityStatus status, boolean blockingFailure,
        List<CheckResult> checks, List<SecidQuality> secids, List<FeatureQuality> features, String fingerprint) {
    /** The JSON layout version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static {
        RunAccess.Quality<Builder> rows = (b, spill) -> b.spill = Objects.requireNonNull(spill, "spill");
        RunAccess.quality(rows);
    }

    /**
     * Checks the names and copies the lists.
     *
     * @param formatVersion the version of the JSON layout
     * @param featureSet the feature set, a name that can name a file
     * @param timeframe the timeframe of the features, a name that can name a file
     * @param runId the run, a name that can name a file
     * @param generatedAt when the report was made
     * @param rangeFrom the start of the range checked, or null
     * @param rangeTo the end (exclusive) of the range checked, or null
     * @param previousRunId the run compared against for drift, or null
     * @param status the worst status of all checks
     * @param blockingFailure whether a check marked blocking failed
     * @param checks one result per check
     * @param secids per-secid results
     * @param features per-feature results
     * @param fingerprint the feature set's fingerprint (64 lower-case hex digits), or null when not known
     * @throws IllegalArgumentException when a name is not a letter or digit followed by letters,
     *     digits, {@code .}, {@code _} or {@code -} (at most 128)
     */
    public QualityReport {
        checkName("feature set", featureSet);
        checkName("timeframe", timeframe);
        checkName("run id", runId);
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
        secids = List.copyOf(secids);
        features = List.copyOf(features);
    }

    /**
     * A report without a fingerprint (as written before reports carried one).
     *
     * @param formatVersion the version of the JSON layout
     * @param featureSet the feature set
     * @param timeframe the timeframe of the features
     * @param runId the run
     * @param generatedAt when the report was made
     * @param rangeFrom the start of the range checked, or null
     * @param rangeTo the end (exclusive) of the range checked, or null
     * @param previousRunId the run compared against for drift, or null
     * @param status the worst status of all checks
     * @param blockingFailure whether a check marked blocking failed
     * @param checks one result per check
     * @param secids per-secid results
     * @param features per-feature results
     */
    public QualityReport(int formatVersion, String featureSet, String timeframe, String runId, Instant generatedAt,
            Instant rangeFrom, Instant rangeTo, String previousRunId, QualityStatus status, boolean blockingFailure,
            List<CheckResult> checks, List<SecidQuality> secids, List<FeatureQuality> features) {
        this(formatVersion, featureSet, timeframe, runId, generatedAt, rangeFrom, rangeTo, previousRunId, status,
                blockingFailure, checks, secids, features, null);
    }

    static void checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad " + what + " '" + name + "': use a letter or digit, then letters, "
                    + "digits, '.', '_' or '-' (at most 128), so that it can name a file");
        }
    }

    /**
     * A builder that computes a report from candles and clean feature frames.
     *
     * @param featureSet the feature set's name, which must be able to name a file
     * @param timeframe the timeframe of the features
     * @param runId the run's id, which names the report file
     * @return a builder with the default config, the system clock and no inputs yet
     * @throws IllegalArgumentException when the feature set or run id cannot name a file
     */
    public static Builder builder(String featureSet, Timeframe timeframe, String runId) {
        return new Builder(featureSet, timeframe, runId);
    }

    /**
     * The result of one check.
     *
     * @param check the check
     * @return its result, empty when the report has none for it
     */
    public Optional<CheckResult> check(QualityCheck check) {
        return checks.stream().filter(c -> c.check() == check).findFirst();
    }

    /**
     * The results of one secid.
     *
     * @param secid the instrument's code
     * @return its results, empty when the report has none of it
     */
    public Optional<SecidQuality> secid(String secid) {
        return secids.stream().filter(s -> s.secid().equals(secid)).findFirst();
    }

    /**
     * The results of one feature.
     *
     * @param name the feature's name, e.g. {@code rsi_14}
     * @return its results, empty when the report has none of it
     */
    public Optional<FeatureQuality> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** {@return the checks that failed and are marked blocking, in declaration order; empty when none} */
    public List<CheckResult> blockingFailures() {
        return checks.stream().filter(c -> c.status() == QualityStatus.FAIL && c.threshold().blocking()).toList();
    }

    /**
     * The result of one check.
     *
     * @param check which check
     * @param status its status
     * @param value the measured value (see {@link QualityCheck}), or null when skipped
     * @param threshold the thresholds it was compared with
     * @param message a sentence saying what was found and where
     */
    public record CheckResult(QualityCheck check, QualityStatus status, Double value, Threshold threshold,
            String message) {
    }

    /**
     * The results of one secid.
     *
     * @param secid the instrument
     * @param candles candles given
     * @param cleanRows clean feature rows given
     * @param firstTs the first candle's open time, or null
     * @param lastTs the last candle's open time, or null
     * @param expectedCandles candles the session schedule expects in the range checked
     * @param presentCandles expected candles that are there
     * @param missingCandles expected candles that are not
     * @param missingFraction {@code missingCandles / expectedCandles}, or null when none is expected
     * @param unexpectedCandles candles outside the schedule (off-session, weekends)
     * @param gapCount runs of consecutive missing candles
     * @param gaps the first runs of missing candles (at most {@value Builder#MAX_GAPS})
     * @param rawRows raw input rows, or null when no input counts were given
     * @param duplicates raw rows repeating a timestamp, or null
     * @param outOfOrder raw rows out of time order, or null
     * @param lastAvailableAt when the last candle became available (open time + timeframe), or null
     * @param stalenessSeconds seconds from {@code lastAvailableAt} to the report's time (at least 0), or null
     * @param sessionDays expected and present candles per session day of the range, in date order
     */
    public record SecidQuality(String secid, long candles, long cleanRows, Instant firstTs, Instant lastTs,
            long expectedCandles, long presentCandles, long missingCandles, Double missingFraction,
            long unexpectedCandles, long gapCount, List<Gap> gaps, Long rawRows, Long duplicates, Long outOfOrder,
            Instant lastAvailableAt, Double stalenessSeconds, List<SessionDay> sessionDays) {
        /**
         * Copies the lists.
         *
         * @param secid the instrument
         * @param candles candles given
         * @param cleanRows clean feature rows given
         * @param firstTs the first candle's open time, or null
         * @param lastTs the last candle's open time, or null
         * @param expectedCandles candles the session schedule expects
         * @param presentCandles expected candles that are there
         * @param missingCandles expected candles that are not
         * @param missingFraction the fraction of expected candles missing, or null
         * @param unexpectedCandles candles outside the schedule
         * @param gapCount runs of consecutive missing candles
         * @param gaps the first runs of missing candles
         * @param rawRows raw input rows, or null
         * @param duplicates raw rows repeating a timestamp, or null
         * @param outOfOrder raw rows out of time order, or null
         * @param lastAvailableAt when the last candle became available, or null
         * @param stalenessSeconds seconds from {@code lastAvailableAt} to the report's time, or null
         * @param sessionDays candles expected and present per session day, oldest first
         */
        public SecidQuality {
            gaps = List.copyOf(gaps);
            sessionDays = List.copyOf(sessionDays);
        }

        /**
         * The results of one secid without counts per session day (as written before reports carried them).
         *
         * @param secid the instrument
         * @param candles candles given
         * @param cleanRows clean feature rows given
         * @param firstTs the first candle's open time, or null
         * @param lastTs the last candle's open time, or null
         * @param expectedCandles candles the session schedule expects
         * @param presentCandles expected candles that are there
         * @param missingCandles expected candles that are not
         * @param missingFraction the fraction missing, or null
         * @param unexpectedCandles candles outside the schedule
         * @param gapCount runs of consecutive missing candles
         * @param gaps the first runs of missing candles
         * @param rawRows raw input rows, or null
         * @param duplicates raw rows repeating a timestamp, or null
         * @param outOfOrder raw rows out of time order, or null
         * @param lastAvailableAt when the last candle became available, or null
         * @param stalenessSeconds seconds since then, or null
         */
        public SecidQuality(String secid, long candles, long cleanRows, Instant firstTs, Instant lastTs,
                long expectedCandles, long presentCandles, long missingCandles, Double missingFraction,
                long unexpectedCandles, long gapCount, List<Gap> gaps, Long rawRows, Long duplicates, Long outOfOrder,
                Instant lastAvailableAt, Double stalenessSeconds) {
            this(secid, candles, cleanRows, firstTs, lastTs, expectedCandles, presentCandles, missingCandles,
                    missingFraction, unexpectedCandles, gapCount, gaps, rawRows, duplicates, outOfOrder, lastAvailableAt,
                    stalenessSeconds, List.of());
        }
    }

    /**
     * The candles of one secid on one session day (a weekday of the session schedule, in its zone):
     * how many the schedule expects and how many are there.
     *
     * @param date the day, in the session zone
     * @param expected candles the schedule expects on the day (within the range checked)
     * @param present expected candles that are there
     * @param missing expected candles that are not: {@code expected - present}
     */
    public record SessionDay(LocalDate date, long expected, long present, long missing) {
        /**
         * Checks the counts.
         *
         * @param date the day, in the session zone
         * @param expected candles the schedule expects on the day
         * @param present expected candles that are there
         * @param missing expected candles that are not
         * @throws IllegalArgumentException when a count is below 0 or present + missing is not expected
         */
        public SessionDay {
            Objects.requireNonNull(date, "date");
            if (present < 0 || missing < 0 || present + missing != expected) {
                throw new IllegalArgumentException("session day " + date + ": present " + present + " + missing "
                        + missing + " must be the expected " + expected + ", none below 0");
            }
        }
    }

    /**
     * A histogram of a feature's finite values over equal-width bins: bin 0 holds
     * {@code edges[0] <= x <= edges[1]}, bin k above it {@code edges[k] < x <= edges[k+1]}.
     *
     * @param edges the bins' edges, increasing, one more than the bins
     * @param shares the share of the finite values in each bin
     * @param below the share below {@code edges[0]}
     * @param above the share above the last edge
     */
    public record Histogram(List<Double> edges, List<Double> shares, double below, double above) {
        /**
         * Checks the sizes and copies the lists.
         *
         * @param edges the bins' edges, increasing, one more than the bins
         * @param shares the share of the finite values in each bin
         * @param below the share below the first edge
         * @param above the share above the last edge
         * @throws IllegalArgumentException when there is no bin or the sizes do not match
         */
        public Histogram {
            edges = List.copyOf(edges);
            shares = List.copyOf(shares);
            if (shares.isEmpty() || edges.size() != shares.size() + 1) {
                throw new IllegalArgumentException("a histogram needs one edge more than its " + shares.size()
                        + " bin(s), got " + edges.size() + " edges");
            }
        }
    }

    /**
     * A run of consecutive expected candles that are missing.
     *
     * @param from the open time of the first missing candle
     * @param to the end of the last missing candle (its open time + timeframe)
     * @param missing how many candles are missing
     */
    public record Gap(Instant from, Instant to, long missing) {
    }

    /**
     * The results of one feature over all secids.
     *
     * @param name the feature
     * @param kind numeric or categorical
     * @param values values seen (clean rows over all secids)
     * @param nan NaN values
     * @param positiveInfinity +infinity values
     * @param negativeInfinity -infinity values
     * @param outOfRange finite values outside {@code validRange}
     * @param validRange the range checked, or null when the feature has none
     * @param outOfRangeExamples the first values outside the range (at most {@value Builder#MAX_EXAMPLES})
     * @param stats the distribution of the finite values
     * @param drift the change since the previous report, or null without one
     * @param histogram the finite values over {@value Builder#HISTOGRAM_BINS} equal bins from p1 to p99
     *     (from min to max when p1 = p99), or null without finite values
     */
    public record FeatureQuality(String name, FeatureKind kind, long values, long nan, long positiveInfinity,
            long negativeInfinity, long outOfRange, ValidRange validRange, List<RangeViolation> outOfRangeExamples,
            DistributionStats stats, Drift drift, Histogram histogram) {
        /**
         * Copies the list.
         *
         * @param name the feature
         * @param kind numeric or categorical
         * @param values values seen
         * @param nan NaN values
         * @param positiveInfinity +infinity values
         * @param negativeInfinity -infinity values
         * @param outOfRange finite values outside {@code validRange}
         * @param validRange the range checked, or null
         * @param outOfRangeExamples the first values outside the range
         * @param stats the distribution of the finite values
         * @param drift the change since the previous report, or null
         * @param histogram the finite values over equal bins from p1 to p99, or null without values
         */
        public FeatureQuality {
            outOfRangeExamples = List.copyOf(outOfRangeExamples);
        }

        /**
         * The results of one feature without a histogram (as written before reports carried one).
         *
         * @param name the feature
         * @param kind numeric or categorical
         * @param values values seen
         * @param nan NaN values
         * @param positiveInfinity +infinity values
         * @param negativeInfinity -infinity values
         * @param outOfRange finite values outside {@code validRange}
         * @param validRange the range checked, or null
         * @param outOfRangeExamples the first values outside the range
         * @param stats the distribution of the finite values
         * @param drift the change since the previous report, or null
         */
        public FeatureQuality(String name, FeatureKind kind, long values, long nan, long positiveInfinity,
                long negativeInfinity, long outOfRange, ValidRange validRange, List<RangeViolation> outOfRangeExamples,
                DistributionStats stats, Drift drift) {
            this(name, kind, values, nan, positiveInfinity, negativeInfinity, outOfRange, validRange,
                    outOfRangeExamples, stats, drift, null);
        }
    }

    /**
     * One value outside its feature's valid range.
     *
     * @param secid the instrument
     * @param ts the row's open time
     * @param value the value
     */
    public record RangeViolation(String secid, Instant ts, double value) {
    }

    /**
     * The distribution of a feature's finite values (commons-math3: sample standard deviation,
     * percentiles estimated as R's type 7, numpy's default). All but {@code count} are null when
     * there is no value; {@code std} is null with fewer than two.
     *
     * @param count finite values
     * @param mean their mean
     * @param std their sample standard deviation
     * @param min the least
     * @param p1 1st percentile
     * @param p5 5th percentile
     * @param p25 25th percentile
     * @param p50 median
     * @param p75 75th percentile
     * @param p95 95th percentile
     * @param p99 99th percentile
     * @param max the greatest
     * @param binShares the shares of the values in the eight bins cut by this report's own
     *     p1..p99, the expected shares of the next report's PSI; null when the percentiles are not
     *     strictly increasing
     */
    public record DistributionStats(long count, Double mean, Double std, Double min, Double p1, Double p5, Double p25,
            Double p50, Double p75, Double p95, Double p99, Double max, List<Double> binShares) {
        /**
         * Copies the bin shares.
         *
         * @param count finite values
         * @param mean their mean, or null
         * @param std their sample standard deviation, or null
         * @param min the least, or null
         * @param p1 1st percentile, or null
         * @param p5 5th percentile, or null
         * @param p25 25th percentile, or null
         * @param p50 median, or null
         * @param p75 75th percentile, or null
         * @param p95 95th percentile, or null
         * @param p99 99th percentile, or null
         * @param max the greatest, or null
         * @param binShares the shares of the values in the eight bins cut by this report's own
         *     p1..p99 (a value equal to an edge falls in the bin below it), the expected shares of
         *     the next report's PSI; null when the percentiles are not strictly increasing. With
         *     tied values they differ from the nominal 1, 4, 20, 25, 25, 20, 4, 1 %.
         */
        public DistributionStats {
            binShares = binShares == null ? null : List.copyOf(binShares);
        }

        /** {@return the percentiles in order p1, p5, p25, p50, p75, p95, p99; nulls when there is no value} */
        public List<Double> percentiles() {
            List<Double> p = new ArrayList<>(7);
            p.add(p1);
            p.add(p5);
            p.add(p25);
            p.add(p50);
            p.add(p75);
            p.add(p95);
            p.add(p99);
            return p;
        }
    }

    /**
     * A feature's change since the previous report.
     *
     * @param meanShift {@code (mean - previous mean) / previous std}, or null when the previous std is 0 or unknown
     * @param psi the population stability index of the current values over the eight bins cut by the
     *     previous percentiles (p1, p5, p25, p50, p75, p95, p99), or null when those are not strictly increasing
     * @param previousHistogram the previous report's histogram, or null when it has none
     * @param histogram this run's finite values over the previous histogram's bins, or null when it has none
     */
    public record Drift(Double meanShift, Double psi, Histogram previousHistogram, Histogram histogram) {
        /**
         * A change without histograms (as written before reports carried them).
         *
         * @param meanShift the mean shift in previous standard deviations, or null
         * @param psi the population stability index, or null
         */
        public Drift(Double meanShift, Double psi) {
            this(meanShift, psi, null, null);
        }
    }

    /**
     * Gathers candles, input counts and clean feature frames, then computes the report at
     * {@link #build()}. One call per secid to each of {@link #candles}, {@link #inputStats} and
     * {@link #frame}; any of them may be left out (a check without its input is skipped or counts 0).
     */
    public static final class Builder {
        /** The most gaps listed per secid. */
        public static final int MAX_GAPS = 20;
        /** The most out-of-range examples listed per feature. */
        public static final int MAX_EXAMPLES = 10;
        /** The bins of a feature's histogram. */
        public static final int HISTOGRAM_BINS = 20;

        final String featureSet;
        final Timeframe timeframe;
        final String runId;
        QualityConfig config = QualityConfig.defaults();
        ExchangeCalendar calendar;
        Clock clock = Clock.systemUTC();
        Instant from;
        Instant to;
        String fingerprint;
        QualityReport previous;
        final Map<String, CandleSeries> candles = new LinkedHashMap<>();
        final Map<String, InputStats> inputStats = new LinkedHashMap<>();
        final Map<String, FeatureFrame> frames = new LinkedHashMap<>();
        /** A run's rows and candles in a file instead of {@link #frames} (see {@link RunAccess#quality()}). */
        FrameSpill spill;

        private Builder(String featureSet, Timeframe timeframe, String runId) {
            checkName("feature set", featureSet);
            this.timeframe = Objects.requireNonNull(timeframe, "timeframe");
            checkName("run id", runId);
            this.featureSet = featureSet;
            this.runId = runId;
        }

        /**
         * The thresholds and session schedule ({@link QualityConfig#defaults()} unless set).
         *
         * @param config the quality settings, e.g. the registry's {@code quality()}
         * @return this builder
         */
        public Builder config(QualityConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The exchange's trading days: where {@code 1d} candles are expected and when a candle is
         * available, for staleness (the calendar of the session zone unless set).
         *
         * @param calendar the exchange's trading days, e.g. the registry's {@code calendar()}
         * @return this builder
         */
        public Builder calendar(ExchangeCalendar calendar) {
            this.calendar = Objects.requireNonNull(calendar, "calendar");
            return this;
        }

        ExchangeCalendar calendar() {
            return calendar != null ? calendar : ExchangeCalendar.of(config.sessionZone());
        }

        /**
         * The clock that dates the report and measures staleness (the system clock unless set).
         *
         * @param clock the clock; a fixed one makes reports reproducible in tests
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The range the run covered; missing candles are counted within it. Without it, from each
         * secid's first to last candle.
         *
         * @param from the first candle open time included
         * @param to the candle open time where the range ends, excluded
         * @return this builder
         * @throws IllegalArgumentException when {@code from} is after {@code to}
         */
        public Builder range(Instant from, Instant to) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.isAfter(to)) {
                throw new IllegalArgumentException("from " + from + " is after to " + to);
            }
            this.from = from;
            this.to = to;
            return this;
        }

        /**
         * The candles of one secid (at their own timeframe, or this report's when they have none).
         *
         * @param series the candles of one instrument, oldest first
         * @return this builder
         * @throws IllegalArgumentException when candles of the secid were given already
         */
        public Builder candles(CandleSeries series) {
            put(candles, series.secid(), series, "candles");
            return this;
        }

        /**
         * What the source saw in the raw input of one secid (duplicates, out-of-order rows).
         *
         * @param stats the raw-input counts, e.g. from {@code IngestResult.inputStats()}
         * @return this builder
         * @throws IllegalArgumentException when input counts of the secid were given already
         */
        public Builder inputStats(InputStats stats) {
            put(inputStats, stats.secid(), stats, "input stats");
            return this;
        }

        /**
         * The clean feature rows of one secid.
         *
         * @param frame clean rows of this report's feature set, oldest first
         * @return this builder
         * @throws IllegalArgumentException when the frame is of another feature set, or a frame of
         *     the secid was given already
         */
        public Builder frame(FeatureFrame frame) {
            if (!frame.featureSet().equals(featureSet)) {
                throw new IllegalArgumentException("frame of '" + frame.secid() + "' belongs to feature set '"
                        + frame.featureSet() + "', this report to '" + featureSet + "'");
            }
            put(frames, frame.secid(), frame, "a frame");
            return this;
        }

        /**
         * The feature set's fingerprint, shown in the report (none unless set).
         *
         * @param fingerprint the fingerprint, e.g. from {@code FeatureRegistry.fingerprint(set)}, or null for none
         * @return this builder
         */
        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        /**
         * The previous report of the same feature set and timeframe, for drift (null for none).
         *
         * @param report the baseline, e.g. from {@link QualityReports#findPrevious}, or null
         * @return this builder
         * @throws IllegalArgumentException when the report is of another feature set or timeframe
         */
        public Builder previous(QualityReport report) {
            if (report != null && (!report.featureSet().equals(featureSet) || !report.timeframe().equals(timeframe.toString()))) {
                throw new IllegalArgumentException("previous report is of " + report.featureSet() + "/" + report.timeframe()
                        + ", this one of " + featureSet + "/" + timeframe);
            }
            this.previous = report;
            return this;
        }

        private static <T> void put(Map<String, T> map, String secid, T value, String what) {
            if (map.putIfAbsent(secid, Objects.requireNonNull(value, what)) != null) {
                throw new IllegalArgumentException(what + " of secid '" + secid + "' given twice");
            }
        }

        /**
         * Computes the report.
         *
         * @return the report, dated by the builder's clock
         */
        public QualityReport build() {
            return QualityComputation.compute(this);
        }
    }
}
