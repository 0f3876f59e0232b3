package dev.featurestore.core.storage.files;

import dev.featurestore.api.Timeframe;
import dev.featurestore.core.snapshot.SnapshotLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where each file of a {@link FileStorage} lives under its directory (the layout its class
 * documentation draws), and how secids and feature-set names become file names: percent-encoded
 * by {@link #encodeName(String, String)}. It also names the columns of the data files. It touches
 * no file.
 */
final class FileLayout {
    /** The layout version the marker records; a directory of another version is refused. */
    static final int LAYOUT_VERSION = 1;
    /** The value columns of a candle file, after {@code ts}. */
    static final List<String> CANDLE_COLUMNS = List.of("open", "high", "low", "close", "volume");

    private static final String SNAPSHOT_LOG = "snapshots.jsonl";

    private final Path dir;
    private final String ext;

    /**
     * The layout under {@code dir} of files with extension {@code ext}.
     *
     * @throws dev.featurestore.api.snapshot.UnsafeSnapshotPathException when the extension is not
     *     a safe path element
     */
    FileLayout(Path dir, String ext) {
        this.dir = dir;
        this.ext = ext;
        SnapshotLayout.requireSafeName("file extension", ext);
    }

    /** The storage's directory. */
    Path dir() {
        return dir;
    }

    /** The data files' extension, without the dot. */
    String ext() {
        return ext;
    }

    /** The marker file naming the format of the directory. */
    Path marker() {
        return dir.resolve(FileStorage.MARKER);
    }

    /** The file locked by writers. */
    Path lockFile() {
        return dir.resolve(FileStorage.LOCK_FILE);
    }

    /** The snapshot audit log. */
    Path snapshotLog() {
        return dir.resolve(SNAPSHOT_LOG);
    }

    /** The directory holding one directory of candle files per timeframe. */
    Path candlesDir() {
        return dir.resolve("candles");
    }

    /** The name of a secid's candle file within its timeframe's directory. */
    String candleFileName(String secid) {
        return encodeName("secid", secid) + "." + ext;
    }

    Path candleFile(String secid, Timeframe timeframe) {
        return candlesDir().resolve(timeframeDir(timeframe)).resolve(candleFileName(secid));
    }

    /** The file keeping a feature set's features and kinds. */
    Path columnsFile(String featureSet) {
        return setDir(featureSet).resolve("columns.json");
    }

    Path featureFile(String featureSet, Timeframe timeframe, String secid) {
        return setDir(featureSet).resolve(timeframeDir(timeframe)).resolve(encodeName("secid", secid) + "." + ext);
    }

    Path buildLog(String featureSet, Timeframe timeframe, String secid) {
        return setDir(featureSet).resolve(timeframeDir(timeframe)).resolve(encodeName("secid", secid) + ".builds.jsonl");
    }

    Path checkpointFile(String featureSet, Timeframe timeframe, String secid) {
        return setDir(featureSet).resolve(timeframeDir(timeframe)).resolve(encodeName("secid", secid)
                + ".stream-state.json");
    }

    private Path setDir(String featureSet) {
        return dir.resolve("features").resolve(encodeName("feature set", featureSet));
    }

    private static String timeframeDir(Timeframe timeframe) {
        String name = Objects.requireNonNull(timeframe, "timeframe").toString();
        SnapshotLayout.requireSafeName("timeframe", name);
        return name;
    }

    /** Column names in the files: a feature's own name when plain, else {@code _<index>}. */
    static List<String> featureColumnNames(List<String> features) {
        List<String> out = new ArrayList<>(features.size());
        for (int j = 0; j < features.size(); j++) {
            String f = features.get(j);
            out.add(f.matches("[A-Za-z][A-Za-z0-9_]{0,63}") && !f.equals(ColumnTable.TS) ? f : "_" + j);
        }
        return out;
    }

    /**
     * A name as one path element: UTF-8 bytes outside {@code A-Z a-z 0-9 _ -} percent-encoded.
     *
     * @throws IllegalArgumentException when the name is empty
     */
    static String encodeName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty; it names a file of the storage");
        }
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** The name {@link #encodeName(String, String)} encoded. */
    static String decodeName(String encoded) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
