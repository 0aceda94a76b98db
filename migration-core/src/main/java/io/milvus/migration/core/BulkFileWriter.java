package io.milvus.migration.core;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileGroup;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the batches of one worker as bulk-file groups under {@code prefix}, starting a new group before any file
 * would exceed {@code maxFileBytes}. A group is a directory: for NumPy one {@code <field>.npy} per field (Milvus
 * matches files to fields by name), for JSON one {@code rows.json}. Used by one thread.
 */
final class BulkFileWriter implements AutoCloseable {
    /** Characters {@link JsonRowsWriter} writes after the last row. */
    private static final int JSON_CLOSING_BYTES = 4;
    /** Longest text of a float ({@code -1.23456789E-38}) plus its separator. */
    private static final int JSON_FLOAT_BYTES = 16;

    private final Storage storage;
    private final String prefix;
    private final String partition;
    private final CollectionSchema schema;
    private final BulkFormat format;
    private final long maxFileBytes;
    private final long widestRowBytes;
    private final long widestJsonRowBytes;
    private final java.util.function.Consumer<Published> onPublish;
    private int published;
    private OpenGroup current;

    BulkFileWriter(Storage storage, String prefix, String partition, CollectionSchema schema, BulkFormat format,
                   long maxFileBytes, java.util.function.Consumer<Published> onPublish) {
        this.onPublish = onPublish;
        this.storage = storage;
        this.prefix = prefix;
        this.partition = partition;
        this.schema = schema;
        this.format = format;
        this.maxFileBytes = maxFileBytes;
        this.widestRowBytes = schema.fields().stream().mapToLong(BulkFileWriter::npyRowBytes).max().orElse(1);
        this.widestJsonRowBytes = 4 + schema.fields().stream().mapToLong(BulkFileWriter::jsonFieldBytes).sum();
    }

    /** A published group with the split ranges it holds and its bytes. */
    record Published(BulkFileGroup group, List<JobRecords.Range> ranges, long bytes) {
    }

    /**
     * Writes a batch of split {@code splitId}, starting a new group before a file would exceed its limit (a batch
     * may then end up in two groups). {@code before} is the split's position before the batch as the source gave
     * it, the batch's own its position after; {@code offset} rows of that source batch were taken earlier (the
     * batch given is the rest).
     */
    void write(Batch batch, String splitId, Position before, int offset) {
        try {
            int from = 0;
            while (from < batch.rowCount()) {
                if (current == null) {
                    current = new OpenGroup(prefix + "/" + String.format("group-%05d", published++));
                }
                int fit = Math.max(current.rowsThatFit(), current.rows() == 0 ? 1 : 0);
                if (fit == 0) {
                    closeCurrent();
                    continue;
                }
                int to = (int) Math.min(batch.rowCount(), from + (long) fit);
                current.write(from == 0 && to == batch.rowCount() ? batch : batch.slice(from, to));
                current.cover(splitId, before, offset + from, to == batch.rowCount() ? batch.position() : null,
                        offset + to);
                from = to;
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot write bulk files under " + prefix + " in "
                    + storage.describe(), e);
        }
    }

    /**
     * Notes that split {@code splitId} has no more rows.
     *
     * @return whether the open group holds its last rows (it then records the split as done when published)
     */
    boolean splitDone(String splitId) {
        return current != null && current.last(splitId);
    }

    /** The key prefix of this writer's groups. */
    String prefix() {
        return prefix;
    }

    /** Bytes written to the open group so far. */
    long openBytes() {
        return current == null ? 0 : current.bytes;
    }

    /** Publishes the open group now, if it holds rows. */
    void cut() {
        try {
            closeCurrent();
        } catch (IOException e) {
            throw new MigrationException(ErrorCode.STORAGE_IO, "cannot finish bulk files under " + prefix + " in "
                    + storage.describe(), e);
        }
    }

    /** Publishes the open group. */
    void finish() {
        cut();
    }

    /** Discards the open group; groups already published stay. Never throws. */
    @Override
    public void close() {
        if (current != null) {
            current.discard();
            current = null;
        }
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            OpenGroup done = current;
            current = null;
            if (done.rows() > 0) {
                BulkFileGroup group = done.publish();
                onPublish.accept(new Published(group, List.copyOf(done.ranges.values()), done.bytes));
            } else {
                done.discard();
            }
        }
    }

    private static long npyRowBytes(FieldSchema f) {
        return f.type() == io.milvus.migration.spi.DataType.VARCHAR ? 1 : f.bytesPerRow();
    }

    /** Most characters {@link JsonRowsWriter} writes for one field of a row, separators included. */
    private static long jsonFieldBytes(FieldSchema f) {
        long name = 6L * f.name().length() + 4;
        return name + switch (f.type()) {
            case INT64 -> 20;
            case VARCHAR -> 6L * Math.max(1, f.maxLength()) + 2;
            case FLOAT_VECTOR -> 2 + (long) JSON_FLOAT_BYTES * f.dimension();
            case BINARY_VECTOR -> 2 + 4L * (f.dimension() / 8);
            default -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "field " + f.name() + " is "
                    + f.type() + ", which the JSON bulk format does not carry yet");
        };
    }

    /** One group being written. */
    private final class OpenGroup {
        private final String groupPrefix;
        private final List<StagedFile> files = new ArrayList<>();
        private final List<NpyWriter> npy = new ArrayList<>();
        private JsonRowsWriter json;
        private long rows;
        private long bytes;
        private final java.util.LinkedHashMap<String, JobRecords.Range> ranges = new java.util.LinkedHashMap<>();

        OpenGroup(String groupPrefix) throws IOException {
            this.groupPrefix = groupPrefix;
            if (format == BulkFormat.JSON) {
                StagedFile file = new StagedFile(storage, groupPrefix + "/rows.json");
                files.add(file);
                json = new JsonRowsWriter(file.path());
            } else {
                for (FieldSchema f : schema.fields()) {
                    StagedFile file = new StagedFile(storage, groupPrefix + "/" + f.name() + ".npy");
                    files.add(file);
                    npy.add(switch (f.type()) {
                        case INT64 -> new NpyWriter(file.path(), "<i8", 0, Long.BYTES);
                        case FLOAT_VECTOR -> new NpyWriter(file.path(), "<f4", f.dimension(), f.dimension() * 4);
                        case BINARY_VECTOR -> new NpyWriter(file.path(), "|u1", f.dimension() / 8, f.dimension() / 8);
                        case VARCHAR -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "field " + f.name()
                                + " is VARCHAR, which the NUMPY bulk format does not carry; use JSON");
                        default -> throw new MigrationException(ErrorCode.INVALID_CONFIG, "field " + f.name()
                                + " is " + f.type() + ", which the NUMPY bulk format does not carry yet");
                    });
                }
            }
        }

        long rows() {
            return rows;
        }

        int rowsThatFit() {
            if (format == BulkFormat.JSON) {
                // rows of the widest possible text always fit
                long room = maxFileBytes - json.bytes() - JSON_CLOSING_BYTES;
                return (int) Math.max(0, Math.min(Integer.MAX_VALUE, room / widestJsonRowBytes));
            }
            long largest = npy.stream().mapToLong(NpyWriter::bytes).max().orElse(0);
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, (maxFileBytes - largest) / widestRowBytes));
        }

        void write(Batch batch) throws IOException {
            if (json != null) {
                json.write(batch);
            } else {
                for (int i = 0; i < npy.size(); i++) {
                    Column column = batch.column(schema.fields().get(i).name());
                    NpyWriter w = npy.get(i);
                    if (column instanceof Column.Longs c) {
                        w.writeLongs(c.values());
                    } else if (column instanceof Column.FloatVectors c) {
                        w.writeFloats(c.values());
                    } else if (column instanceof Column.BinaryVectors c) {
                        w.writeBytes(c.values());
                    } else if (column instanceof Column.StoredVectors c) {
                        w.writeStored(c);
                    } else {
                        throw new MigrationException(ErrorCode.INTERNAL, "column " + schema.fields().get(i).name()
                                + " cannot be written as NumPy: " + column.getClass().getSimpleName());
                    }
                }
            }
            rows += batch.rowCount();
            bytes = json != null ? json.bytes() : npy.stream().mapToLong(NpyWriter::bytes).sum();
        }

        /**
         * Notes that this group holds rows {@code [from, to)} of the source batch read after {@code before};
         * {@code after} is that batch's end position when {@code to} is its end, else null.
         */
        void cover(String splitId, Position before, int from, Position after, int to) {
            JobRecords.Range r = ranges.computeIfAbsent(splitId, id -> {
                var n = new JobRecords.Range();
                n.split = id;
                n.fromRows = before.rowsRead();
                n.fromCursor = before.cursor();
                n.fromSkip = from;
                return n;
            });
            Position end = after != null ? after : before;
            r.toRows = end.rowsRead();
            r.toCursor = end.cursor();
            r.toSkip = after != null ? 0 : to;
        }

        boolean last(String splitId) {
            JobRecords.Range r = ranges.get(splitId);
            if (r != null) {
                r.last = true;
            }
            return r != null;
        }

        BulkFileGroup publish() throws IOException {
            closeWriters();
            files.forEach(StagedFile::publish);
            return new BulkFileGroup(format, files.stream().map(StagedFile::key).toList(), rows, partition);
        }

        void discard() {
            try {
                closeWriters();
            } catch (IOException | RuntimeException ignored) {
                // the files are discarded anyway
            }
            files.forEach(StagedFile::discard);
        }

        private void closeWriters() throws IOException {
            if (json != null) {
                json.close();
            }
            for (NpyWriter w : npy) {
                w.close();
            }
        }

        @Override
        public String toString() {
            return groupPrefix;
        }
    }
}
