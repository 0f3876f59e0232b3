package dev.featurestore.core.storage.internal;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.StreamCheckpoint;
import java.util.Objects;
import java.time.Instant;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.util.function.LongUnaryOperator;

/** Checks every storage applies before it writes a build. Not public API. */
public final class StorageChecks {
    private StorageChecks() {
    }

    /**
     * The {@code available_at} of a row of the build when the caller gives none: the default
     * exchange calendar's ({@link ExchangeCalendar#defaultCalendar()}), {@code ts + timeframe}
     * below a day.
     */
    public static LongUnaryOperator defaultAvailability(BuildRecord record) {
        Timeframe tf = record.timeframe();
        ExchangeCalendar calendar = ExchangeCalendar.defaultCalendar();
        return ts -> calendar.availableAt(tf, ts);
    }

    /**
     * The frame belongs to the record (set, secid), lies within its range, and its categories
     * are whole numbers in 0..32767.
     *
     * @throws IllegalArgumentException naming the row and value that break a rule
     */
    public static void checkBuild(BuildRecord record, FeatureFrame frame) {
        if (!frame.featureSet().equals(record.featureSet()) || !frame.secid().equals(record.secid())) {
            throw new IllegalArgumentException("frame of (" + frame.featureSet() + ", " + frame.secid()
                    + ") does not belong to the build of (" + record.featureSet() + ", " + record.secid() + ")");
        }
        if (record.fromTs() > record.toTs()) {
            throw new IllegalArgumentException("build range [" + Instant.ofEpochMilli(record.fromTs()) + ", "
                    + Instant.ofEpochMilli(record.toTs()) + ") is reversed: from is after to");
        }
        for (int r = 0; r < frame.size(); r++) {
            long ts = frame.ts(r);
            if (ts < record.fromTs() || ts >= record.toTs()) {
                throw new IllegalArgumentException("row " + r + " (ts " + Instant.ofEpochMilli(ts)
                        + ") of the frame lies outside the build range [" + Instant.ofEpochMilli(record.fromTs()) + ", "
                        + Instant.ofEpochMilli(record.toTs()) + ")");
            }
        }
        for (int j = 0; j < frame.kinds().size(); j++) {
            if (frame.kinds().get(j) == FeatureKind.CATEGORICAL) {
                for (int r = 0; r < frame.size(); r++) {
                    double v = frame.value(r, j);
                    if (!(v >= 0 && v <= Short.MAX_VALUE && v == Math.rint(v))) {
                        throw new IllegalArgumentException("categorical feature '" + frame.featureNames().get(j)
                                + "' has value " + v + " at row " + r + " (ts " + frame.ts(r)
                                + "); categories are whole numbers 0.." + Short.MAX_VALUE);
                    }
                }
            }
        }
    }

    /**
     * The checks of {@code FeatureStorage.writeStreamRows}: those of a build, and a checkpoint
     * (when given) of the same series.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkStreamRows(BuildRecord record, FeatureFrame rows, StreamCheckpoint checkpoint) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(rows, "rows");
        checkBuild(record, rows);
        if (checkpoint != null && (!checkpoint.featureSet().equals(record.featureSet())
                || !checkpoint.timeframe().equals(record.timeframe()) || !checkpoint.secid().equals(record.secid()))) {
            throw new IllegalArgumentException(checkpoint + " does not belong to the build of (" + record.featureSet()
                    + ", " + record.timeframe() + ", " + record.secid() + ")");
        }
    }

    /**
     * {@return the record a storage keeps after a stream's write: {@code earlier} extended by
     * {@code later} when {@code later} continues it, else {@code later}}
     */
    public static BuildRecord extended(BuildRecord earlier, BuildRecord later) {
        if (earlier == null || !later.continues(earlier)) {
            return later;
        }
        return new BuildRecord(earlier.featureSet(), earlier.timeframe(), earlier.secid(), earlier.fromTs(),
                later.toTs(), earlier.historyStartTs(), earlier.rows() + later.rows(), earlier.windowSize(),
                earlier.startedAt(), later.finishedAt(), earlier.status(), earlier.fingerprint());
    }
}
