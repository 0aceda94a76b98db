package io.milvus.migration.faiss;

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
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Optional;

/** Streams the rows of one {@link FaissSource.FaissSplit} with positional reads; holds one batch at a time. */
final class FaissSplitReader implements SplitReader {
    private final Path file;
    private final FaissLayout layout;
    private final CollectionSchema schema;
    private final FaissSource.FaissSplit split;
    private final FileChannel channel;
    private final IdMap idMap;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    /** Rows of the split read so far. */
    private long done;
    /** For IVF: the current list and the row within it. */
    private int list;
    private long inList;

    FaissSplitReader(Path file, FaissLayout layout, CollectionSchema schema, FaissSource.FaissSplit split,
                     IdMap idMap) {
        this.file = file;
        this.layout = layout;
        this.schema = schema;
        this.split = split;
        this.idMap = idMap;
        this.list = split.fromList();
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot open Faiss file " + file + ": " + e, e);
        }
    }

    @Override
    public Optional<Batch> next(int maxRows) {
        long total = split.toRow() - split.fromRow();
        int n = (int) Math.min(maxRows, total - done);
        if (n <= 0) {
            return Optional.empty();
        }
        int dim = layout.dimension();
        float[] vectors = new float[n * dim];
        long[] ids = new long[n];
        try {
            if (layout.isIvf()) {
                readLists(vectors, ids, n);
            } else {
                long row = split.fromRow() + done;
                decode(layout.flatOffset() + row * layout.codeSize(), n, -1, vectors, 0);
                if (layout.idMapOffset() >= 0) {
                    readLongs(layout.idMapOffset() + row * Long.BYTES, ids, 0, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        ids[i] = row + i;
                    }
                }
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Faiss file " + file + ": " + e, e);
        }
        done += n;
        var columns = new LinkedHashMap<String, Column>();
        columns.put(schema.fields().get(0).name(), new Column.Longs(ids));
        columns.put(schema.fields().get(1).name(), new Column.FloatVectors(dim, vectors));
        return Optional.of(new Batch(new Position(split.id(), done), columns));
    }

    /** Fills {@code n} rows from the inverted lists, continuing where the last batch stopped. */
    private void readLists(float[] vectors, long[] ids, int n) throws IOException {
        int dim = layout.dimension();
        int filled = 0;
        while (filled < n) {
            long size = layout.listSizes()[list];
            if (inList == size) {
                list++;
                inList = 0;
                continue;
            }
            int take = (int) Math.min(n - filled, size - inList);
            long codes = layout.listOffsets()[list];
            decode(codes + inList * layout.codeSize(), take, list, vectors, filled * dim);
            long idsAt = codes + size * layout.codeSize() + inList * Long.BYTES;
            readLongs(idsAt, ids, filled, take);
            if (idMap != null) {
                for (int i = filled; i < filled + take; i++) {
                    ids[i] = idMap.external(ids[i], idsAt + (long) (i - filled) * Long.BYTES);
                }
            }
            filled += take;
            inList += take;
        }
    }

    /** Reads {@code n} codes at {@code offset} and decodes them into {@code dst} from {@code from}. */
    private void decode(long offset, int n, int list, float[] dst, int from) throws IOException {
        ByteBuffer buf = read(offset, n * layout.codeSize());
        layout.decoder().decode(buf, n, list, dst, from);
    }

    private void readLongs(long offset, long[] dst, int from, int count) throws IOException {
        ByteBuffer buf = read(offset, (long) count * Long.BYTES);
        buf.asLongBuffer().get(dst, from, count);
    }

    private ByteBuffer read(long offset, long bytes) throws IOException {
        if (buffer.capacity() < bytes) {
            // direct: the channel reads straight into it, without the JDK's intermediate copy
            buffer = ByteBuffer.allocateDirect((int) bytes);
        }
        buffer.clear().limit((int) bytes);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        long at = offset;
        while (buffer.hasRemaining()) {
            int r = channel.read(buffer, at);
            if (r < 0) {
                throw FaissErrors.format(file, at, "file ended while reading split " + split.id()
                        + " (was it truncated after the source was opened?)");
            }
            at += r;
        }
        return buffer.flip();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing is lost
        }
    }

    /** The ids of an ID map around an IVF index: list entries are row numbers into this array. */
    static final class IdMap {
        private final Path file;
        private final long[] ids;

        IdMap(Path file, long[] ids) {
            this.file = file;
            this.ids = ids;
        }

        long external(long internal, long offset) {
            if (internal < 0 || internal >= ids.length) {
                throw FaissErrors.format(file, offset, "inverted list entry " + internal
                        + " is not a row of the ID map (0.." + (ids.length - 1) + ")");
            }
            return ids[(int) internal];
        }
    }
}
