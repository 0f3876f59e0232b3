package dev.featurestore.core.quality;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.internal.FrameSpill;
import dev.featurestore.core.quality.QualityReport.CheckResult;
import dev.featurestore.core.quality.QualityReport.DistributionStats;
import dev.featurestore.core.quality.QualityReport.Drift;
import dev.featurestore.core.quality.QualityReport.FeatureQuality;
import dev.featurestore.core.quality.QualityReport.Gap;
import dev.featurestore.core.quality.QualityReport.Histogram;
import dev.featurestore.core.quality.QualityReport.RangeViolation;
import dev.featurestore.core.quality.QualityReport.SecidQuality;
import dev.featurestore.core.quality.QualityReport.SessionDay;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/** Computes a {@link QualityReport} from what its builder gathered. */
final class QualityComputation {
    /** The share of values below each previous percentile p1..p99, so the expected share of the eight bins. */
    private static final double[] PERCENTILE_LEVELS = {1, 5, 25, 50, 75, 95, 99};
    private static final double PSI_FLOOR = 1e-4;

    private QualityComputation() {
    }

    static QualityReport compute(QualityReport.Builder b) {
        Instant now = b.clock.instant();
        QualityConfig cfg = b.config;
        TreeSet<String> allSecids = new TreeSet<>();
        Rows given = Rows.of(b);
        allSecids.addAll(b.candles.keySet());
        allSecids.addAll(given.candleSecids());
        allSecids.addAll(given.secids());
        allSecids.addAll(b.inputStats.keySet());

        List<SecidQuality> secids = new ArrayList<>();
        for (String secid : allSecids) {
            secids.add(secid(b, given, secid, now));
        }
        List<FeatureQuality> features = features(given);

        List<CheckResult> checks = new ArrayList<>();
        // row_count
        List<String> empty = secids.stream().filter(s -> s.cleanRows() == 0).map(SecidQuality::secid).toList();
        checks.add(result(cfg, QualityCheck.ROW_COUNT, (double) empty.size(), empty.isEmpty()
                ? secids.size() + " secid(s), each with clean rows"
                : "no clean feature row for " + empty));
        // missing_candles
        SecidQuality worstMissing = null;
        for (SecidQuality s : secids) {
            if (s.missingFraction() != null && (worstMissing == null || s.missingFraction() > worstMissing.missingFraction())) {
                worstMissing = s;
            }
        }
        if (worstMissing == null) {
            checks.add(skipped(cfg, QualityCheck.MISSING_CANDLES, "no candles expected by the session schedule"));
        } else {
            checks.add(result(cfg, QualityCheck.MISSING_CANDLES, worstMissing.missingFraction(),
                    "worst: " + worstMissing.secid() + " misses " + worstMissing.missingCandles() + " of "
                            + worstMissing.expectedCandles() + " expected candles in " + worstMissing.gapCount() + " gap(s)"));
        }
        // duplicates, out_of_order
        if (b.inputStats.isEmpty()) {
            checks.add(skipped(cfg, QualityCheck.DUPLICATES, "no raw input counts were given"));
            checks.add(skipped(cfg, QualityCheck.OUT_OF_ORDER, "no raw input counts were given"));
        } else {
            long dups = 0;
            long ooo = 0;
            long rows = 0;
            for (InputStats s : b.inputStats.values()) {
                dups += s.duplicates();
                ooo += s.outOfOrder();
                rows += s.rowsRead();
            }
            checks.add(result(cfg, QualityCheck.DUPLICATES, (double) dups, dups + " of " + rows + " raw rows repeat a timestamp"
                    + perSecid(b.inputStats, true)));
            checks.add(result(cfg, QualityCheck.OUT_OF_ORDER, (double) ooo, ooo + " of " + rows + " raw rows out of time order"
                    + perSecid(b.inputStats, false)));
        }
        // non_finite, out_of_range
        long nonFinite = 0;
        long outOfRange = 0;
        List<String> nonFiniteFeatures = new ArrayList<>();
        List<String> outOfRangeFeatures = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (FeatureQuality f : features) {
            long nf = f.nan() + f.positiveInfinity() + f.negativeInfinity();
            nonFinite += nf;
            if (nf > 0) {
                nonFiniteFeatures.add(f.name() + " (" + nf + ")");
            }
            outOfRange += f.outOfRange();
            if (f.outOfRange() > 0) {
                outOfRangeFeatures.add(f.name() + " (" + f.outOfRange() + ")");
            }
            if (f.validRange() == null) {
                unchecked.add(f.name());
            }
        }
        if (given.secids().isEmpty()) {
            checks.add(skipped(cfg, QualityCheck.NON_FINITE, "no feature frames were given"));
            checks.add(skipped(cfg, QualityCheck.OUT_OF_RANGE, "no feature frames were given"));
        } else {
            checks.add(result(cfg, QualityCheck.NON_FINITE, (double) nonFinite, nonFinite == 0 ? "none"
                    : "NaN or infinite values in " + nonFiniteFeatures));
            checks.add(result(cfg, QualityCheck.OUT_OF_RANGE, (double) outOfRange, (outOfRange == 0 ? "none"
                    : "values outside their range in " + outOfRangeFeatures)
                    + (unchecked.isEmpty() ? "" : "; no range to check for " + unchecked)));
        }
        // staleness
        SecidQuality stalest = null;
        for (SecidQuality s : secids) {
            if (s.stalenessSeconds() != null && (stalest == null || s.stalenessSeconds() > stalest.stalenessSeconds())) {
                stalest = s;
            }
        }
        if (stalest == null) {
            checks.add(skipped(cfg, QualityCheck.STALENESS, "no candles were given"));
        } else {
            checks.add(result(cfg, QualityCheck.STALENESS, stalest.stalenessSeconds(), "stalest: " + stalest.secid()
                    + ", last candle available at " + stalest.lastAvailableAt() + ", report made at " + now));
        }
        // drift
        if (b.previous == null) {
            checks.add(skipped(cfg, QualityCheck.DRIFT_MEAN_SHIFT, "no previous report"));
            checks.add(skipped(cfg, QualityCheck.DRIFT_PSI, "no previous report"));
        } else {
            FeatureQuality worstShift = null;
            FeatureQuality worstPsi = null;
            for (FeatureQuality f : features) {
                if (f.drift() == null) {
                    continue;
                }
                if (f.drift().meanShift() != null && (worstShift == null
                        || Math.abs(f.drift().meanShift()) > Math.abs(worstShift.drift().meanShift()))) {
                    worstShift = f;
                }
                if (f.drift().psi() != null && (worstPsi == null || f.drift().psi() > worstPsi.drift().psi())) {
                    worstPsi = f;
                }
            }
            String against = " against run " + b.previous.runId();
            checks.add(worstShift == null
                    ? skipped(cfg, QualityCheck.DRIFT_MEAN_SHIFT, "no feature comparable" + against)
                    : result(cfg, QualityCheck.DRIFT_MEAN_SHIFT, Math.abs(worstShift.drift().meanShift()),
                            "largest: " + worstShift.name() + " moved " + worstShift.drift().meanShift()
                                    + " previous standard deviations" + against));
            checks.add(worstPsi == null
                    ? skipped(cfg, QualityCheck.DRIFT_PSI, "no feature with distinct previous percentiles" + against)
                    : result(cfg, QualityCheck.DRIFT_PSI, worstPsi.drift().psi(),
                            "largest: " + worstPsi.name() + against));
        }

        QualityStatus status = QualityStatus.OK;
        boolean blocking = false;
        for (CheckResult c : checks) {
            status = QualityStatus.worst(status, c.status());
            blocking |= c.status() == QualityStatus.FAIL && c.threshold().blocking();
        }
        return new QualityReport(QualityReport.FORMAT_VERSION, b.featureSet, b.timeframe.toString(), b.runId, now, b.from,
                b.to, b.previous == null ? null : b.previous.runId(), status, blocking, checks, secids, features, b.fingerprint);
    }

    private static String perSecid(Map<String, InputStats> stats, boolean duplicates) {
        List<String> parts = new ArrayList<>();
        for (InputStats s : stats.values()) {
            long n = duplicates ? s.duplicates() : s.outOfOrder();
            if (n > 0) {
                parts.add(s.secid() + ": " + n);
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static CheckResult result(QualityConfig cfg, QualityCheck check, Double value, String message) {
        Threshold t = cfg.threshold(check);
        return new CheckResult(check, t.statusOf(value), value, t, message);
    }

    private static CheckResult skipped(QualityConfig cfg, QualityCheck check, String message) {
        return new CheckResult(check, QualityStatus.SKIPPED, null, cfg.threshold(check), message);
    }

    // ---------------------------------------------------------------- per secid

    private static SecidQuality secid(QualityReport.Builder b, Rows rows, String secid, Instant now) {
        CandleSeries series = b.candles.containsKey(secid) ? b.candles.get(secid) : rows.candles(secid);
        InputStats stats = b.inputStats.get(secid);
        long cleanRows = Math.max(0, rows.size(secid));
        if (series == null || series.size() == 0) {
            return new SecidQuality(secid, 0, cleanRows, null, null, 0, 0, 0, null, 0, 0, List.of(),
                    stats == null ? null : stats.rowsRead(), stats == null ? null : stats.duplicates(),
                    stats == null ? null : stats.outOfOrder(), null, null);
        }
        Timeframe tf = series.timeframe().orElse(b.timeframe);
        long[] ts = Columns.ts(series);
        long first = ts[0];
        long last = ts[ts.length - 1];
        long rangeFrom = b.from != null ? b.from.toEpochMilli() : first;
        ExchangeCalendar calendar = b.calendar();
        long lastAvailable = calendar.availableAt(tf, last);
        long rangeTo = b.to != null ? b.to.toEpochMilli() : lastAvailable;
        Schedule schedule = schedule(b.config, calendar, tf, rangeFrom, rangeTo, ts);
        double staleness = Math.max(0, now.toEpochMilli() - lastAvailable) / 1000.0;
        return new SecidQuality(secid, series.size(), cleanRows, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last),
                schedule.expected, schedule.present, schedule.expected - schedule.present,
                schedule.expected == 0 ? null : (double) (schedule.expected - schedule.present) / schedule.expected,
                schedule.unexpected, schedule.gapCount, schedule.gaps, stats == null ? null : stats.rowsRead(),
                stats == null ? null : stats.duplicates(), stats == null ? null : stats.outOfOrder(),
                Instant.ofEpochMilli(lastAvailable), staleness, schedule.days);
    }

    /** Counts of a series against the expected session buckets of [from, to). */
    static final class Schedule {
        long expected;
        long present;
        long unexpected;
        long gapCount;
        final List<Gap> gaps = new ArrayList<>();
        final List<SessionDay> days = new ArrayList<>();
    }

    /**
     * Walks the expected buckets (in time order) and the candles together. An intraday bucket is
     * expected when it overlaps the session of a session weekday (buckets are cut in UTC, as the
     * resampler cuts them); a {@code 1d} bucket is the day's start in the session zone.
     */
    static Schedule schedule(QualityConfig cfg, Timeframe tf, long from, long to, long[] ts) {
        return schedule(cfg, ExchangeCalendar.of(cfg.sessionZone()), tf, from, to, ts);
    }

    /** Like {@link #schedule(QualityConfig, Timeframe, long, long, long[])}, with the days of {@code 1d} from {@code calendar}. */
    static Schedule schedule(QualityConfig cfg, ExchangeCalendar calendar, Timeframe tf, long from, long to,
            long[] ts) {
        Schedule s = new Schedule();
        if (from >= to) {
            s.unexpected = ts.length;
            return s;
        }
        ZoneId zone = cfg.sessionZone();
        long period = tf.millis();
        LocalDate day = Instant.ofEpochMilli(from).atZone(zone).toLocalDate().minusDays(1);
        LocalDate lastDay = Instant.ofEpochMilli(to - 1).atZone(zone).toLocalDate();
        int i = 0; // next candle
        long lastExpected = Long.MIN_VALUE;
        long gapStart = Long.MIN_VALUE;
        long gapEnd = 0;
        long gapMissing = 0;
        for (; !day.isAfter(lastDay); day = day.plusDays(1)) {
            if (!cfg.weekdays().contains(day.getDayOfWeek())) {
                continue;
            }
            long open = day.atTime(cfg.sessionOpen()).atZone(zone).toInstant().toEpochMilli();
            long close = day.atTime(cfg.sessionClose()).atZone(zone).toInstant().toEpochMilli();
            long bucket;
            long end;
            if (tf.isDaily()) {
                bucket = calendar.dayStart(day);
                end = bucket + 1;
            } else {
                bucket = Math.floorDiv(open, period) * period;
                end = close;
            }
            long dayExpected = 0;
            long dayPresent = 0;
            for (; bucket < end; bucket += period) {
                if (bucket < from || bucket >= to || bucket <= lastExpected) {
                    continue;
                }
                lastExpected = bucket;
                s.expected++;
                dayExpected++;
                while (i < ts.length && ts[i] < bucket) {
                    s.unexpected++;
                    i++;
                }
                if (i < ts.length && ts[i] == bucket) {
                    s.present++;
                    dayPresent++;
                    i++;
                    if (gapMissing > 0) {
                        closeGap(s, gapStart, gapEnd, gapMissing);
                        gapMissing = 0;
                    }
                } else {
                    if (gapMissing == 0) {
                        gapStart = bucket;
                    }
                    gapMissing++;
                    gapEnd = calendar.availableAt(tf, bucket);
                }
                if (tf.isDaily()) {
                    break;
                }
            }
            if (dayExpected > 0) {
                s.days.add(new SessionDay(day, dayExpected, dayPresent, dayExpected - dayPresent));
            }
        }
        if (gapMissing > 0) {
            closeGap(s, gapStart, gapEnd, gapMissing);
        }
        s.unexpected += ts.length - i;
        return s;
    }

    private static void closeGap(Schedule s, long start, long end, long missing) {
        s.gapCount++;
        if (s.gaps.size() < QualityReport.Builder.MAX_GAPS) {
            s.gaps.add(new Gap(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), missing));
        }
    }

    // ---------------------------------------------------------------- per feature

    private static List<FeatureQuality> features(Rows rows) {
        Map<String, FeatureKind> names = new LinkedHashMap<>();
        for (String secid : rows.secids()) {
            List<String> fn = rows.names(secid);
            for (int j = 0; j < fn.size(); j++) {
                names.putIfAbsent(fn.get(j), rows.kinds(secid).get(j));
            }
        }
        // Each feature's statistics stand alone (over its values of every secid): they are
        // computed on the common pool's threads too, and kept in the order of the names. Not when
        // the rows went past the run's memory budget into a file: one feature at a time then, so
        // the heap holds one feature's values of every secid (and its selection keys), not two.
        var entries = rows.spilled() ? names.entrySet().stream() : names.entrySet().parallelStream();
        return new ArrayList<>(entries.map(e -> feature(rows, e.getKey(), e.getValue())).toList());
    }

    private static FeatureQuality feature(Rows rows, String name, FeatureKind kind) {
        QualityReport.Builder b = rows.builder();
        ValidRange range = ValidRange.builtin(name);
        long values = 0;
        long nan = 0;
        long posInf = 0;
        long negInf = 0;
        long outOfRange = 0;
        List<RangeViolation> examples = new ArrayList<>();
        int total = 0;
        for (String secid : rows.secids()) {
            if (rows.names(secid).contains(name)) {
                total += rows.size(secid);
            }
        }
        double[] finite = new double[total];
        int n = 0;
        for (String secid : new TreeSet<>(rows.secids())) {
            int col = rows.names(secid).indexOf(name);
            if (col < 0) {
                continue;
            }
            double[] column = rows.column(secid, col);
            values += column.length;
            for (int r = 0; r < column.length; r++) {
                double v = column[r];
                if (Double.isNaN(v)) {
                    nan++;
                } else if (v == Double.POSITIVE_INFINITY) {
                    posInf++;
                } else if (v == Double.NEGATIVE_INFINITY) {
                    negInf++;
                } else {
                    finite[n++] = v;
                    if (range != null && !range.contains(v)) {
                        outOfRange++;
                        if (examples.size() < QualityReport.Builder.MAX_EXAMPLES) {
                            examples.add(new RangeViolation(secid, rows.openTime(secid, r), v));
                        }
                    }
                }
            }
        }
        double[] data = n == finite.length ? finite : Arrays.copyOf(finite, n);
        // The ranks the percentiles read, selected rather than every value sorted: the same
        // values and counts as over the sorted array (OrderTest), in a fraction of the time.
        Order sorted = Order.selected(data, n, percentileRanks(n));
        DistributionStats stats = stats(data, sorted);
        Histogram histogram = histogram(sorted, stats);
        Drift drift = null;
        if (b.previous != null) {
            FeatureQuality before = b.previous.feature(name).orElse(null);
            if (before != null && before.stats() != null && before.stats().count() > 0 && n > 0) {
                Drift d = driftSorted(before.stats(), stats, sorted);
                Histogram previous = before.histogram();
                drift = new Drift(d.meanShift(), d.psi(), previous,
                        previous == null ? null : histogram(sorted, previous.edges()));
            }
        }
        return new FeatureQuality(name, kind, values, nan, posInf, negInf, outOfRange, range, examples, stats, drift,
                histogram);
    }

    /**
     * The histogram of sorted finite values over {@link QualityReport.Builder#HISTOGRAM_BINS} equal
     * bins from p1 to p99, or from min to max when p1 = p99 (one bin when min = max too); null without values.
     */
    static Histogram histogram(double[] sorted, DistributionStats stats) {
        return histogram(Order.sorted(sorted), stats);
    }

    /** {@link #histogram(double[], DistributionStats)} over the values in an {@link Order}. */
    static Histogram histogram(Order sorted, DistributionStats stats) {
        if (sorted.size() == 0) {
            return null;
        }
        double lo = stats.p1();
        double hi = stats.p99();
        if (!(hi > lo)) {
            lo = stats.min();
            hi = stats.max();
        }
        int bins = hi > lo ? QualityReport.Builder.HISTOGRAM_BINS : 1;
        List<Double> edges = new ArrayList<>(bins + 1);
        for (int k = 0; k < bins; k++) {
            edges.add(lo + (hi - lo) * k / bins);
        }
        edges.add(hi);
        return histogram(sorted, edges);
    }

    /** The shares of sorted values over the bins cut by {@code edges} (see {@link Histogram}). */
    static Histogram histogram(double[] sorted, List<Double> edges) {
        return histogram(Order.sorted(sorted), edges);
    }

    /** {@link #histogram(double[], List)} over the values in an {@link Order}. */
    static Histogram histogram(Order sorted, List<Double> edges) {
        double n = sorted.size();
        long below = sorted.countBelow(edges.get(0));
        long[] atMost = sorted.countsAtMost(edges.subList(1, edges.size()));
        List<Double> shares = new ArrayList<>(edges.size() - 1);
        long upTo = below;
        for (int k = 1; k < edges.size(); k++) {
            long next = atMost[k - 1];
            shares.add((next - upTo) / n);
            upTo = next;
        }
        return new Histogram(edges, shares, below / n, (sorted.size() - upTo) / n);
    }

    /** Distribution statistics with commons-math3 (sample std; percentiles of type R-7). */
    static DistributionStats stats(double[] data) {
        double[] sorted = data.clone();
        Arrays.sort(sorted);
        return stats(data, sorted);
    }

    /**
     * {@link #stats(double[])} with the values also at hand sorted ({@code Arrays.sort} of a
     * copy): mean and std over {@code data} in its order (their sums depend on it), the
     * percentiles read from {@code sorted}.
     */
    static DistributionStats stats(double[] data, double[] sorted) {
        return stats(data, Order.sorted(sorted));
    }

    /** {@link #stats(double[], double[])} with the values in an {@link Order}. */
    static DistributionStats stats(double[] data, Order sorted) {
        if (data.length == 0) {
            return new DistributionStats(0, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        double mean = new Mean().evaluate(data);
        Double std = data.length < 2 ? null : new StandardDeviation(true).evaluate(data);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : data) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        List<Double> edges = List.of(percentileR7(sorted, 1), percentileR7(sorted, 5), percentileR7(sorted, 25),
                percentileR7(sorted, 50), percentileR7(sorted, 75), percentileR7(sorted, 95), percentileR7(sorted, 99));
        double[] shares = binShares(sorted, edges);
        List<Double> shareList = null;
        if (shares != null) {
            shareList = new ArrayList<>(shares.length);
            for (double share : shares) {
                shareList.add(share);
            }
        }
        return new DistributionStats(data.length, mean, std, min, edges.get(0), edges.get(1), edges.get(2),
                edges.get(3), edges.get(4), edges.get(5), edges.get(6), max, shareList);
    }

    /**
     * The {@code percent} percentile of sorted finite values as commons-math3's {@code Percentile}
     * of type R-7 computes it (index {@code 1 + (n - 1) p}, linear between the two values around
     * it), without its selection over an unsorted copy: the values it selects are the sorted
     * ones, and where it could pick the other zero of {@code -0.0 == 0.0} the interpolation
     * {@code lower + d * (upper - lower)} gives the same bits either way (a lone value is returned
     * as it is). {@code QualityStatsTest} checks this against {@code Percentile} itself.
     */
    static double percentileR7(double[] sorted, double percent) {
        return percentileR7(Order.sorted(sorted), percent);
    }

    /** {@link #percentileR7(double[], double)} over the values in an {@link Order}. */
    static double percentileR7(Order sorted, double percent) {
        int n = sorted.size();
        if (n == 1) {
            return sorted.at(0);
        }
        double p = percent / 100d;
        double pos = Double.compare(p, 0d) == 0 ? 0 : Double.compare(p, 1d) == 0 ? n : 1 + (n - 1) * p;
        double fpos = Math.floor(pos);
        int intPos = (int) fpos;
        double dif = pos - fpos;
        if (pos < 1) {
            return sorted.at(0);
        }
        if (pos >= n) {
            return sorted.at(n - 1);
        }
        double lower = sorted.at(intPos - 1);
        double upper = sorted.at(intPos);
        return lower + dif * (upper - lower);
    }

    /** The ranks {@link #percentileR7(Order, double)} reads for each of the percentile levels of n values. */
    static int[] percentileRanks(int n) {
        int[] out = new int[2 * PERCENTILE_LEVELS.length];
        int m = 0;
        for (double percent : PERCENTILE_LEVELS) {
            double p = percent / 100d;
            double pos = Double.compare(p, 0d) == 0 ? 0 : Double.compare(p, 1d) == 0 ? n : 1 + (n - 1) * p;
            int intPos = (int) Math.floor(pos);
            if (pos >= 1 && pos < n) {
                out[m++] = intPos - 1;
                out[m++] = intPos;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * Mean shift in previous standard deviations, and the PSI over the eight bins the previous
     * percentiles cut: {@code sum((a - e) * ln(a / e))}, shares floored at 1e-4.
     */
    static Drift drift(DistributionStats before, DistributionStats now, double[] data) {
        double[] sorted = data.clone();
        Arrays.sort(sorted);
        return driftSorted(before, now, Order.sorted(sorted));
    }

    /** {@link #drift} over the values in an {@link Order}. */
    private static Drift driftSorted(DistributionStats before, DistributionStats now, Order sorted) {
        Double shift = null;
        if (before.std() != null && before.std() > 0 && now.mean() != null) {
            shift = (now.mean() - before.mean()) / before.std();
        }
        Double psi = null;
        double[] actual = binShares(sorted, before.percentiles());
        if (actual != null) {
            List<Double> expectedShares = before.binShares();
            double sum = 0;
            double previousLevel = 0;
            for (int k = 0; k < actual.length; k++) {
                double level = k < PERCENTILE_LEVELS.length ? PERCENTILE_LEVELS[k] / 100 : 1;
                // The previous values' own shares of its bins; the nominal ones for a report that
                // does not carry them.
                double expected = expectedShares != null && expectedShares.size() == actual.length
                        ? expectedShares.get(k) : level - previousLevel;
                double a = Math.max(actual[k], PSI_FLOOR);
                double e = Math.max(expected, PSI_FLOOR);
                sum += (a - e) * Math.log(a / e);
                previousLevel = level;
            }
            psi = sum;
        }
        return new Drift(shift, psi);
    }

    /**
     * The shares of sorted values in the eight bins cut by the seven edges ({@code x <= edge} falls
     * at or below it), or null when the edges are unknown or not strictly increasing.
     */
    static double[] binShares(double[] sorted, List<Double> edges) {
        return binShares(Order.sorted(sorted), edges);
    }

    /** {@link #binShares(double[], List)} over the values in an {@link Order}. */
    static double[] binShares(Order sorted, List<Double> edges) {
        for (int k = 0; k < edges.size(); k++) {
            if (edges.get(k) == null || k > 0 && !(edges.get(k) > edges.get(k - 1))) {
                return null;
            }
        }
        if (sorted.size() == 0) {
            return null;
        }
        long[] atMost = sorted.countsAtMost(edges);
        double[] shares = new double[edges.size() + 1];
        long below = 0;
        for (int k = 0; k <= edges.size(); k++) {
            long upTo = k < edges.size() ? atMost[k] : sorted.size();
            shares[k] = (double) (upTo - below) / sorted.size();
            below = upTo;
        }
        return shares;
    }

    // ---------------------------------------------------------------- the rows reported on

    /**
     * The feature rows (and, from a run's spill, candles) a report is over: the builder's frames
     * in memory, or a run's {@link FrameSpill}, read back one secid's column at a time so that
     * the heap holds one feature's values of the run, not every frame.
     */
    private interface Rows {
        QualityReport.Builder builder();

        /** The secids with rows, in the order given. */
        List<String> secids();

        /** The secids with candles beside the rows. */
        List<String> candleSecids();

        /** The rows of the secid, -1 when none were given. */
        int size(String secid);

        List<String> names(String secid);

        List<FeatureKind> kinds(String secid);

        double[] column(String secid, int col);

        Instant openTime(String secid, int row);

        CandleSeries candles(String secid);

        /** Whether some rows are in a file rather than the heap (the heap is then kept small). */
        boolean spilled();

        static Rows of(QualityReport.Builder b) {
            FrameSpill spill = b.spill;
            if (spill == null) {
                List<String> secids = List.copyOf(b.frames.keySet());
                return new Rows() {
                    @Override
                    public QualityReport.Builder builder() {
                        return b;
                    }

                    @Override
                    public List<String> secids() {
                        return secids;
                    }

                    @Override
                    public List<String> candleSecids() {
                        return List.of();
                    }

                    @Override
                    public int size(String secid) {
                        FeatureFrame f = b.frames.get(secid);
                        return f == null ? -1 : f.size();
                    }

                    @Override
                    public List<String> names(String secid) {
                        return b.frames.get(secid).featureNames();
                    }

                    @Override
                    public List<FeatureKind> kinds(String secid) {
                        return b.frames.get(secid).kinds();
                    }

                    @Override
                    public double[] column(String secid, int col) {
                        return b.frames.get(secid).column(col);
                    }

                    @Override
                    public Instant openTime(String secid, int row) {
                        return b.frames.get(secid).openTime(row);
                    }

                    @Override
                    public CandleSeries candles(String secid) {
                        return null;
                    }

                    @Override
                    public boolean spilled() {
                        return false;
                    }
                };
            }
            List<String> secids = spill.secids();
            List<String> withCandles = new ArrayList<>();
            for (int i = 0; i < spill.count(); i++) {
                if (spill.hasCandles(i)) {
                    withCandles.add(secids.get(i));
                }
            }
            return new Rows() {
                @Override
                public boolean spilled() {
                    return spill.spilledBytes() > 0;
                }

                @Override
                public QualityReport.Builder builder() {
                    return b;
                }

                @Override
                public List<String> secids() {
                    return secids;
                }

                @Override
                public List<String> candleSecids() {
                    return withCandles;
                }

                @Override
                public int size(String secid) {
                    int i = spill.indexOf(secid);
                    return i < 0 ? -1 : spill.rows(i);
                }

                @Override
                public List<String> names(String secid) {
                    return spill.featureNames(spill.indexOf(secid));
                }

                @Override
                public List<FeatureKind> kinds(String secid) {
                    return spill.kinds(spill.indexOf(secid));
                }

                @Override
                public double[] column(String secid, int col) {
                    return spill.column(spill.indexOf(secid), col);
                }

                @Override
                public Instant openTime(String secid, int row) {
                    return Instant.ofEpochMilli(spill.ts(spill.indexOf(secid), row));
                }

                @Override
                public CandleSeries candles(String secid) {
                    int i = spill.indexOf(secid);
                    return i < 0 ? null : spill.candles(i);
                }
            };
        }
    }
}
