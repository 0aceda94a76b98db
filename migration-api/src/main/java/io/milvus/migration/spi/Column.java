package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.List;

/**
 * The values of one field for the rows of a {@link Batch}, held in one primitive array. Arrays are owned by the
 * column once built: producers hand them over and do not change them afterwards. {@link StoredVectors} is the
 * exception: vectors left in the source, for writers that copy them as they are.
 */
public sealed interface Column {

    /** Number of rows. */
    int rowCount();

    /** Approximate heap bytes of the values. */
    long sizeInBytes();

    /** Rows {@code [from, to)} of this column as a new column (a copy). */
    Column slice(int from, int to);

    /** INT64 values. */
    record Longs(long[] values) implements Column {
        public Longs {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rowCount() {
            return values.length;
        }

        @Override
        public long sizeInBytes() {
            return (long) values.length * Long.BYTES;
        }

        @Override
        public Longs slice(int from, int to) {
            return new Longs(java.util.Arrays.copyOfRange(values, from, to));
        }
    }

    /** VARCHAR values. */
    record Strings(List<String> values) implements Column {
        public Strings {
            values = List.copyOf(values);
        }

        @Override
        public int rowCount() {
            return values.size();
        }

        @Override
        public long sizeInBytes() {
            return values.stream().mapToLong(s -> 40L + 2L * s.length()).sum();
        }

        @Override
        public Strings slice(int from, int to) {
            return new Strings(values.subList(from, to));
        }
    }

    /** Float vectors, row-major: row {@code i} is {@code values[i*dimension .. (i+1)*dimension)}. */
    record FloatVectors(int dimension, float[] values) implements Column {
        public FloatVectors {
            requireNonNull(values, "values is null");
            if (dimension <= 0 || values.length % dimension != 0) {
                throw new IllegalArgumentException(values.length + " floats do not make vectors of dimension "
                        + dimension);
            }
        }

        @Override
        public int rowCount() {
            return values.length / dimension;
        }

        @Override
        public long sizeInBytes() {
            return (long) values.length * Float.BYTES;
        }

        @Override
        public FloatVectors slice(int from, int to) {
            return new FloatVectors(dimension,
                    java.util.Arrays.copyOfRange(values, from * dimension, to * dimension));
        }
    }

    /**
     * Vectors that lie in the source exactly as a bulk file holds them (little-endian float32 rows, or binary codes
     * of {@code dimension / 8} bytes): runs of rows, run {@code i} being {@code rows[i]} rows of contiguous bytes at
     * {@code offsets[i]} of {@code source}. A writer copies them channel to channel without touching the values in
     * Java; any other consumer calls {@link #materialize()}. Handed out only by a reader that was asked to
     * ({@link SplitReader#allowStoredVectors()}), and valid until that reader's next {@code next} or
     * {@code close}.
     *
     * @param type      {@link DataType#FLOAT_VECTOR} or {@link DataType#BINARY_VECTOR}
     * @param dimension floats per row, or bits per row for binary vectors
     * @param source    where the bytes are
     * @param offsets   byte offset of each run in the source
     * @param rows      rows of each run (positive)
     */
    record StoredVectors(DataType type, int dimension, ByteSource source, long[] offsets, int[] rows)
            implements Column {
        public StoredVectors {
            requireNonNull(type, "type is null");
            requireNonNull(source, "source is null");
            requireNonNull(offsets, "offsets is null");
            requireNonNull(rows, "rows is null");
            if (!type.isVector() || dimension <= 0 || type == DataType.BINARY_VECTOR && dimension % 8 != 0) {
                throw new IllegalArgumentException(type + " of dimension " + dimension + " cannot be stored vectors");
            }
            if (offsets.length != rows.length) {
                throw new IllegalArgumentException(offsets.length + " offsets for " + rows.length + " runs");
            }
        }

        /** Bytes of one row. */
        public int rowBytes() {
            return type == DataType.FLOAT_VECTOR ? dimension * Float.BYTES : dimension / 8;
        }

        /** Bytes of all rows. */
        public long bytes() {
            return (long) rowCount() * rowBytes();
        }

        @Override
        public int rowCount() {
            int n = 0;
            for (int r : rows) {
                n += r;
            }
            return n;
        }

        /** The runs only: the vectors stay in the source. */
        @Override
        public long sizeInBytes() {
            return 12L * rows.length;
        }

        /** Rows {@code [from, to)} as stored vectors of the same source (no bytes are read). */
        @Override
        public StoredVectors slice(int from, int to) {
            var newOffsets = new long[rows.length];
            var newRows = new int[rows.length];
            int runs = 0;
            int start = 0;
            for (int i = 0; i < rows.length && start < to; start += rows[i], i++) {
                int a = Math.max(from, start);
                int b = Math.min(to, start + rows[i]);
                if (a < b) {
                    newOffsets[runs] = offsets[i] + (long) (a - start) * rowBytes();
                    newRows[runs++] = b - a;
                }
            }
            return new StoredVectors(type, dimension, source, Arrays.copyOf(newOffsets, runs),
                    Arrays.copyOf(newRows, runs));
        }

        /**
         * Copies all rows' bytes to {@code target} at its position, run by run (in the kernel when both are files).
         *
         * @throws MigrationException {@code SOURCE_IO} naming the source if it cannot be read
         */
        public void transferTo(WritableByteChannel target) throws IOException {
            for (int i = 0; i < rows.length; i++) {
                source.transferTo(offsets[i], (long) rows[i] * rowBytes(), target);
            }
        }

        /**
         * Reads the vectors into a {@link FloatVectors} or {@link BinaryVectors} column.
         *
         * @throws MigrationException {@code SOURCE_IO} naming the source if it cannot be read
         */
        public Column materialize() {
            long total = bytes();
            if (total > Integer.MAX_VALUE - 8) {
                throw new MigrationException(ErrorCode.INTERNAL, total + " bytes of stored vectors cannot be "
                        + "materialized at once; read smaller batches");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows.length; i++) {
                ByteBuffer run = buf.slice(buf.position(), rows[i] * rowBytes());
                source.read(offsets[i], run);
                buf.position(buf.position() + run.capacity());
            }
            buf.flip();
            if (type == DataType.BINARY_VECTOR) {
                return new BinaryVectors(dimension, buf.array());
            }
            float[] values = new float[(int) (total / Float.BYTES)];
            buf.asFloatBuffer().get(values);
            return new FloatVectors(dimension, values);
        }

        @Override
        public String toString() {
            return "StoredVectors[" + type + "(" + dimension + "), " + rowCount() + " rows in " + rows.length
                    + " runs of " + source + "]";
        }
    }

    /**
     * Bytes of a source that {@link StoredVectors} point into: an open file or object read at any offset. Used by
     * the one thread that reads the split.
     */
    interface ByteSource {
        /**
         * Writes the {@code count} bytes at {@code offset} to {@code target} at its position (with
         * {@code FileChannel.transferTo} when both are files, so the bytes do not pass through Java).
         *
         * @throws MigrationException {@code SOURCE_IO} if the source cannot be read or ends early
         */
        void transferTo(long offset, long count, WritableByteChannel target) throws IOException;

        /**
         * Fills the remaining space of {@code target} with the bytes at {@code offset} onwards.
         *
         * @throws MigrationException {@code SOURCE_IO} if the source cannot be read or ends early
         */
        void read(long offset, ByteBuffer target);
    }

    /** Binary vectors of {@code dimension} bits, {@code dimension / 8} bytes per row, row-major. */
    record BinaryVectors(int dimension, byte[] values) implements Column {
        public BinaryVectors {
            requireNonNull(values, "values is null");
            if (dimension <= 0 || dimension % 8 != 0 || values.length % (dimension / 8) != 0) {
                throw new IllegalArgumentException(values.length + " bytes do not make binary vectors of dimension "
                        + dimension);
            }
        }

        @Override
        public int rowCount() {
            return values.length / (dimension / 8);
        }

        @Override
        public long sizeInBytes() {
            return values.length;
        }

        @Override
        public BinaryVectors slice(int from, int to) {
            int width = dimension / 8;
            return new BinaryVectors(dimension, java.util.Arrays.copyOfRange(values, from * width, to * width));
        }
    }
}
