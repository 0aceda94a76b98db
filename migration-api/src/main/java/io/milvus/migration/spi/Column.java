package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The values of one field for the rows of a {@link Batch}, held in one primitive array. Arrays are owned by the
 * column once built: producers hand them over and do not change them afterwards.
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
