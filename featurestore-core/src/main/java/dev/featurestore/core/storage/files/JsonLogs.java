package dev.featurestore.core.storage.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.snapshot.DatasetInfo;
import dev.featurestore.api.snapshot.SnapshotRecord;
import dev.featurestore.api.storage.BuildRecord;
import dev.featurestore.api.storage.StreamCheckpoint;
import dev.featurestore.core.io.AtomicFiles;
import dev.featurestore.core.storage.internal.SnapshotRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of a {@link FileStorage}: the marker, each feature set's {@code columns.json} (cached
 * once read), the build logs and the snapshot audit log (a JSON object a line), build and
 * snapshot records to and from JSON, and the {@value #META_KEY} metadata each data file carries
 * and is checked against on every read. Writes replace whole files through {@link AtomicFiles};
 * callers of the writing methods hold the storage's write lock.
 */
final class JsonLogs {
    /** The key of a data file's metadata holding its JSON description. */
    static final String META_KEY = "featurestore";

    private final FileLayout layout;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentHashMap<String, SetColumns> setColumns = new ConcurrentHashMap<>();

    /** A feature set's stored features and their kinds, in column order. */
    record SetColumns(List<String> names, List<FeatureKind> kinds) {
    }

    /** The JSON files of {@code layout}. */
    JsonLogs(FileLayout layout) {
        this.layout = layout;
    }

    // ---------------------------------------------------------------- marker and file metadata

    /**
     * Checks that the marker names {@code formatName} and this layout, writing the marker when
     * there is none.
     *
     * @throws StorageException when the directory holds another format or layout
     */
    Void checkMarker(String formatName) {
        Path dir = layout.dir();
        Path marker = layout.marker();
        if (Files.exists(marker)) {
            JsonNode node = readJson(marker);
            String format = node.path("format").asText("");
            if (!format.equals(formatName)) {
                throw new StorageException("the storage directory " + dir + " holds " + (format.isEmpty() ? "no known"
                        : "'" + format + "'") + " files, not '" + formatName + "' (see " + FileStorage.MARKER + ")",
                        null);
            }
            int version = node.path("layout").asInt(-1);
            if (version != FileLayout.LAYOUT_VERSION) {
                throw new StorageException("the storage directory " + dir + " has layout " + version
                        + "; this library reads layout " + FileLayout.LAYOUT_VERSION, null);
            }
            return null;
        }
        ObjectNode node = json.createObjectNode();
        node.put("format", formatName);
        node.put("extension", layout.ext());
        node.put("layout", FileLayout.LAYOUT_VERSION);
        AtomicFiles.write(marker, (node.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        return null;
    }

    /** The metadata of a candle file of {@code (secid, timeframe)}. */
    Map<String, String> candleMetadata(String secid, Timeframe timeframe) {
        ObjectNode meta = json.createObjectNode();
        meta.put("kind", "candles");
        meta.put("secid", secid);
        meta.put("timeframe", timeframe.toString());
        return Map.of(META_KEY, meta.toString());
    }

    /** The metadata of a feature file written by build number {@code seq}, {@code record}, of {@code frame}. */
    Map<String, String> featureMetadata(BuildRecord record, FeatureFrame frame, long seq) {
        ObjectNode meta = json.createObjectNode();
        meta.put("kind", "features");
        meta.put("feature_set", record.featureSet());
        meta.put("secid", record.secid());
        meta.put("timeframe", record.timeframe().toString());
        ArrayNode names = meta.putArray("features");
        frame.featureNames().forEach(names::add);
        ArrayNode kinds = meta.putArray("kinds");
        frame.kinds().forEach(k -> kinds.add(k.name()));
        meta.put("build_seq", seq);
        meta.set("build", buildToJson(record));
        return Map.of(META_KEY, meta.toString());
    }

    /** The {@value #META_KEY} metadata of a data file as JSON. */
    JsonNode metadataOf(Map<String, String> metadata, Path file) {
        String text = metadata.get(META_KEY);
        if (text == null) {
            throw new StorageException(file + " lacks the '" + META_KEY + "' metadata; it was not written by this storage",
                    null);
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StorageException("the '" + META_KEY + "' metadata of " + file + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks that {@code field} of {@code node}, read from {@code file}, is {@code expected}.
     *
     * @throws StorageException naming both values when it is not
     */
    static void requireText(JsonNode node, String field, String expected, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.asText().equals(expected)) {
            throw new StorageException(file + " holds " + field + " '" + (v == null ? "(none)" : v.asText())
                    .replace("\0", "\\0") + "', not '" + expected.replace("\0", "\\0")
                    + "'; two names that the file system does not tell apart (upper and lower case on a"
                    + " case-insensitive one) share this file", null);
        }
    }

    // ---------------------------------------------------------------- build logs

    /** The records of a build log, oldest first; none when there is no log. */
    List<BuildRecord> readLog(Path log) {
        List<BuildRecord> out = new ArrayList<>();
        for (JsonNode node : readJsonLines(log)) {
            out.add(buildFromJson(node, log));
        }
        return out;
    }

    /** Replaces a build log with {@code records}. */
    void writeLog(Path log, List<BuildRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (BuildRecord r : records) {
            sb.append(buildToJson(r)).append('\n');
        }
        AtomicFiles.write(log, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode buildToJson(BuildRecord r) {
        ObjectNode n = json.createObjectNode();
        n.put("feature_set", r.featureSet());
        n.put("timeframe", r.timeframe().toString());
        n.put("secid", r.secid());
        n.put("from_ts", r.fromTs());
        n.put("to_ts", r.toTs());
        n.put("history_start_ts", r.historyStartTs());
        n.put("rows", r.rows());
        n.put("window_size", r.windowSize());
        n.put("started_at", r.startedAt().toString());
        if (r.finishedAt() != null) {
            n.put("finished_at", r.finishedAt().toString());
        }
        n.put("status", r.status().name());
        if (r.fingerprint() != null) {
            n.put("fingerprint", r.fingerprint());
        }
        return n;
    }

    /** A build record from its JSON, read from {@code where}. */
    static BuildRecord buildFromJson(JsonNode n, Path where) {
        try {
            JsonNode finished = n.get("finished_at");
            return new BuildRecord(text(n, "feature_set"), Timeframe.parse(text(n, "timeframe")), text(n, "secid"),
                    n.get("from_ts").asLong(), n.get("to_ts").asLong(), n.get("history_start_ts").asLong(),
                    n.get("rows").asLong(), n.get("window_size").asInt(), Instant.parse(text(n, "started_at")),
                    finished == null || finished.isNull() ? null : Instant.parse(finished.asText()),
                    BuildRecord.Status.valueOf(text(n, "status")), optionalText(n, "fingerprint"));
        } catch (RuntimeException e) {
            throw new StorageException("malformed build record in " + where + ": " + n + " (" + e + ")", e);
        }
    }

    // ---------------------------------------------------------------- stream checkpoints

    /** Replaces the checkpoint file of a series with {@code c}, the state in base64. */
    void writeCheckpoint(Path file, StreamCheckpoint c) {
        ObjectNode n = json.createObjectNode();
        n.put("feature_set", c.featureSet());
        n.put("timeframe", c.timeframe().toString());
        n.put("secid", c.secid());
        n.put("last_candle_ts", c.lastCandleTs());
        n.put("fingerprint", c.fingerprint());
        n.put("saved_at", c.savedAt().toString());
        n.put("state", Base64.getEncoder().encodeToString(c.state()));
        AtomicFiles.write(file, (n + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The checkpoint in {@code file}, null when there is none. */
    StreamCheckpoint readCheckpoint(Path file, String featureSet, Timeframe timeframe, String secid) {
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode n = readJson(file);
        requireText(n, "feature_set", featureSet, file);
        requireText(n, "timeframe", timeframe.toString(), file);
        requireText(n, "secid", secid, file);
        try {
            return new StreamCheckpoint(featureSet, timeframe, secid, n.get("last_candle_ts").asLong(),
                    text(n, "fingerprint"), Base64.getDecoder().decode(text(n, "state")),
                    Instant.parse(text(n, "saved_at")));
        } catch (RuntimeException e) {
            throw new StorageException("malformed stream checkpoint in " + file + " (" + e + ")", e);
        }
    }

    // ---------------------------------------------------------------- set columns

    /** A feature set's stored features, null before its first build. */
    SetColumns columnsOf(String featureSet) {
        SetColumns c = setColumns.get(featureSet);
        if (c != null) {
            return c;
        }
        Path file = layout.columnsFile(featureSet);
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode node = readJson(file);
        requireText(node, "feature_set", featureSet, file);
        List<String> names = new ArrayList<>();
        List<FeatureKind> kinds = new ArrayList<>();
        try {
            node.get("features").forEach(n -> names.add(n.asText()));
            node.get("kinds").forEach(n -> kinds.add(FeatureKind.valueOf(n.asText())));
        } catch (RuntimeException e) {
            throw new StorageException("malformed feature list in " + file + ": " + e, e);
        }
        if (names.size() != kinds.size()) {
            throw new StorageException(file + " lists " + names.size() + " features but " + kinds.size() + " kinds",
                    null);
        }
        c = new SetColumns(List.copyOf(names), List.copyOf(kinds));
        setColumns.put(featureSet, c);
        return c;
    }

    /** Fixes a feature set's features and kinds. */
    void writeColumns(String featureSet, List<String> names, List<FeatureKind> kinds) {
        ObjectNode node = json.createObjectNode();
        node.put("feature_set", featureSet);
        ArrayNode n = node.putArray("features");
        names.forEach(n::add);
        ArrayNode k = node.putArray("kinds");
        kinds.forEach(x -> k.add(x.name()));
        AtomicFiles.write(layout.columnsFile(featureSet), (node + "\n").getBytes(StandardCharsets.UTF_8));
        setColumns.put(featureSet, new SetColumns(List.copyOf(names), List.copyOf(kinds)));
    }

    // ---------------------------------------------------------------- snapshot log

    /**
     * Appends to the snapshot log the records of a batch that {@link SnapshotRows#notYetRecorded}
     * keeps; nothing is written when it keeps none.
     *
     * @throws StorageException when the log holds a record with the key of one of the batch
     */
    void appendSnapshots(List<SnapshotRecord> copy) {
        Path log = layout.snapshotLog();
        StringBuilder sb = new StringBuilder();
        Set<String> ids = new HashSet<>();
        List<SnapshotRecord> recorded = new ArrayList<>();
        for (JsonNode n : readJsonLines(log)) {
            SnapshotRecord old = snapshotFromJson(n, log);
            ids.add(SnapshotRows.id(old));
            recorded.add(old);
            sb.append(n).append('\n');
        }
        for (SnapshotRecord r : copy) {
            if (ids.contains(SnapshotRows.id(r))) {
                throw new StorageException("snapshot of secid '" + r.secid() + "' in " + r.path() + " created at "
                        + r.createdAt() + " is already recorded; audit rows are never changed", null);
            }
        }
        List<SnapshotRecord> fresh = SnapshotRows.notYetRecorded(copy, recorded);
        if (fresh.isEmpty()) {
            return;
        }
        for (SnapshotRecord r : fresh) {
            sb.append(snapshotToJson(r)).append('\n');
        }
        AtomicFiles.write(log, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The records of the snapshot log in the order written; none when there is no log. */
    List<SnapshotRecord> readSnapshots() {
        Path log = layout.snapshotLog();
        List<SnapshotRecord> out = new ArrayList<>();
        for (JsonNode n : readJsonLines(log)) {
            out.add(snapshotFromJson(n, log));
        }
        return out;
    }

    private ObjectNode snapshotToJson(SnapshotRecord r) {
        ObjectNode n = json.createObjectNode();
        n.put("secid", r.secid());
        n.put("timeframe", r.timeframe().toString());
        n.put("feature_set", r.featureSet());
        n.put("rows_count", r.rowsCount());
        n.put("path", r.path());
        n.put("format", r.format());
        n.put("sha256", r.sha256());
        n.put("min_ts", r.minTs());
        n.put("max_ts", r.maxTs());
        n.put("history_start_ts", r.historyStartTs());
        n.put("created_at", r.createdAt().toString());
        n.put("library_version", r.libraryVersion());
        if (r.replacedSha256() != null) {
            n.put("replaced_sha256", r.replacedSha256());
        }
        if (r.fingerprint() != null) {
            n.put("fingerprint", r.fingerprint());
        }
        DatasetInfo d = r.dataset();
        if (d != null) {
            ObjectNode ds = n.putObject("dataset");
            ds.put("split", d.split());
            ds.put("split_from", d.splitFromTs());
            ds.put("split_to", d.splitToTs());
            ds.put("label_definition", d.labels());
            if (d.normalized()) {
                ds.put("normalization_id", d.normalizationId());
                ds.put("normalization_sha256", d.normalizationSha256());
                ds.put("normalization", d.normalizationJson());
            }
            ds.put("dataset_fingerprint", d.datasetFingerprint());
        }
        return n;
    }

    private static DatasetInfo datasetFromJson(JsonNode n) {
        JsonNode d = n.get("dataset");
        if (d == null || d.isNull()) {
            return null;
        }
        return new DatasetInfo(text(d, "split"), d.get("split_from").asLong(), d.get("split_to").asLong(),
                text(d, "label_definition"), optionalText(d, "normalization_id"),
                optionalText(d, "normalization_sha256"), optionalText(d, "normalization"),
                text(d, "dataset_fingerprint"));
    }

    private static SnapshotRecord snapshotFromJson(JsonNode n, Path log) {
        try {
            return new SnapshotRecord(text(n, "secid"), Timeframe.parse(text(n, "timeframe")), text(n, "feature_set"),
                    n.get("rows_count").asLong(), text(n, "path"), text(n, "format"), text(n, "sha256"),
                    n.get("min_ts").asLong(), n.get("max_ts").asLong(), n.get("history_start_ts").asLong(),
                    Instant.parse(text(n, "created_at")), text(n, "library_version"),
                    optionalText(n, "replaced_sha256"), optionalText(n, "fingerprint"), datasetFromJson(n));
        } catch (RuntimeException e) {
            throw new StorageException("malformed snapshot record in " + log + ": " + n + " (" + e + ")", e);
        }
    }

    // ---------------------------------------------------------------- reading JSON

    private JsonNode readJson(Path file) {
        try {
            return json.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
    }

    private List<JsonNode> readJsonLines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e, e);
        }
        List<JsonNode> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            try {
                out.add(json.readTree(lines.get(i)));
            } catch (JsonProcessingException e) {
                throw new StorageException("line " + (i + 1) + " of " + file + " is not JSON: " + e.getOriginalMessage(),
                        e);
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v.asText();
    }

    /** A text field that may be absent (lines written before it existed): null then. */
    private static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
