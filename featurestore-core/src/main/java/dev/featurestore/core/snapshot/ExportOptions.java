package dev.featurestore.core.snapshot;

import java.time.LocalDate;

/**
 * Options of a snapshot export from a query ({@code FeatureQuery.export(format, dir, options)}):
 * the compression codec, whether an existing snapshot of different content may be replaced, and
 * the snapshot's date. Immutable; each step returns new options.
 *
 * <pre>{@code
 * store.forSet("tech_v2").timeframe("5m").secids("SBER", "GAZP").between(from, to)
 *         .export("parquet", Path.of("data/processed/features"),
 *                 ExportOptions.defaults().compression("zstd").date(LocalDate.of(2026, 3, 2)));
 * }</pre>
 *
 * @param compression a codec the format lists in its {@code compressions()}, or null for the
 *     format's default
 * @param overwrite whether a snapshot of different content at the same path may be replaced; the
 *     replacement is recorded in the audit rows ({@code replaced_sha256})
 * @param date the snapshot's date (the file name's {@code YYYYMMDD}), or null for the as-of date
 *     of the rows (UTC date of the latest {@code ts + timeframe})
 */
public record ExportOptions(String compression, boolean overwrite, LocalDate date) {

    /** {@return the format's default compression, no overwrite, the as-of date of the rows} */
    public static ExportOptions defaults() {
        return new ExportOptions(null, false, null);
    }

    /**
     * These options with a compression codec; whether the format has it is checked at the export.
     *
     * @param compression a codec the format lists in its {@code compressions()}, e.g. {@code zstd},
     *     or null for the format's default
     * @return new options with this codec, the others unchanged
     */
    public ExportOptions compression(String compression) {
        return new ExportOptions(compression, overwrite, date);
    }

    /**
     * These options allowing (or not) to replace a snapshot of different content.
     *
     * @param overwrite true to replace it, recording the replaced file's hash; false to refuse it
     * @return new options with this choice, the others unchanged
     */
    public ExportOptions overwrite(boolean overwrite) {
        return new ExportOptions(compression, overwrite, date);
    }

    /**
     * These options with the snapshot's date.
     *
     * @param date the file name's {@code YYYYMMDD}, in years 0001-9999, or null for the as-of date of the rows
     * @return new options with this date, the others unchanged
     */
    public ExportOptions date(LocalDate date) {
        return new ExportOptions(compression, overwrite, date);
    }
}
