package io.milvus.migration.milvus1;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Streams the live rows of one segment with positional reads of its {@code .uid} and {@code .rv} files (ranged reads
 * on object stores), batch by batch, skipping the row offsets listed in {@code deleted_docs}. Used by one thread at
 * a time.
 */
final class Milvus1SplitReader implements SplitReader {
    private final Milvus1Source.Milvus1Split split;
    private final SegmentFiles.Shape shape;
    private final String idField;
    private final String vectorField;
    private final int rowBytes;
    private final BitSet deleted;
    private final SeekableByteChannel rv;
    private final SeekableByteChannel uid;
    private long nextRow;
    private long emitted;

    /**
     * @param fromRow  physical row to continue at (a position's cursor)
     * @param liveRead live rows before it (a position's row count)
     */
    Milvus1SplitReader(Milvus1Source.Milvus1Split split, SegmentFiles.Shape shape, CollectionSchema schema,
                       long fromRow, long liveRead) {
        this.split = split;
        this.shape = shape;
        this.nextRow = fromRow;
        this.emitted = liveRead;
        this.idField = schema.primaryKey().name();
        this.vectorField = schema.fields().stream().filter(f -> f.type().isVector()).findFirst().orElseThrow()
                .name();
        this.rowBytes = split.rowBytes();
        this.deleted = shape.deleted() == null ? new BitSet()
                : SegmentFiles.deletedRows(split.where(), shape.deleted(), shape.rows());
        SeekableByteChannel r = null;
        try {
            r = shape.rv().open();
            this.uid = shape.uid().open();
            this.rv = r;
        } catch (IOException e) {
            closeQuietly(r);
            throw new MigrationException(ErrorCode.SOURCE_IO, split.where() + ": cannot open segment files: " + e, e);
        }
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1: " + maxRows);
        }
        long rows = shape.rows();
        while (nextRow < rows) {
            int n = (int) Math.min(Math.min(maxRows, rows - nextRow), (Integer.MAX_VALUE - 8) / rowBytes);
            long first = nextRow;
            ByteBuffer ids = ByteBuffer.allocate(n * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer vectors = ByteBuffer.allocate(n * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
            try {
                SegmentFiles.readFully(uid, ids, SegmentFiles.HEADER_BYTES + first * Long.BYTES,
                        shape.uid());
                SegmentFiles.readFully(rv, vectors, SegmentFiles.HEADER_BYTES + first * rowBytes,
                        shape.rv());
            } catch (MigrationException e) {
                throw e.in(split.where());
            } catch (IOException e) {
                throw new MigrationException(ErrorCode.SOURCE_IO, split.where() + ": cannot read rows from " + first
                        + ": " + e, e);
            }
            nextRow += n;
            ids.flip();
            vectors.flip();
            long[] outIds = new long[n];
            byte[] raw = vectors.array();
            int live = 0;
            int liveBytes = 0;
            for (int i = 0; i < n; i++) {
                long id = ids.getLong();
                if (deleted.get((int) (first + i))) {
                    continue;
                }
                outIds[live] = id;
                if (liveBytes != i * rowBytes) {
                    System.arraycopy(raw, i * rowBytes, raw, liveBytes, rowBytes);
                }
                live++;
                liveBytes += rowBytes;
            }
            if (live == 0) {
                continue;
            }
            emitted += live;
            var columns = new LinkedHashMap<String, Column>();
            columns.put(idField, new Column.Longs(live == n ? outIds : Arrays.copyOf(outIds, live)));
            if (split.binary()) {
                columns.put(vectorField, new Column.BinaryVectors(split.dimension(),
                        liveBytes == raw.length ? raw : Arrays.copyOf(raw, liveBytes)));
            } else {
                float[] f = new float[liveBytes / Float.BYTES];
                ByteBuffer.wrap(raw, 0, liveBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
                columns.put(vectorField, new Column.FloatVectors(split.dimension(), f));
            }
            return Optional.of(new Batch(new Position(split.id(), emitted, Long.toString(nextRow)), columns));
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closeQuietly(rv);
        closeQuietly(uid);
    }

    private static void closeQuietly(SeekableByteChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only channel: nothing to lose
            }
        }
    }
}
