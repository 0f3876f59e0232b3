package dev.featurestore.core.ingest;

import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.storage.UpsertResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Ingest} did, per secid in the order ingested: the summed {@link UpsertResult} of
 * its pages, the source's {@link InputStats} (for the data-quality report), and where it resumed.
 *
 * @param secids per secid, in the order ingested
 * @param took the wall time of the whole ingest
 */
public record IngestResult(Map<String, Secid> secids, Duration took) {
    /**
     * Copies the map, keeping its order.
     *
     * @param secids per secid, in the order ingested
     * @param took the wall time of the whole ingest
     */
    public IngestResult {
        secids = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(secids, "secids")));
        Objects.requireNonNull(took, "took");
    }

    /**
     * The ingest of one secid.
     *
     * @param secid the instrument's code
     * @param upsert candles inserted, replaced and unchanged, over all pages
     * @param input the raw-input counts the source reported for the range it read
     * @param resumedFrom the stored candle the ingest continued from, or null when it read the whole range
     * @param pages the pages the source delivered
     */
    public record Secid(String secid, UpsertResult upsert, InputStats input, Instant resumedFrom, long pages) {
        /**
         * Checks the parts.
         *
         * @param secid the instrument's code
         * @param upsert candles inserted, replaced and unchanged, over all pages
         * @param input the raw-input counts the source reported
         * @param resumedFrom the stored candle the ingest continued from, or null
         * @param pages the pages the source delivered
         * @throws NullPointerException when {@code secid}, {@code upsert} or {@code input} is null
         */
        public Secid {
            Objects.requireNonNull(secid, "secid");
            Objects.requireNonNull(upsert, "upsert");
            Objects.requireNonNull(input, "input");
        }

        /** {@return the open time of the stored candle the ingest resumed from, empty when it read the whole range} */
        public Optional<Instant> resumed() {
            return Optional.ofNullable(resumedFrom);
        }
    }

    /** {@return per secid, in the order ingested: what the upserts did} */
    public Map<String, UpsertResult> upserts() {
        Map<String, UpsertResult> out = new LinkedHashMap<>();
        secids.forEach((k, v) -> out.put(k, v.upsert()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@return per secid, in the order ingested: the raw-input counts, for {@link
     * dev.featurestore.core.quality.QualityReport.Builder#inputStats}}
     */
    public Map<String, InputStats> inputStats() {
        Map<String, InputStats> out = new LinkedHashMap<>();
        secids.forEach((k, v) -> out.put(k, v.input()));
        return Collections.unmodifiableMap(out);
    }

    /** {@return the upserts of all secids together: the sums of inserted, replaced and unchanged} */
    public UpsertResult total() {
        UpsertResult sum = new UpsertResult(0, 0, 0);
        for (Secid s : secids.values()) {
            sum = sum.plus(s.upsert());
        }
        return sum;
    }
}
