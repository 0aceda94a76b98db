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

/** Streams the rows of one split of a binary index with positional reads; holds one batch at a time. */
final class FaissBinarySplitReader implements SplitReader {
    private final Path file;
    private final FaissBinaryLayoutParser.Layout layout;
    private final CollectionSchema schema;
    private final FaissSource.FaissSplit split;
    private final FileChannel channel;
    private final FaissSplitReader.IdMap idMap;
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private long done;
    private int list;
    private long inList;

    FaissBinarySplitReader(Path file, FaissBinaryLayoutParser.Layout layout, CollectionSchema schema,
                           FaissSource.FaissSplit split, FaissSplitReader.IdMap idMap) {
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
        int width = layout.codeSize();
        if ((long) n * width > Integer.MAX_VALUE - 8) {
            n = (Integer.MAX_VALUE - 8) / width;
        }
        byte[] codes = new byte[n * width];
        long[] ids = new long[n];
        try {
            if (layout.isIvf()) {
                readLists(codes, ids, n);
            } else {
                long row = split.fromRow() + done;
                read(layout.flatOffset() + row * width, (long) n * width).get(codes);
                if (layout.idMapOffset() >= 0) {
                    read(layout.idMapOffset() + row * Long.BYTES, (long) n * Long.BYTES).asLongBuffer().get(ids);
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
        columns.put(schema.fields().get(1).name(), new Column.BinaryVectors(layout.dimension(), codes));
        return Optional.of(new Batch(new Position(split.id(), done), columns));
    }

    private void readLists(byte[] codes, long[] ids, int n) throws IOException {
        int width = layout.codeSize();
        int filled = 0;
        while (filled < n) {
            long size = layout.listSizes()[list];
            if (inList == size) {
                list++;
                inList = 0;
                continue;
            }
            int take = (int) Math.min(n - filled, size - inList);
            long at = layout.listOffsets()[list];
            read(at + inList * width, (long) take * width).get(codes, filled * width, take * width);
            long idsAt = at + size * width + inList * Long.BYTES;
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

    private ByteBuffer read(long offset, long bytes) throws IOException {
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate((int) bytes);
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
}
