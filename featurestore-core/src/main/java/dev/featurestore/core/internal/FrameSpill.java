package dev.featurestore.core.internal;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.internal.Columns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A run's feature rows and candles, secid after secid, held in the heap up to a budget and
 * beyond it in a temporary file, so that a run over many secids keeps its heap bounded: the
 * pipeline appends each secid's rows as the build stores them, then the export reads them back
 * frame by frame and the quality report column by column. Values go to the file as their raw
 * bits (a double's 8 bytes, little-endian), so what is read back equals what was appended, bit
 * for bit, NaN payloads and {@code -0.0} included.
 *
 * <p>The file is made in the system's temporary directory when the first secid goes past the
 * budget, and deleted on {@link #close()}; it is opened with {@link
 * StandardOpenOption#DELETE_ON_CLOSE}, which on Linux and macOS removes its name at once, so
 * nothing is left behind even when the process dies. Not thread-safe for appends; reads may
 * come from several threads once appending is over.
 */
public final class FrameSpill implements AutoCloseable {
    /**
     * One secid's entry: its rows and candles when held in the heap, else where they are in the file.
     */
    private record Entry(String secid, String featureSet, Timeframe timeframe, List<String> names,
            List<FeatureKind> kinds, int rows, long rowsAt, Timeframe candleTimeframe, int candles, long candlesAt,
            FeatureFrame heldRows, CandleSeries heldCandles) {
    }

    private static final int CHUNK = 1 << 16;

    private final String purpose;
    private final long budget;
    private final List<Entry> entries = new ArrayList<>();
    private Path file;
    private FileChannel channel;
    private ByteBuffer out;
    private long held;
    private long end;
    private boolean closed;

    private FrameSpill(String purpose, long budget) {
        this.purpose = purpose;
        this.budget = budget;
    }

    /**
     * A new, empty spill.
     *
     * @param purpose a few words naming the temporary file, for someone who finds it
     * @param budgetBytes how many bytes of rows and candles (8 per value) are held in the heap
     *     before secids go to the file; 0 sends every secid to the file
     * @return the spill; close it to delete its file
     * @throws IllegalArgumentException when the budget is negative
     */
    public static FrameSpill create(String purpose, long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("a negative memory budget: " + budgetBytes);
        }
        return new FrameSpill(Objects.requireNonNull(purpose, "purpose"), budgetBytes);
    }

    private void openFile() {
        Path f = null;
        try {
            f = Files.createTempFile("featurestore-" + purpose.replaceAll("[^A-Za-z0-9_-]", "_") + "-", ".spill");
            channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            file = f;
            out = ByteBuffer.allocateDirect(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // the first failure is the one to report
                }
            }
            throw new StorageException("cannot create a temporary file for the run's rows in "
                    + System.getProperty("java.io.tmpdir") + ": " + e, e);
        }
    }

    /**
     * Appends one secid's rows and the candles they were computed over.
     *
     * @param rows the secid's rows (may be empty)
     * @param candles its candles at the rows' timeframe, or null when there are none
     * @throws IllegalArgumentException when the candles are of another secid, or the secid was appended already
     * @throws StorageException when the file cannot be written
     */
    public void append(FeatureFrame rows, CandleSeries candles) {
        Objects.requireNonNull(rows, "rows");
        requireOpen();
        if (candles != null && !candles.secid().equals(rows.secid())) {
            throw new IllegalArgumentException("candles of '" + candles.secid() + "' with the rows of '"
                    + rows.secid() + "'");
        }
        if (indexOf(rows.secid()) >= 0) {
            throw new IllegalArgumentException("secid '" + rows.secid() + "' is in the spill already");
        }
        int n = rows.size();
        int m = candles == null ? -1 : candles.size();
        long bytes = 8L * n * (1 + rows.featureNames().size()) + 8L * Math.max(0, m) * 6;
        if (held + bytes <= budget) {
            held += bytes;
            entries.add(new Entry(rows.secid(), rows.featureSet(), rows.timeframe().orElse(null), rows.featureNames(),
                    rows.kinds(), n, -1, candles == null ? null : candles.timeframe().orElse(null), m, -1, rows,
                    candles));
            return;
        }
        if (channel == null) {
            openFile();
        }
        long rowsAt = end;
        long[] ts = Columns.ts(rows);
        int offset = Columns.offset(rows);
        writeLongs(ts, offset, n);
        for (int f = 0; f < rows.featureNames().size(); f++) {
            writeDoubles(Columns.column(rows, f), offset, n);
        }
        long candlesAt = end;
        if (candles != null) {
            writeLongs(Columns.ts(candles), 0, m);
            writeDoubles(Columns.open(candles), 0, m);
            writeDoubles(Columns.high(candles), 0, m);
            writeDoubles(Columns.low(candles), 0, m);
            writeDoubles(Columns.close(candles), 0, m);
            writeDoubles(Columns.volume(candles), 0, m);
        }
        entries.add(new Entry(rows.secid(), rows.featureSet(), rows.timeframe().orElse(null), rows.featureNames(),
                rows.kinds(), n, rowsAt, candles == null ? null : candles.timeframe().orElse(null), m, candlesAt, null,
                null));
    }

    /** {@return how many secids were appended} */
    public int count() {
        return entries.size();
    }

    /** {@return the secids, in the order appended} */
    public List<String> secids() {
        return entries.stream().map(Entry::secid).toList();
    }

    /**
     * {@return the index of the secid, or -1 when it was not appended}
     *
     * @param secid the secid
     */
    public int indexOf(String secid) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).secid().equals(secid)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@return the row count of entry i}
     *
     * @param i the entry
     */
    public int rows(int i) {
        return entries.get(i).rows();
    }

    /**
     * {@return the feature names of entry i, in column order}
     *
     * @param i the entry
     */
    public List<String> featureNames(int i) {
        return entries.get(i).names();
    }

    /**
     * {@return the feature kinds of entry i, in column order}
     *
     * @param i the entry
     */
    public List<FeatureKind> kinds(int i) {
        return entries.get(i).kinds();
    }

    /**
     * {@return the rows of entry i, read back: equal to the frame appended, bit for bit}
     *
     * @param i the entry
     */
    public FeatureFrame frame(int i) {
        Entry e = entries.get(i);
        if (e.heldRows() != null) {
            return e.heldRows();
        }
        int n = e.rows();
        long[] ts = new long[n];
        readLongs(e.rowsAt(), ts);
        double[][] columns = new double[e.names().size()][];
        for (int f = 0; f < columns.length; f++) {
            columns[f] = new double[n];
            readDoubles(e.rowsAt() + 8L * n * (1 + f), columns[f]);
        }
        return Columns.frame(e.secid(), e.featureSet(), e.timeframe(), e.names(), e.kinds(), ts, columns, 0, n);
    }

    /**
     * {@return one feature column of entry i, read back}
     *
     * @param i the entry
     * @param feature the column, in {@link #featureNames(int)} order
     */
    public double[] column(int i, int feature) {
        Entry e = entries.get(i);
        Objects.checkIndex(feature, e.names().size());
        if (e.heldRows() != null) {
            return e.heldRows().column(feature);
        }
        double[] v = new double[e.rows()];
        readDoubles(e.rowsAt() + 8L * e.rows() * (1 + feature), v);
        return v;
    }

    /**
     * {@return the candle open time of one row of entry i, epoch milliseconds UTC}
     *
     * @param i the entry
     * @param row the row
     */
    public long ts(int i, int row) {
        Entry e = entries.get(i);
        Objects.checkIndex(row, e.rows());
        if (e.heldRows() != null) {
            return e.heldRows().ts(row);
        }
        long[] one = new long[1];
        readLongs(e.rowsAt() + 8L * row, one);
        return one[0];
    }

    /**
     * {@return whether candles were appended with entry i}
     *
     * @param i the entry
     */
    public boolean hasCandles(int i) {
        return entries.get(i).candles() >= 0;
    }

    /**
     * {@return the candles of entry i, read back, or null when none were appended}
     *
     * @param i the entry
     */
    public CandleSeries candles(int i) {
        Entry e = entries.get(i);
        int m = e.candles();
        if (m < 0) {
            return null;
        }
        if (e.heldCandles() != null) {
            return e.heldCandles();
        }
        long[] ts = new long[m];
        readLongs(e.candlesAt(), ts);
        double[][] c = new double[5][m];
        for (int k = 0; k < 5; k++) {
            readDoubles(e.candlesAt() + 8L * m * (1 + k), c[k]);
        }
        return Columns.candles(e.secid(), e.candleTimeframe(), ts, c[0], c[1], c[2], c[3], c[4]);
    }

    /**
     * {@return the non-empty frames in secid order, each read back from the file when asked for
     * (the last one asked for is kept), so that a reader going through them holds one at a time}
     */
    public List<FeatureFrame> nonEmptyFramesBySecid() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).rows() > 0) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.comparing(i -> entries.get(i).secid()));
        return new AbstractList<>() {
            private int cachedAt = -1;
            private FeatureFrame cached;

            @Override
            public synchronized FeatureFrame get(int k) {
                if (k != cachedAt) {
                    cached = frame(idx.get(k));
                    cachedAt = k;
                }
                return cached;
            }

            @Override
            public int size() {
                return idx.size();
            }
        };
    }

    /** {@return the bytes of rows and candles held in the heap} */
    public long heldBytes() {
        return held;
    }

    /** {@return the bytes written to the file (0 while everything fits the budget)} */
    public long spilledBytes() {
        return end;
    }

    /** Deletes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        entries.clear();
        if (channel == null) {
            return;
        }
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary file " + file, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the spill is closed");
        }
    }

    private void writeLongs(long[] a, int from, int n) {
        for (int i = 0; i < n; i += CHUNK) {
            int k = Math.min(CHUNK, n - i);
            out.clear();
            out.asLongBuffer().put(a, from + i, k);
            out.limit(k * 8);
            flush();
        }
    }

    private void writeDoubles(double[] a, int from, int n) {
        for (int i = 0; i < n; i += CHUNK) {
            int k = Math.min(CHUNK, n - i);
            out.clear();
            // raw bits, so that every NaN keeps its payload
            for (int j = 0; j < k; j++) {
                out.putLong(j * 8, Double.doubleToRawLongBits(a[from + i + j]));
            }
            out.limit(k * 8);
            flush();
        }
    }

    private void flush() {
        try {
            while (out.hasRemaining()) {
                end += channel.write(out, end);
            }
        } catch (IOException e) {
            throw new StorageException("cannot write the run's rows to the temporary file " + file + ": " + e, e);
        }
    }

    private void readLongs(long at, long[] dest) {
        ByteBuffer in = ByteBuffer.allocate(Math.min(dest.length, CHUNK) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dest.length; i += CHUNK) {
            int k = Math.min(CHUNK, dest.length - i);
            fill(in, at + 8L * i, k);
            in.asLongBuffer().get(dest, i, k);
        }
    }

    private void readDoubles(long at, double[] dest) {
        ByteBuffer in = ByteBuffer.allocate(Math.min(dest.length, CHUNK) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dest.length; i += CHUNK) {
            int k = Math.min(CHUNK, dest.length - i);
            fill(in, at + 8L * i, k);
            for (int j = 0; j < k; j++) {
                dest[i + j] = Double.longBitsToDouble(in.getLong(j * 8));
            }
        }
    }

    private void fill(ByteBuffer in, long at, int k) {
        requireOpen();
        in.clear();
        in.limit(k * 8);
        try {
            long pos = at;
            while (in.hasRemaining()) {
                int r = channel.read(in, pos);
                if (r < 0) {
                    throw new StorageException("the temporary file " + file + " ended early at byte " + pos, null);
                }
                pos += r;
            }
        } catch (IOException e) {
            throw new StorageException("cannot read the run's rows from the temporary file " + file + ": " + e, e);
        }
        in.flip();
    }
}
