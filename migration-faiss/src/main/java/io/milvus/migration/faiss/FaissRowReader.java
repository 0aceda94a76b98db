package io.milvus.migration.faiss;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.SplitReader;
import io.milvus.migration.spi.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * What the float and binary split readers share: walking the rows of one {@link FaissSource.FaissSplit} (a row range
 * of flat codes, or consecutive inverted lists continuing where the last batch stopped), the ids (the lists' ids, an
 * ID map's ids or the row numbers), and reading each run of codes and ids in one positional read. Subclasses turn
 * the codes into their vector column. Holds one channel and one batch buffer; used by one thread.
 */
abstract class FaissRowReader implements SplitReader {
    /** Receives a run of {@code n} codes (of inverted list {@code list}, -1 outside IVF) for batch rows from
     *  {@code at} on; the buffer is valid only during the call. */
    @FunctionalInterface
    interface Codes {
        void accept(ByteBuffer codes, int n, int list, int at);
    }

    /** Bytes a stored-vector copy moves per read and write when the file is not a local file. */
    private static final int COPY_BUFFER_BYTES = 1 << 20;

    private final FaissFile file;
    private final CollectionSchema schema;
    private final FaissSource.FaissSplit split;
    private final FaissIdMap idMap;
    private final long flatOffset;
    private final long[] listSizes;
    private final long[] listOffsets;
    private final long idMapOffset;
    private final int codeSize;
    private final SeekableByteChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    /** For stored vectors of a non-local file: the reused copy buffer, allocated on first use. */
    private ByteBuffer copyBuffer;
    /** Whether the engine allowed {@link Column.StoredVectors}. */
    private boolean storedVectors;
    /** Rows of the split read so far. */
    private long done;
    /** For IVF: the current list and the row within it. */
    private int list;
    private long inList;

    /**
     * @param flatOffset  offset of the first flat code; negative for IVF
     * @param idMapOffset offset of an ID map's ids, -1 without one
     * @param idMap       the loaded ID map when list entries are row numbers into it (IVF in an ID map), else null
     */
    FaissRowReader(FaissFile file, CollectionSchema schema, FaissSource.FaissSplit split, FaissIdMap idMap,
                   long flatOffset, long[] listSizes, long[] listOffsets, long idMapOffset, int codeSize) {
        this.file = file;
        this.schema = schema;
        this.split = split;
        this.idMap = idMap;
        this.flatOffset = flatOffset;
        this.listSizes = listSizes;
        this.listOffsets = listOffsets;
        this.idMapOffset = idMapOffset;
        this.codeSize = codeSize;
        this.list = split.fromList();
        this.channel = file.open();
    }

    /**
     * Continues after the first {@code rows} rows of the split (a position's cursor): the next batch starts there.
     *
     * @throws io.milvus.migration.MigrationException {@code INVALID_CONFIG} if the split has fewer rows
     */
    final FaissRowReader startAt(long rows) {
        long size = split.toRow() - split.fromRow();
        if (rows < 0 || rows > size) {
            throw new io.milvus.migration.MigrationException(io.milvus.migration.ErrorCode.INVALID_CONFIG,
                    "cannot continue split " + split.id() + " of " + file + " after row " + rows + ": it has "
                    + size + " rows");
        }
        done = rows;
        if (flatOffset < 0) {
            long skip = rows;
            while (skip > 0) {
                long left = listSizes[list] - inList;
                if (skip < left) {
                    inList += skip;
                    break;
                }
                skip -= left;
                list++;
                inList = 0;
            }
        }
        return this;
    }

    /** Rows the next batch holds: at most {@code maxRows}, 0 when the split is done. */
    protected final int rowsLeft(int maxRows) {
        return (int) Math.max(0, Math.min(maxRows, split.toRow() - split.fromRow() - done));
    }

    /** Whether the codes are the vectors as a bulk file holds them (raw floats, binary codes). */
    protected abstract boolean codesAreVectors();

    @Override
    public final boolean allowStoredVectors() {
        storedVectors = codesAreVectors();
        return storedVectors;
    }

    /** Whether {@link #allowStoredVectors()} was called and this reader hands out stored vectors. */
    protected final boolean stored() {
        return storedVectors;
    }

    /** Reads the next {@code n} rows as a batch of stored vectors: only their ids are read now. */
    protected final Batch readStored(int n, DataType type, int dimension) {
        var runs = new Runs();
        long[] ids = readRows(n, null, runs);
        return batch(ids, new Column.StoredVectors(type, dimension, new Bytes(), runs.offsets(), runs.rows()));
    }

    /** Reads the next {@code n} rows: hands their codes to {@code codes} run by run and returns their ids. */
    protected final long[] readRows(int n, Codes codes) {
        return readRows(n, codes, null);
    }

    /**
     * Reads the next {@code n} rows: hands their codes to {@code codes} run by run (or only their offsets to
     * {@code runs}, reading no codes) and returns their ids.
     */
    private long[] readRows(int n, Codes codes, Runs runs) {
        long[] ids = new long[n];
        try {
            if (flatOffset >= 0) {
                long row = split.fromRow() + done;
                if (runs != null) {
                    runs.add(flatOffset + row * codeSize, n);
                } else {
                    codes.accept(read(flatOffset + row * codeSize, (long) n * codeSize), n, -1, 0);
                }
                if (idMapOffset >= 0) {
                    read(idMapOffset + row * Long.BYTES, (long) n * Long.BYTES).asLongBuffer().get(ids);
                } else {
                    for (int i = 0; i < n; i++) {
                        ids[i] = row + i;
                    }
                }
            } else {
                readLists(ids, n, codes, runs);
            }
        } catch (IOException e) {
            throw file.readError(e);
        }
        done += n;
        return ids;
    }

    /** The batch of the rows just read, positioned after them. */
    protected final Batch batch(long[] ids, Column vectors) {
        var columns = new LinkedHashMap<String, Column>();
        columns.put(schema.fields().get(0).name(), new Column.Longs(ids));
        columns.put(schema.fields().get(1).name(), vectors);
        return new Batch(new Position(split.id(), done), columns);
    }

    private void readLists(long[] ids, int n, Codes codes, Runs runs) throws IOException {
        int filled = 0;
        while (filled < n) {
            long size = listSizes[list];
            if (inList == size) {
                list++;
                inList = 0;
                continue;
            }
            int take = (int) Math.min(n - filled, size - inList);
            long at = listOffsets[list];
            if (runs != null) {
                runs.add(at + inList * codeSize, take);
            } else {
                codes.accept(read(at + inList * codeSize, (long) take * codeSize), take, list, filled);
            }
            long idsAt = at + size * codeSize + inList * Long.BYTES;
            read(idsAt, (long) take * Long.BYTES).asLongBuffer().get(ids, filled, take);
            if (idMap != null) {
                for (int i = filled; i < filled + take; i++) {
                    ids[i] = idMap.external(ids[i], idsAt + (long) (i - filled) * Long.BYTES);
                }
            }
            filled += take;
            inList += take;
        }
    }

    /** Reads {@code bytes} bytes at {@code offset} into the reused buffer, flipped, little-endian. */
    private ByteBuffer read(long offset, long bytes) throws IOException {
        if (buffer.capacity() < bytes) {
            // direct: a file channel reads straight into it, without the JDK's intermediate copy
            buffer = ByteBuffer.allocateDirect((int) bytes);
        }
        buffer.clear().limit((int) bytes);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        if (!FaissFile.readFully(channel, offset, buffer)) {
            throw FaissErrors.format(file, offset + buffer.position(), "file ended while reading split "
                    + split.id() + " (was it truncated after the source was opened?)");
        }
        return buffer.flip();
    }

    /** The runs of one batch of stored vectors. */
    private static final class Runs {
        private long[] offsets = new long[4];
        private int[] rows = new int[4];
        private int count;

        void add(long offset, int n) {
            if (count == rows.length) {
                offsets = Arrays.copyOf(offsets, 2 * count);
                rows = Arrays.copyOf(rows, 2 * count);
            }
            offsets[count] = offset;
            rows[count++] = n;
        }

        long[] offsets() {
            return Arrays.copyOf(offsets, count);
        }

        int[] rows() {
            return Arrays.copyOf(rows, count);
        }
    }

    /** This reader's file as the source of stored vectors: its own channel, used by the reading thread. */
    private final class Bytes implements Column.ByteSource {
        @Override
        public void transferTo(long offset, long count, WritableByteChannel target) throws IOException {
            long moved = 0;
            if (channel instanceof FileChannel fc) {
                // sendfile/copy_file_range: the bytes go from page cache to page cache
                while (moved < count) {
                    long n = fc.transferTo(offset + moved, count - moved, target);
                    if (n <= 0) {
                        throw truncated(offset + moved);
                    }
                    moved += n;
                }
                return;
            }
            if (copyBuffer == null) {
                copyBuffer = ByteBuffer.allocateDirect(COPY_BUFFER_BYTES);
            }
            while (moved < count) {
                copyBuffer.clear().limit((int) Math.min(COPY_BUFFER_BYTES, count - moved));
                if (!FaissFile.readFully(channel, offset + moved, copyBuffer)) {
                    throw truncated(offset + moved + copyBuffer.position());
                }
                copyBuffer.flip();
                while (copyBuffer.hasRemaining()) {
                    target.write(copyBuffer);
                }
                moved += copyBuffer.limit();
            }
        }

        @Override
        public void read(long offset, ByteBuffer target) {
            try {
                if (!FaissFile.readFully(channel, offset, target)) {
                    throw truncated(offset + target.position());
                }
            } catch (IOException e) {
                throw file.readError(e);
            }
        }

        private RuntimeException truncated(long at) {
            return FaissErrors.format(file, at, "file ended while reading split " + split.id()
                    + " (was it truncated after the source was opened?)");
        }

        @Override
        public String toString() {
            return file.name();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing is lost
        }
    }
}
