package io.milvus.migration.milvus1;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.BitSet;

/**
 * The files of one Milvus 1.x segment directory {@code tables/<table_id>/<segment_id>/} (local, or keys in a
 * storage: see {@link SegmentStore}) as the default codec writes them, each an 8-byte little-endian byte count followed by that many bytes: {@code <segment_id>.rv} (rows of
 * {@code dimension} float32, or {@code dimension / 8} bytes for binary collections), {@code <segment_id>.uid}
 * (int64 ids, one per row) and {@code deleted_docs} (int32 row offsets that were deleted). {@code bloom_filter}
 * and index files are not read.
 */
final class SegmentFiles {
    static final int HEADER_BYTES = Long.BYTES;
    static final String DELETED_DOCS = "deleted_docs";

    private SegmentFiles() {
    }

    /**
     * The checked shape of a segment.
     *
     * @param rv       the raw vector file
     * @param uid      the id file
     * @param deleted  the deleted_docs file, or null if the segment has none (no deletes)
     * @param rows     rows in the files, deleted ones included
     * @param deletes  distinct deleted row offsets
     */
    record Shape(SegmentStore.File rv, SegmentStore.File uid, SegmentStore.File deleted, long rows, long deletes) {
        long liveRows() {
            return rows - deletes;
        }
    }

    /**
     * Checks every size of a segment against the others and against the catalogue's live row count.
     *
     * @param where          "segment S of collection C", for messages
     * @param store          where the segment directories are
     * @param rowBytes       bytes of one vector in the {@code .rv}
     * @param catalogueRows  the catalogue's {@code row_count} (live rows)
     * @throws MigrationException SOURCE_IO for a missing or unreadable file, SOURCE_FORMAT for a size mismatch
     */
    static Shape inspect(String where, SegmentStore store, String tableId, String segment, int rowBytes,
                         long catalogueRows) {
        String dir = store.dir(tableId, segment);
        SegmentStore.File rv = store.file(tableId, segment, segment + ".rv");
        SegmentStore.File uid = store.file(tableId, segment, segment + ".uid");
        SegmentStore.File deleted = store.file(tableId, segment, DELETED_DOCS);
        long vectorBytes = payloadBytes(where, rv, rowBytes, "vectors of " + rowBytes + " bytes");
        long idBytes = payloadBytes(where, uid, Long.BYTES, "int64 ids");
        long rows = vectorBytes / rowBytes;
        if (idBytes / Long.BYTES != rows) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": " + rv.name() + " holds " + rows
                    + " vectors (" + vectorBytes + " bytes) but " + uid.name() + " holds " + idBytes / Long.BYTES
                    + " ids (" + idBytes + " bytes), in " + dir);
        }
        long deletes = 0;
        SegmentStore.File deletedOrNull = null;
        if (exists(where, deleted)) {
            deletedOrNull = deleted;
            deletes = deletedRows(where, deleted, rows).cardinality();
        }
        if (rows - deletes != catalogueRows) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": the catalogue says " + catalogueRows
                    + " live rows but the files in " + dir + " hold " + rows + " rows of which " + deletes
                    + " are deleted (" + (rows - deletes) + " live)");
        }
        return new Shape(rv, uid, deletedOrNull, rows, deletes);
    }

    private static boolean exists(String where, SegmentStore.File file) {
        try {
            return file.exists();
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": cannot read " + file + ": " + e, e);
        }
    }

    /**
     * The byte count a file declares in its header, checked against the file's size and the element size.
     *
     * @throws MigrationException SOURCE_IO if missing or unreadable, SOURCE_FORMAT on any mismatch
     */
    static long payloadBytes(String where, SegmentStore.File file, int unit, String what) {
        try (SeekableByteChannel ch = file.open()) {
            long size = ch.size();
            if (size < HEADER_BYTES) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": file " + file + " is truncated: "
                        + size + " bytes, shorter than its 8-byte header");
            }
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, b, 0, file);
            long declared = b.flip().getLong();
            if (declared != size - HEADER_BYTES) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": file " + file + " declares "
                        + declared + " bytes at offset 0 but holds " + (size - HEADER_BYTES)
                        + " after its 8-byte header" + (declared > size - HEADER_BYTES ? " (truncated)" : ""));
            }
            if (declared % unit != 0) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": file " + file + " holds " + declared
                        + " bytes, not a whole number of " + what);
            }
            return declared;
        } catch (NoSuchFileException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": file " + file + " is missing", e);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": cannot read " + file + ": " + e, e);
        }
    }

    /**
     * The deleted row offsets of a {@code deleted_docs} file as a set, each checked to lie in {@code [0, rows)}.
     */
    static BitSet deletedRows(String where, SegmentStore.File file, long rows) {
        int[] offsets = readDeletedOffsets(where, file);
        BitSet set = new BitSet();
        for (int k = 0; k < offsets.length; k++) {
            int o = offsets[k];
            if (o < 0 || o >= rows) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where + ": file " + file + " at offset "
                        + (HEADER_BYTES + (long) k * Integer.BYTES) + " deletes row " + o + ", but the segment has "
                        + rows + " rows");
            }
            set.set(o);
        }
        return set;
    }

    /** Every int32 of a {@code deleted_docs} file, in file order. */
    static int[] readDeletedOffsets(String where, SegmentStore.File file) {
        long bytes = payloadBytes(where, file, Integer.BYTES, "int32 row offsets");
        ByteBuffer b = readPayload(where, file, bytes);
        int[] out = new int[(int) (bytes / Integer.BYTES)];
        b.asIntBuffer().get(out);
        return out;
    }

    /** Every id of a {@code .uid} file, in row order. */
    static long[] readIds(String where, SegmentStore.File file) {
        long bytes = payloadBytes(where, file, Long.BYTES, "int64 ids");
        ByteBuffer b = readPayload(where, file, bytes);
        long[] out = new long[(int) (bytes / Long.BYTES)];
        b.asLongBuffer().get(out);
        return out;
    }

    private static ByteBuffer readPayload(String where, SegmentStore.File file, long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new MigrationException(ErrorCode.SOURCE_UNSUPPORTED, where + ": file " + file + " holds " + bytes
                    + " bytes, more than this reader loads at once");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        try (SeekableByteChannel ch = file.open()) {
            readFully(ch, b, HEADER_BYTES, file);
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.SOURCE_IO, where + ": cannot read " + file + ": " + e, e);
        }
        return b.flip();
    }

    /** Fills {@code b} from {@code position}; a file ending early is SOURCE_FORMAT naming the offset. */
    static void readFully(SeekableByteChannel ch, ByteBuffer b, long position, SegmentStore.File file)
            throws IOException {
        long at = position;
        ch.position(at);
        while (b.hasRemaining()) {
            int r = ch.read(b);
            if (r < 0) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, "file " + file + " ended at offset " + at
                        + " while " + b.remaining() + " more bytes were expected");
            }
            at += r;
        }
    }
}
