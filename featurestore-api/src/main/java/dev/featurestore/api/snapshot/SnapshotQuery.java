package dev.featurestore.api.snapshot;

import dev.featurestore.api.Timeframe;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Which audit records to find: every criterion left null matches anything. The date is the
 * snapshot's date, the {@code YYYYMMDD} of its file name.
 *
 * <pre>{@code
 * SnapshotQuery.all().featureSet("tech_v2").timeframe(Timeframe.parse("5m")).secid("SBER");
 * SnapshotQuery.all().sha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
 * }</pre>
 *
 * @param featureSet the feature set a record must be of, or null for any
 * @param timeframe the timeframe a record must be of, or null for any
 * @param secid the secid a record must be of, or null for any
 * @param date the date a record's file name must carry, or null for any
 * @param sha256 the SHA-256 (64 lower-case hex digits) a record's file must have, or null for any
 */
public record SnapshotQuery(String featureSet, Timeframe timeframe, String secid, LocalDate date, String sha256) {

    /** {@return a query that matches every record, with no criterion set} */
    public static SnapshotQuery all() {
        return new SnapshotQuery(null, null, null, null, null);
    }

    /**
     * {@return this query restricted to a feature set}
     *
     * @param featureSet the feature set's name, e.g. {@code tech_v2}; not null
     * @throws NullPointerException when {@code featureSet} is null
     */
    public SnapshotQuery featureSet(String featureSet) {
        return new SnapshotQuery(Objects.requireNonNull(featureSet, "featureSet"), timeframe, secid, date, sha256);
    }

    /**
     * {@return this query restricted to a timeframe}
     *
     * @param timeframe the timeframe; not null
     * @throws NullPointerException when {@code timeframe} is null
     */
    public SnapshotQuery timeframe(Timeframe timeframe) {
        return new SnapshotQuery(featureSet, Objects.requireNonNull(timeframe, "timeframe"), secid, date, sha256);
    }

    /**
     * {@return this query restricted to a secid}
     *
     * @param secid the instrument, e.g. {@code SBER}; not null
     * @throws NullPointerException when {@code secid} is null
     */
    public SnapshotQuery secid(String secid) {
        return new SnapshotQuery(featureSet, timeframe, Objects.requireNonNull(secid, "secid"), date, sha256);
    }

    /**
     * {@return this query restricted to snapshots of a date (the file name's {@code YYYYMMDD})}
     *
     * @param date the snapshot date; not null
     * @throws NullPointerException when {@code date} is null
     */
    public SnapshotQuery date(LocalDate date) {
        return new SnapshotQuery(featureSet, timeframe, secid, Objects.requireNonNull(date, "date"), sha256);
    }

    /**
     * {@return this query restricted to a file hash}
     *
     * @param sha256 the file's SHA-256, 64 lower-case hex digits as recorded; not null
     * @throws NullPointerException when {@code sha256} is null
     */
    public SnapshotQuery sha256(String sha256) {
        return new SnapshotQuery(featureSet, timeframe, secid, date, Objects.requireNonNull(sha256, "sha256"));
    }

    /**
     * {@return true when the record meets every criterion set}
     *
     * @param r an audit record; not null
     */
    public boolean matches(SnapshotRecord r) {
        return (featureSet == null || featureSet.equals(r.featureSet()))
                && (timeframe == null || timeframe.equals(r.timeframe()))
                && (secid == null || secid.equals(r.secid()))
                && (sha256 == null || sha256.equals(r.sha256()))
                && (date == null || date.equals(fileDate(r.path())));
    }

    /**
     * {@return the date in a snapshot file name {@code .../YYYYMMDD.ext}, or null when it has none}
     *
     * @param path a snapshot file path, with {@code /} or {@code \} between its parts; not null
     */
    public static LocalDate fileDate(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        String name = path.substring(slash + 1);
        if (name.length() < 9 || name.charAt(8) != '.') {
            return null;
        }
        try {
            return LocalDate.parse(name.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
