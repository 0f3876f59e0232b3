package dev.featurestore.core.snapshot;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.UnsafeSnapshotPathException;
import dev.featurestore.core.calendar.ExchangeCalendar;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Where snapshot files go: {@code {dir}/{feature_set}/{timeframe}/YYYYMMDD.{extension}}, the date
 * being the UTC date of the latest {@code available_at} (candle open time plus the timeframe) in
 * the file unless the caller names one.
 *
 * <pre>{@code
 * SnapshotLayout.path(Path.of("data/processed/features"), "tech_v2", Timeframe.parse("5m"),
 *         LocalDate.of(2026, 3, 2), "parquet");
 * // data/processed/features/tech_v2/5m/20260302.parquet
 * }</pre>
 */
public final class SnapshotLayout {
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private SnapshotLayout() {
    }

    /**
     * The snapshot path; the names are checked first.
     *
     * @param dir the snapshot output directory
     * @param featureSet the feature set's name, one safe path element
     * @param timeframe the snapshot's timeframe, which names the second directory level
     * @param date the snapshot's date, in years 0001-9999
     * @param extension the file name extension without the dot, e.g. {@code parquet}
     * @return {@code {dir}/{feature_set}/{timeframe}/YYYYMMDD.{extension}}, {@code dir} normalised
     * @throws UnsafeSnapshotPathException when the feature set or the extension could escape
     *     {@code dir}
     * @throws IllegalArgumentException when the date is outside years 0001-9999
     */
    public static Path path(Path dir, String featureSet, Timeframe timeframe, LocalDate date, String extension) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(timeframe, "timeframe");
        Objects.requireNonNull(date, "date");
        requireSafeName("feature set", featureSet);
        requireSafeName("timeframe", timeframe.toString());
        requireSafeName("file extension", extension);
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw new IllegalArgumentException("snapshot date " + date + " is outside years 0001-9999");
        }
        Path base = dir.normalize();
        Path p = base.resolve(featureSet).resolve(timeframe.toString()).resolve(fileName(date, extension));
        if (!p.normalize().startsWith(base) || !p.normalize().equals(p)) {
            throw new UnsafeSnapshotPathException("snapshot path " + p + " would leave the directory " + base);
        }
        return p;
    }

    /**
     * The file name {@code YYYYMMDD.extension}.
     *
     * @param date the snapshot's date
     * @param extension the file name extension without the dot, e.g. {@code parquet}
     * @return the file name, e.g. {@code 20260302.parquet}
     * @throws UnsafeSnapshotPathException when the extension is not a safe name
     */
    public static String fileName(LocalDate date, String extension) {
        requireSafeName("file extension", extension);
        return DATE.format(date) + "." + extension;
    }

    /**
     * The as-of date with the default exchange calendar; see
     * {@link #asOfDate(List, Timeframe, ExchangeCalendar)}.
     *
     * @param frames the rows of the snapshot, of any secids
     * @param timeframe the rows' timeframe
     * @return the date of the latest {@code available_at}
     * @throws IllegalArgumentException when the frames hold no row
     */
    public static LocalDate asOfDate(List<FeatureFrame> frames, Timeframe timeframe) {
        return asOfDate(frames, timeframe, ExchangeCalendar.defaultCalendar());
    }

    /**
     * The date of the latest {@code available_at} among the frames' rows
     * ({@link ExchangeCalendar#availableAt}), named by {@link ExchangeCalendar#fileDate}: the UTC
     * date below a day, the trading date in the exchange zone for {@code 1d} (the day after the
     * last candle's trading day, when that candle became known).
     *
     * @param frames the rows of the snapshot, of any secids
     * @param timeframe the rows' timeframe
     * @param calendar the exchange's trading days
     * @return the date of the latest {@code available_at}
     * @throws IllegalArgumentException when the frames hold no row
     */
    public static LocalDate asOfDate(List<FeatureFrame> frames, Timeframe timeframe, ExchangeCalendar calendar) {
        long max = Long.MIN_VALUE;
        for (FeatureFrame f : frames) {
            if (!f.isEmpty()) {
                max = Math.max(max, f.ts(f.size() - 1));
            }
        }
        if (max == Long.MIN_VALUE) {
            throw new IllegalArgumentException("the frames hold no row, so a snapshot has no as-of date");
        }
        return calendar.fileDate(timeframe, calendar.availableAt(timeframe, max));
    }

    /**
     * Checks that a name can be one path element below the snapshot directory: one or more of
     * {@code A-Z a-z 0-9 _ . -}, not starting with a dot (so neither {@code .}, {@code ..} nor a
     * hidden name).
     *
     * @param what what the name is, for the message (e.g. {@code feature set})
     * @param name the name to check; null is refused like an empty one
     * @throws UnsafeSnapshotPathException saying what is wrong with the name
     */
    public static void requireSafeName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new UnsafeSnapshotPathException(what + " name is empty; it names a snapshot directory");
        }
        String shown = name.replace("\0", "\\0");
        if (name.equals(".") || name.equals("..")) {
            throw new UnsafeSnapshotPathException(what + " name '" + shown
                    + "' would refer to the snapshot directory or its parent");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                throw new UnsafeSnapshotPathException(what + " name '" + shown
                        + "' contains a path separator at index " + i + " and could escape the snapshot directory");
            }
            if (c == '\0') {
                throw new UnsafeSnapshotPathException(what + " name '" + shown + "' contains a NUL at index " + i);
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '.';
            if (!ok) {
                throw new UnsafeSnapshotPathException(what + " name '" + shown + "' contains '" + c + "' at index " + i
                        + "; snapshot directory names use only A-Z a-z 0-9 _ . -");
            }
        }
        if (name.charAt(0) == '.') {
            throw new UnsafeSnapshotPathException(what + " name '" + shown + "' starts with a dot");
        }
    }
}
