package dev.featurestore.core.quality;

import dev.featurestore.core.internal.YamlTree;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the data-quality report, read from the registry's {@code quality:} section (see
 * {@link dev.featurestore.core.registry.FeatureRegistry#quality()}): the expected trading session
 * (zone, open and close time, weekdays) against which missing candles are counted, the directory
 * reports go to, and a {@link Threshold} per {@link QualityCheck}.
 *
 * <p>Defaults ({@link #defaults()}): the Moscow Exchange main session, 10:00 to 18:40
 * Europe/Moscow, Monday to Friday; reports under {@code docs/data_quality}; thresholds
 * <ul>
 *   <li>{@code row_count}: fail at 1 (a secid without clean rows), not blocking;</li>
 *   <li>{@code missing_candles}: warn at 0.01, fail at 0.10, not blocking;</li>
 *   <li>{@code duplicates}, {@code out_of_order}: warn at 1, not blocking;</li>
 *   <li>{@code non_finite}, {@code out_of_range}: fail at 1, blocking;</li>
 *   <li>{@code staleness}: reported only (historical backfills are stale by nature);</li>
 *   <li>{@code drift_mean_shift}: warn at 0.5, fail at 2.0; {@code drift_psi}: warn at 0.1, fail
 *       at 0.25; not blocking.</li>
 * </ul>
 *
 * <p>Immutable; the builder makes a new one.
 */
public final class QualityConfig {
    private static final QualityConfig DEFAULTS = builder().build();

    private final ZoneId sessionZone;
    private final LocalTime sessionOpen;
    private final LocalTime sessionClose;
    private final Set<DayOfWeek> weekdays;
    private final Path reportDirectory;
    private final Map<QualityCheck, Threshold> thresholds;

    private QualityConfig(Builder b) {
        this.sessionZone = b.sessionZone;
        this.sessionOpen = b.sessionOpen;
        this.sessionClose = b.sessionClose;
        this.weekdays = Collections.unmodifiableSet(EnumSet.copyOf(b.weekdays));
        this.reportDirectory = b.reportDirectory;
        this.thresholds = Collections.unmodifiableMap(new EnumMap<>(b.thresholds));
    }

    /** {@return the defaults described above, one shared instance} */
    public static QualityConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a new builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the registry's {@code quality:} section over the {@link #defaults()}: the session zone
     * defaults to {@code exchangeZone}; a check's key left out keeps its default, a key set to
     * null ({@code ~}) clears it. A missing or null section gives the defaults in the exchange's
     * zone. Called by {@link dev.featurestore.core.registry.FeatureRegistry} while it reads a file.
     *
     * @param source names the registry file in errors
     * @param section the {@code quality:} node of the registry's YAML tree, or null when absent
     * @param exchangeZone the registry's exchange time zone
     * @return the settings of the section over the defaults
     * @throws dev.featurestore.api.RegistryException naming the file, line and key of what is wrong
     */
    @SuppressWarnings("exports") // YamlTree is internal: this entry point is for the registry, not for users
    public static QualityConfig parse(String source, YamlTree.Node section, ZoneId exchangeZone) {
        return QualitySection.read(source, section, exchangeZone);
    }

    /** {@return a new builder starting from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sessionZone = sessionZone;
        b.sessionOpen = sessionOpen;
        b.sessionClose = sessionClose;
        b.weekdays = EnumSet.copyOf(weekdays);
        b.reportDirectory = reportDirectory;
        b.thresholds.putAll(thresholds);
        return b;
    }

    /** {@return the zone of the session hours, e.g. {@code Europe/Moscow}} */
    public ZoneId sessionZone() {
        return sessionZone;
    }

    /** {@return the session's first minute, in the session zone, e.g. 10:00} */
    public LocalTime sessionOpen() {
        return sessionOpen;
    }

    /** {@return the end of the session (exclusive), in the session zone, e.g. 18:40; after the open} */
    public LocalTime sessionClose() {
        return sessionClose;
    }

    /** {@return the weekdays with a session, at least one; unmodifiable} */
    public Set<DayOfWeek> weekdays() {
        return weekdays;
    }

    /** {@return where reports are written, relative to the working directory unless absolute} */
    public Path reportDirectory() {
        return reportDirectory;
    }

    /**
     * The threshold of a check.
     *
     * @param check the check
     * @return its threshold, never null ({@link Threshold#reportOnly()} for a check that only reports)
     */
    public Threshold threshold(QualityCheck check) {
        return thresholds.get(Objects.requireNonNull(check, "check"));
    }

    /** {@return every check's threshold, in {@link QualityCheck} order; unmodifiable} */
    public Map<QualityCheck, Threshold> thresholds() {
        return thresholds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualityConfig q && q.sessionZone.equals(sessionZone) && q.sessionOpen.equals(sessionOpen)
                && q.sessionClose.equals(sessionClose) && q.weekdays.equals(weekdays)
                && q.reportDirectory.equals(reportDirectory) && q.thresholds.equals(thresholds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionZone, sessionOpen, sessionClose, weekdays, reportDirectory, thresholds);
    }

    @Override
    public String toString() {
        return "QualityConfig[session " + sessionOpen + "-" + sessionClose + " " + sessionZone + " " + weekdays
                + ", reports in " + reportDirectory + ", thresholds " + thresholds + "]";
    }

    /** Builds a {@link QualityConfig}; starts from the defaults. */
    public static final class Builder {
        private ZoneId sessionZone = ZoneId.of("Europe/Moscow");
        private LocalTime sessionOpen = LocalTime.of(10, 0);
        private LocalTime sessionClose = LocalTime.of(18, 40);
        private Set<DayOfWeek> weekdays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        private Path reportDirectory = Path.of("docs", "data_quality");
        private final Map<QualityCheck, Threshold> thresholds = new EnumMap<>(QualityCheck.class);

        private Builder() {
            thresholds.put(QualityCheck.ROW_COUNT, new Threshold(null, 1.0, false));
            thresholds.put(QualityCheck.MISSING_CANDLES, new Threshold(0.01, 0.10, false));
            thresholds.put(QualityCheck.DUPLICATES, new Threshold(1.0, null, false));
            thresholds.put(QualityCheck.OUT_OF_ORDER, new Threshold(1.0, null, false));
            thresholds.put(QualityCheck.NON_FINITE, new Threshold(null, 1.0, true));
            thresholds.put(QualityCheck.OUT_OF_RANGE, new Threshold(null, 1.0, true));
            thresholds.put(QualityCheck.STALENESS, Threshold.reportOnly());
            thresholds.put(QualityCheck.DRIFT_MEAN_SHIFT, new Threshold(0.5, 2.0, false));
            thresholds.put(QualityCheck.DRIFT_PSI, new Threshold(0.1, 0.25, false));
        }

        /**
         * The session: its zone, first minute and end (exclusive; after the open, same day).
         *
         * @param zone the zone of the session hours
         * @param open the session's first minute
         * @param close the end of the session, excluded; after {@code open}
         * @return this builder
         * @throws IllegalArgumentException when {@code close} is not after {@code open}
         */
        public Builder session(ZoneId zone, LocalTime open, LocalTime close) {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(open, "open");
            Objects.requireNonNull(close, "close");
            if (!close.isAfter(open)) {
                throw new IllegalArgumentException("session close " + close + " must be after its open " + open
                        + " on the same day");
            }
            this.sessionZone = zone;
            this.sessionOpen = open;
            this.sessionClose = close;
            return this;
        }

        /**
         * The zone of the session hours, keeping the times.
         *
         * @param zone the zone, e.g. the registry's exchange zone
         * @return this builder
         */
        public Builder sessionZone(ZoneId zone) {
            this.sessionZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * The weekdays with a session (at least one).
         *
         * @param days the weekdays, copied
         * @return this builder
         * @throws IllegalArgumentException when {@code days} is empty
         */
        public Builder weekdays(Set<DayOfWeek> days) {
            if (days.isEmpty()) {
                throw new IllegalArgumentException("name at least one weekday with a session");
            }
            this.weekdays = EnumSet.copyOf(days);
            return this;
        }

        /**
         * Where reports are written.
         *
         * @param dir the report directory, relative to the working directory unless absolute
         * @return this builder
         */
        public Builder reportDirectory(Path dir) {
            this.reportDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * The threshold of one check.
         *
         * @param check the check
         * @param threshold its new threshold, replacing the one before
         * @return this builder
         */
        public Builder threshold(QualityCheck check, Threshold threshold) {
            thresholds.put(Objects.requireNonNull(check, "check"), Objects.requireNonNull(threshold, "threshold"));
            return this;
        }

        /** {@return the configuration of these settings; the builder may go on to build others} */
        public QualityConfig build() {
            return new QualityConfig(this);
        }
    }
}
