package dev.featurestore.parquet;

import dev.featurestore.api.FeatureFrame;
import dev.featurestore.api.FeatureStoreException;
import dev.featurestore.api.StorageException;
import dev.featurestore.api.internal.Columns;
import dev.featurestore.api.snapshot.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/** Reads a Parquet snapshot column by column back into frames, one per secid. */
final class ParquetSnapshotReader {

    private ParquetSnapshotReader() {
    }

    static SnapshotMetadata readMetadata(Path file) {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), PoolFreeCodecs.readOptions())) {
            return SnapshotMetadata.fromKeyValues(r.getFooter().getFileMetaData().getKeyValueMetaData(),
                    file.toString());
        } catch (IOException e) {
            throw new StorageException("cannot read parquet snapshot " + file + ": " + e, e);
        }
    }

    static List<FeatureFrame> read(Path file) {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), PoolFreeCodecs.readOptions())) {
            FileMetaData fmd = r.getFooter().getFileMetaData();
            SnapshotMetadata meta = SnapshotMetadata.fromKeyValues(fmd.getKeyValueMetaData(), file.toString());
            MessageType expected = ParquetSnapshotWriter.schema(meta);
            MessageType schema = fmd.getSchema();
            if (!schema.getColumns().equals(expected.getColumns())) {
                throw new FeatureStoreException("parquet snapshot " + file + " has columns " + schema.getColumns()
                        + " but its metadata describes " + expected.getColumns());
            }
            int n = ParquetIo.rows(r, "parquet snapshot", file);
            int nf = meta.features().size();
            long[] ts = new long[n];
            double[][] cols = new double[nf][n];
            List<String> secids = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            List<ColumnDescriptor> descs = schema.getColumns();
            int base = 0;
            Binary last = null;
            for (PageReadStore rg; (rg = r.readNextRowGroup()) != null;) {
                int rows = (int) rg.getRowCount();
                ColumnReadStoreImpl store = ParquetIo.columns(rg, schema, fmd.getCreatedBy());
                ColumnReader secid = store.getColumnReader(descs.get(0));
                for (int i = 0; i < rows; i++) {
                    Binary b = secid.getBinary();
                    if (!b.equals(last)) {
                        last = b.copy();
                        secids.add(b.toStringUsingUTF8());
                        starts.add(base + i);
                    }
                    secid.consume();
                }
                ParquetIo.readLongs(store.getColumnReader(descs.get(1)), ts, base, rows);
                for (int f = 0; f < nf; f++) {
                    ColumnReader c = store.getColumnReader(descs.get(f + 2));
                    double[] col = cols[f];
                    if (c.getDescriptor().getPrimitiveType().getPrimitiveTypeName()
                            == PrimitiveTypeName.INT32) {
                        for (int i = 0; i < rows; i++) {
                            col[base + i] = c.getInteger();
                            c.consume();
                        }
                    } else {
                        ParquetIo.readDoubles(c, col, base, rows);
                    }
                }
                base += rows;
            }
            ParquetIo.checkRowsRead(base, n, "parquet snapshot", file);
            List<FeatureFrame> frames = new ArrayList<>(secids.size());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < secids.size(); i++) {
                if (!seen.add(secids.get(i))) {
                    throw new FeatureStoreException("parquet snapshot " + file + ": rows of secid '" + secids.get(i)
                            + "' are not contiguous; it was not written by featurestore");
                }
                int from = starts.get(i);
                int to = i + 1 < secids.size() ? starts.get(i + 1) : n;
                frames.add(Columns.frame(secids.get(i), meta.featureSet(), meta.timeframe(), meta.features(),
                        meta.kinds(), ts, cols, from, to - from));
            }
            return frames;
        } catch (IOException e) {
            throw new StorageException("cannot read parquet snapshot " + file + ": " + e, e);
        }
    }
}
