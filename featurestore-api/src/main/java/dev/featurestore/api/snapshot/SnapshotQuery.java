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
 */
public record SnapshotQuery(String featureSet, Timeframe timeframe, String secid, LocalDate date, String sha256) {

    /** Matches every record. */
    public static SnapshotQuery all() {
        return new SnapshotQuery(null, null, null, null, null);
    }

    /** This query restricted to a feature set. */
    public SnapshotQuery featureSet(String featureSet) {
        return new SnapshotQuery(Objects.requireNonNull(featureSet, "featureSet"), timeframe, secid, date, sha256);
    }

    /** This query restricted to a timeframe. */
    public SnapshotQuery timeframe(Timeframe timeframe) {
        return new SnapshotQuery(featureSet, Objects.requireNonNull(timeframe, "timeframe"), secid, date, sha256);
    }

    /** This query restricted to a secid. */
    public SnapshotQuery secid(String secid) {
        return new SnapshotQuery(featureSet, timeframe, Objects.requireNonNull(secid, "secid"), date, sha256);
    }

    /** This query restricted to snapshots of a date (the file name's {@code YYYYMMDD}). */
    public SnapshotQuery date(LocalDate date) {
        return new SnapshotQuery(featureSet, timeframe, secid, Objects.requireNonNull(date, "date"), sha256);
    }

    /** This query restricted to a file hash. */
    public SnapshotQuery sha256(String sha256) {
        return new SnapshotQuery(featureSet, timeframe, secid, date, Objects.requireNonNull(sha256, "sha256"));
    }

    /** True when the record meets every criterion set. */
    public boolean matches(SnapshotRecord r) {
        return (featureSet == null || featureSet.equals(r.featureSet()))
                && (timeframe == null || timeframe.equals(r.timeframe()))
                && (secid == null || secid.equals(r.secid()))
                && (sha256 == null || sha256.equals(r.sha256()))
                && (date == null || date.equals(fileDate(r.path())));
    }

    /** The date in a snapshot file name {@code .../YYYYMMDD.ext}, or null when it has none. */
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
