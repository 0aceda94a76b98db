package io.milvus.migration.core;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileEncoder;
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
 * matches files to fields by name), for JSON one {@code rows.json}, for Parquet one {@code rows.parquet} (written
 * by the {@link BulkFileEncoder} on the class path). Sizes stay true for variable-width values: JSON rows are
 * measured as encoded, NumPy strings by the widest string so far, Parquet rows by the encoder's bound of each row.
 * Used by one thread.
 */
final class BulkFileWriter implements AutoCloseable {
    private final Storage storage;
    private final String prefix;
    private final String partition;
    private final CollectionSchema schema;
    private final BulkFormat format;
    private final long maxFileBytes;
    /** Widest fixed-size NumPy row of one file. */
    private final long widestRowBytes;
    private final List<String> fields;
    private final java.util.Set<String> jsonFields;
    private final BulkFileEncoder encoder;
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
        this.fields = fileFields(schema);
        this.jsonFields = JsonRowsWriter.jsonFields(schema);
        this.encoder = format == BulkFormat.PARQUET ? encoder(format) : null;
        checkFormat(schema, format, encoder);
        this.widestRowBytes = schema.fields().stream().filter(f -> fields.contains(f.name()))
                .filter(f -> !isText(f.type())).mapToLong(FieldSchema::bytesPerRow).max().orElse(1);
    }

    private static boolean isText(io.milvus.migration.spi.DataType t) {
        return t == io.milvus.migration.spi.DataType.VARCHAR || t == io.milvus.migration.spi.DataType.JSON;
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
                int fit = Math.max(current.rowsThatFit(batch, from), current.rows() == 0 ? 1 : 0);
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

    /** The names of the columns the files carry: every field but an autoID key (Milvus makes those), and $meta. */
    private static List<String> fileFields(CollectionSchema schema) {
        var names = new ArrayList<String>();
        schema.fields().stream().filter(f -> !(f.primaryKey() && f.autoId())).forEach(f -> names.add(f.name()));
        if (schema.dynamicField()) {
            names.add(CollectionSchema.DYNAMIC_FIELD);
        }
        return names;
    }

    /**
     * Fails before anything is written if a field cannot be carried by the format.
     *
     * @throws MigrationException {@code INVALID_CONFIG} naming the field, its type and the formats that carry it
     */
    static void checkFormat(CollectionSchema schema, BulkFormat format) {
        checkFormat(schema, format, format == BulkFormat.PARQUET ? encoder(format) : null);
    }

    private static void checkFormat(CollectionSchema schema, BulkFormat format, BulkFileEncoder encoder) {
        if (format == BulkFormat.PARQUET) {
            encoder.check(schema);
        } else if (format == BulkFormat.NUMPY) {
            for (FieldSchema f : schema.fields()) {
                String problem = switch (f.type()) {
                    case BOOL, INT8, INT16, INT32, INT64, FLOAT, DOUBLE, VARCHAR, JSON, FLOAT_VECTOR, BINARY_VECTOR ->
                            f.nullable() || f.defaultValue().isPresent() ? "nullable or has a default value, and "
                                    + "NumPy files carry no nulls; the formats that do: JSON, PARQUET" : null;
                    case ARRAY -> "ARRAY, which the NUMPY bulk format does not carry; the formats that do: JSON, "
                            + "PARQUET";
                    default -> f.type() + ", which the NUMPY bulk format does not carry; the format that does: "
                            + "JSON";
                };
                if (problem != null) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "field " + f.name() + " of collection "
                            + schema.name() + " is " + problem);
                }
            }
        }
    }

    /** The encoder of a format the engine does not write itself, found on the class path. */
    static BulkFileEncoder encoder(BulkFormat format) {
        for (BulkFileEncoder e : java.util.ServiceLoader.load(BulkFileEncoder.class,
                BulkFileWriter.class.getClassLoader())) {
            if (e.format() == format) {
                return e;
            }
        }
        throw new MigrationException(ErrorCode.INVALID_CONFIG, "the " + format + " bulk format needs the module "
                + "migration-format-" + format.name().toLowerCase(java.util.Locale.ROOT) + " on the class path");
    }

    /** One group being written. */
    private final class OpenGroup {
        private final String groupPrefix;
        private final List<StagedFile> files = new ArrayList<>();
        /** NumPy: per file field, a {@link NpyWriter} or a {@link NpyStringWriter}. */
        private final List<Object> npy = new ArrayList<>();
        private JsonRowsWriter json;
        /** JSON rows encoded by {@link #rowsThatFit} for the next {@link #write}. */
        private final List<byte[]> pending = new ArrayList<>();
        private BulkFileEncoder.FileWriter parquet;
        private long rows;
        private long bytes;
        private final java.util.LinkedHashMap<String, JobRecords.Range> ranges = new java.util.LinkedHashMap<>();

        OpenGroup(String groupPrefix) throws IOException {
            this.groupPrefix = groupPrefix;
            if (format == BulkFormat.JSON) {
                StagedFile file = new StagedFile(storage, groupPrefix + "/rows.json");
                files.add(file);
                json = new JsonRowsWriter(file.path());
                bytes = json.bytes();
            } else if (format == BulkFormat.PARQUET) {
                StagedFile file = new StagedFile(storage, groupPrefix + "/" + encoder.fileName());
                files.add(file);
                parquet = encoder.open(file.path(), schema);
                bytes = encoder.overheadBytes();
            } else {
                for (String name : fields) {
                    StagedFile file = new StagedFile(storage, groupPrefix + "/" + name + ".npy");
                    files.add(file);
                    FieldSchema f = schema.field(name).orElse(null);
                    if (f == null || isText(f.type())) {
                        npy.add(new NpyStringWriter(file.path()));   // VARCHAR, JSON and $meta as <U
                        continue;
                    }
                    npy.add(switch (f.type()) {
                        case BOOL -> new NpyWriter(file.path(), "|b1", 0, 1);
                        case INT8 -> new NpyWriter(file.path(), "|i1", 0, 1);
                        case INT16 -> new NpyWriter(file.path(), "<i2", 0, 2);
                        case INT32 -> new NpyWriter(file.path(), "<i4", 0, 4);
                        case INT64 -> new NpyWriter(file.path(), "<i8", 0, Long.BYTES);
                        case FLOAT -> new NpyWriter(file.path(), "<f4", 0, 4);
                        case DOUBLE -> new NpyWriter(file.path(), "<f8", 0, 8);
                        case FLOAT_VECTOR -> new NpyWriter(file.path(), "<f4", f.dimension(), f.dimension() * 4);
                        case BINARY_VECTOR -> new NpyWriter(file.path(), "|u1", f.dimension() / 8, f.dimension() / 8);
                        default -> throw new MigrationException(ErrorCode.INTERNAL, "field " + f.name() + " is "
                                + f.type() + ", which NumPy does not carry");   // checkFormat refused it
                    });
                }
            }
        }

        long rows() {
            return rows;
        }

        /** How many rows of {@code batch} from row {@code from} on still fit in every file of the group. */
        int rowsThatFit(Batch batch, int from) {
            int n = batch.rowCount() - from;
            if (format == BulkFormat.JSON) {
                pending.clear();
                long room = maxFileBytes - json.bytes() - JsonRowsWriter.CLOSING.length;
                for (int r = from; r < batch.rowCount(); r++) {
                    byte[] row = JsonRowsWriter.encode(batch, fields, jsonFields, r);
                    room -= row.length + JsonRowsWriter.SEPARATOR_BYTES;
                    if (room < 0 && !(rows == 0 && pending.isEmpty())) {
                        break;
                    }
                    pending.add(row);
                }
                return pending.size();
            }
            if (format == BulkFormat.PARQUET) {
                long room = maxFileBytes - bytes;
                int k = 0;
                for (int r = from; r < batch.rowCount(); r++, k++) {
                    room -= encoder.maxRowBytes(batch, r);
                    if (room < 0) {
                        break;
                    }
                }
                return k;
            }
            long largest = 0;
            List<Integer> text = new ArrayList<>();
            for (int i = 0; i < npy.size(); i++) {
                if (npy.get(i) instanceof NpyWriter w) {
                    largest = Math.max(largest, w.bytes());
                } else {
                    text.add(i);
                }
            }
            int fixedFit = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (maxFileBytes - largest) / widestRowBytes));
            if (text.isEmpty()) {
                return Math.min(n, fixedFit);
            }
            // strings: a row fits while every string file, at the widest string so far, stays within the limit
            int[] widths = new int[text.size()];
            for (int t = 0; t < text.size(); t++) {
                widths[t] = ((NpyStringWriter) npy.get(text.get(t))).width();
            }
            int k = 0;
            rowsLoop:
            for (int r = from; r < batch.rowCount() && k < fixedFit; r++, k++) {
                for (int t = 0; t < text.size(); t++) {
                    var c = (Column.Strings) batch.column(fields.get(text.get(t)));
                    String v = c.get(r);
                    int w = Math.max(widths[t], v == null ? 0 : NpyStringWriter.width(v));
                    if (NpyStringWriter.bytes(rows + k + 1, w) > maxFileBytes) {
                        break rowsLoop;
                    }
                    widths[t] = w;
                }
            }
            return k;
        }

        void write(Batch batch) throws IOException {
            if (json != null) {
                if (pending.size() != batch.rowCount()) {
                    throw new MigrationException(ErrorCode.INTERNAL, pending.size() + " rows encoded for a part of "
                            + batch.rowCount() + " rows under " + groupPrefix);
                }
                json.writeEncoded(pending);
                pending.clear();
                bytes = json.bytes();
            } else if (parquet != null) {
                for (int r = 0; r < batch.rowCount(); r++) {
                    bytes += encoder.maxRowBytes(batch, r);
                }
                parquet.write(batch);
            } else {
                for (int i = 0; i < npy.size(); i++) {
                    String name = fields.get(i);
                    writeNpy(npy.get(i), name, batch.column(name), batch);
                }
                bytes = 0;
                for (Object w : npy) {
                    bytes += w instanceof NpyWriter n ? n.bytes() : ((NpyStringWriter) w).bytes();
                }
            }
            rows += batch.rowCount();
        }

        private void writeNpy(Object writer, String name, Column column, Batch batch) throws IOException {
            if (column.hasNulls()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "field " + name + " has a row without a "
                        + "value in the batch ending at " + batch.position() + ", and NumPy files carry no nulls; "
                        + "use JSON or PARQUET");
            }
            if (writer instanceof NpyStringWriter s) {
                var c = (Column.Strings) column;
                for (int r = 0; r < c.rowCount(); r++) {
                    s.write(c.get(r));
                }
                return;
            }
            NpyWriter w = (NpyWriter) writer;
            if (column instanceof Column.Longs c) {
                w.writeLongs(c.values());
            } else if (column instanceof Column.FloatVectors c) {
                w.writeFloats(c.values());
            } else if (column instanceof Column.BinaryVectors c) {
                w.writeBytes(c.values());
            } else if (column instanceof Column.StoredVectors c) {
                w.writeStored(c);
            } else if (column instanceof Column.Bools c) {
                w.writeBools(c);
            } else if (column instanceof Column.Ints c) {
                FieldSchema f = schema.field(name).orElseThrow();
                w.writeInts(c, f.type() == io.milvus.migration.spi.DataType.INT8 ? 1
                        : f.type() == io.milvus.migration.spi.DataType.INT16 ? 2 : 4);
            } else if (column instanceof Column.Floats c) {
                w.writeFloats(c);
            } else if (column instanceof Column.Doubles c) {
                w.writeDoubles(c);
            } else {
                throw new MigrationException(ErrorCode.INTERNAL, "column " + name + " cannot be written as NumPy: "
                        + column.getClass().getSimpleName());
            }
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
            if (parquet != null) {
                bytes = java.nio.file.Files.size(files.get(0).path());
            }
            files.forEach(StagedFile::publish);
            return new BulkFileGroup(format, files.stream().map(StagedFile::key).toList(), rows, partition);
        }

        void discard() {
            try {
                closeWriters();
            } catch (IOException | RuntimeException ignored) {
                // the files are discarded anyway
            }
            npy.stream().filter(w -> w instanceof NpyStringWriter).forEach(w -> ((NpyStringWriter) w).discard());
            files.forEach(StagedFile::discard);
        }

        private void closeWriters() throws IOException {
            if (json != null) {
                json.close();
            }
            if (parquet != null) {
                parquet.close();
            }
            for (Object w : npy) {
                if (w instanceof NpyWriter n) {
                    n.close();
                } else {
                    ((NpyStringWriter) w).close();
                }
            }
        }

        @Override
        public String toString() {
            return groupPrefix;
        }
    }
}
