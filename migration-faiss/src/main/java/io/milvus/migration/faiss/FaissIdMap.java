package io.milvus.migration.faiss;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * The int64 ids of an ID map ({@code IxMp}, {@code IBMp} and their {@code 2} variants): row i's id at
 * {@code offset + 8i}. Around an IVF index the lists hold row numbers into it, which {@link #external} translates.
 * Immutable once loaded; shared by the split readers of a source.
 */
final class FaissIdMap {
    private final FaissFile file;
    private final long[] ids;

    private FaissIdMap(FaissFile file, long[] ids) {
        this.file = file;
        this.ids = ids;
    }

    /** Loads the ID map for translating list entries; {@code around} names the inner index in the size error. */
    static FaissIdMap load(FaissFile file, long offset, long rows, String around) {
        return new FaissIdMap(file, read(file, offset, rows, "an ID map of " + rows + " rows around " + around
                + " is more than this reader holds"));
    }

    /**
     * Reads the {@code rows} ids at {@code offset} in reads of 1 MiB.
     *
     * @param tooLarge the message when the ids do not fit one array
     */
    static long[] read(FaissFile file, long offset, long rows, String tooLarge) {
        if (rows > Integer.MAX_VALUE - 8) {
            throw FaissErrors.tooLarge(file, tooLarge);
        }
        long[] ids = new long[(int) rows];
        try (SeekableByteChannel ch = file.open()) {
            var buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int filled = 0;
            long at = offset;
            while (filled < ids.length) {
                buf.clear().limit((int) Math.min(buf.capacity(), (long) (ids.length - filled) * Long.BYTES));
                if (!FaissFile.readFully(ch, at, buf)) {
                    throw FaissErrors.format(file, at + buf.position(), "file ended inside the ID map");
                }
                at += buf.position();
                buf.flip();
                int n = buf.remaining() / Long.BYTES;
                buf.asLongBuffer().get(ids, filled, n);
                filled += n;
            }
        } catch (IOException e) {
            throw file.readError(e);
        }
        return ids;
    }

    /** The id of row {@code internal}; {@code offset} is where the list entry was read, for the error. */
    long external(long internal, long offset) {
        if (internal < 0 || internal >= ids.length) {
            throw FaissErrors.format(file, offset, "inverted list entry " + internal
                    + " is not a row of the ID map (0.." + (ids.length - 1) + ")");
        }
        return ids[(int) internal];
    }
}
