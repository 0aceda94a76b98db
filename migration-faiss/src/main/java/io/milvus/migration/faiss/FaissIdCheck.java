package io.milvus.migration.faiss;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Rejects ID maps that hold an id more than once (Faiss accepts them; Milvus would load the rows twice). */
final class FaissIdCheck {
    private FaissIdCheck() {
    }

    /** Reads the {@code rows} int64 ids at {@code offset} (8 bytes a row), sorts them and fails on a repeat. */
    static void requireUnique(Path file, long offset, long rows) {
        if (rows > Integer.MAX_VALUE - 8) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, "Faiss file " + file + ": an ID map of "
                    + rows + " rows is more than this reader checks for duplicate ids");
        }
        long[] ids = new long[(int) rows];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            var buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int filled = 0;
            long at = offset;
            while (filled < ids.length) {
                buf.clear().limit((int) Math.min(buf.capacity(), (long) (ids.length - filled) * Long.BYTES));
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, at);
                    if (r < 0) {
                        throw FaissErrors.format(file, at, "file ended inside the ID map");
                    }
                    at += r;
                }
                buf.flip();
                int n = buf.remaining() / Long.BYTES;
                buf.asLongBuffer().get(ids, filled, n);
                filled += n;
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, "cannot read Faiss file " + file + ": " + e, e);
        }
        Arrays.sort(ids);
        long repeated = 0;
        long first = 0;
        int distinct = 0;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) {
                if (repeated == 0) {
                    first = ids[i];
                }
                repeated++;
                if (i == 1 || ids[i - 2] != ids[i]) {
                    distinct++;
                }
            }
        }
        if (repeated > 0) {
            throw FaissErrors.format(file, offset, "the ID map holds id " + first + " more than once: " + repeated
                    + " duplicate row(s) over " + distinct + " id(s); Milvus would load such rows twice, so give"
                    + " every vector its own id first");
        }
    }
}
