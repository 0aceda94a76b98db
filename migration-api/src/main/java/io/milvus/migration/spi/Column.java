package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The values of one field for the rows of a {@link Batch}, held in one primitive array (one kind per
 * {@link DataType}, named there). Arrays are owned by the column once built: producers hand them over and do not
 * change them afterwards. {@link #slice} is a view of the same arrays, not a copy. Scalar columns may hold nulls
 * (rows of a nullable field without a value), marked in a {@link BitSet} of row numbers; vector columns have none.
 * {@link StoredVectors} is the exception to "in an array": vectors left in the source, for writers that copy them
 * as they are.
 */
public sealed interface Column {

    /** Number of rows. */
    int rowCount();

    /** Approximate heap bytes of the values. */
    long sizeInBytes();

    /** Rows {@code [from, to)} of this column: a view of the same values. */
    Column slice(int from, int to);

    /** Whether row {@code row} holds no value. */
    default boolean isNull(int row) {
        return false;
    }

    /** Whether any row holds no value. */
    default boolean hasNulls() {
        return false;
    }

    /**
     * Row {@code row} as an object: null, or Boolean, Integer (INT8/16/32), Long, Float, Double, String (VARCHAR,
     * and JSON as its text), {@code List} (ARRAY, of the element type's objects), {@code float[]} (float vectors),
     * {@code byte[]} (binary vectors; float16 and bfloat16 vectors as little-endian 2-byte values), or
     * {@code SortedMap<Long, Float>} (sparse vectors).
     */
    Object value(int row);

    /** The given rows, in the given order, as a new column of the same kind (a copy). */
    default Column select(int[] rows) {
        return ColumnValues.select(this, rows);
    }

    /**
     * A column of {@code field}'s kind holding these values, one per row, as sources commonly have them: Boolean;
     * any Number for integers and floats; String for VARCHAR and JSON text; a List for ARRAY; {@code float[]} or a
     * List of Numbers for float vectors (float16 and bfloat16 vectors are encoded from them, or taken as their
     * 2-byte values in a {@code byte[]}); {@code byte[]} or a ByteBuffer for binary vectors; a Map of Number to
     * Number for sparse vectors. A null is a null row of a scalar field.
     *
     * @throws IllegalArgumentException naming the field and row of a value that does not fit
     */
    static Column of(FieldSchema field, List<?> values) {
        return ColumnValues.of(field, values);
    }

    private static void checkRange(int offset, int rows, int length) {
        if (offset < 0 || rows < 0 || offset + rows > length) {
            throw new IndexOutOfBoundsException("rows [" + offset + ", " + (offset + rows) + ") of " + length);
        }
    }

    private static BitSet viewNulls(BitSet nulls, int offset, int rows) {
        if (nulls == null) {
            return null;
        }
        BitSet v = nulls.get(offset, offset + rows);
        return v.isEmpty() ? null : v;
    }

    /**
     * Scalar values with optional nulls. {@code nulls} holds the row numbers (of this column, from 0) without a
     * value; null or empty for none.
     */
    abstract sealed class Scalars implements Column permits Bools, Ints, Longs, Floats, Doubles, Strings, Lists {
        final int offset;
        final int rows;
        private final BitSet nulls;

        Scalars(int offset, int rows, int length, BitSet nulls) {
            checkRange(offset, rows, length);
            this.offset = offset;
            this.rows = rows;
            this.nulls = nulls == null || nulls.isEmpty() ? null : (BitSet) nulls.clone();
        }

        /** Nulls of rows {@code [from, to)}, renumbered from 0. */
        BitSet nullsOf(int from, int to) {
            checkRange(from, to - from, rows);
            return viewNulls(nulls, from, to - from);
        }

        @Override
        public final int rowCount() {
            return rows;
        }

        @Override
        public final boolean isNull(int row) {
            return nulls != null && nulls.get(row);
        }

        @Override
        public final boolean hasNulls() {
            return nulls != null;
        }

        /** The rows without a value, numbered from 0; empty when there are none. */
        public final BitSet nulls() {
            return nulls == null ? new BitSet() : (BitSet) nulls.clone();
        }

        @Override
        public final Object value(int row) {
            return isNull(row) ? null : boxed(row);
        }

        abstract Object boxed(int row);

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + rows + " rows" + (nulls == null ? "" : ", "
                    + nulls.cardinality() + " null") + "]";
        }
    }

    /** BOOL values. */
    final class Bools extends Scalars {
        private final boolean[] values;

        /** All values, without nulls. */
        public Bools(boolean[] values) {
            this(values, null);
        }

        /** Values with nulls (the value of a null row is ignored). */
        public Bools(boolean[] values, BitSet nulls) {
            this(values, 0, values.length, nulls);
        }

        private Bools(boolean[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        /** The value of row {@code row} (false for a null). */
        public boolean get(int row) {
            return values[offset + row];
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            return rows;
        }

        @Override
        public Bools slice(int from, int to) {
            return new Bools(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /** INT8, INT16 and INT32 values, held as ints (the field's type bounds them). */
    final class Ints extends Scalars {
        private final int[] values;

        /** All values, without nulls. */
        public Ints(int[] values) {
            this(values, null);
        }

        /** Values with nulls (the value of a null row is ignored). */
        public Ints(int[] values, BitSet nulls) {
            this(values, 0, values.length, nulls);
        }

        private Ints(int[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        /** The value of row {@code row} (0 for a null). */
        public int get(int row) {
            return values[offset + row];
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            return 4L * rows;
        }

        @Override
        public Ints slice(int from, int to) {
            return new Ints(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /** INT64 values. */
    final class Longs extends Scalars {
        private final long[] values;

        /** All values, without nulls. */
        public Longs(long[] values) {
            this(values, null);
        }

        /** Values with nulls (the value of a null row is ignored). */
        public Longs(long[] values, BitSet nulls) {
            this(values, 0, values.length, nulls);
        }

        private Longs(long[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        /** The value of row {@code row} (0 for a null). */
        public long get(int row) {
            return values[offset + row];
        }

        /** The values of these rows: the backing array itself when this column is all of it, else a copy. */
        public long[] values() {
            return offset == 0 && rows == values.length ? values : Arrays.copyOfRange(values, offset, offset + rows);
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            return 8L * rows;
        }

        @Override
        public Longs slice(int from, int to) {
            return new Longs(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /** FLOAT values. */
    final class Floats extends Scalars {
        private final float[] values;

        /** All values, without nulls. */
        public Floats(float[] values) {
            this(values, null);
        }

        /** Values with nulls (the value of a null row is ignored). */
        public Floats(float[] values, BitSet nulls) {
            this(values, 0, values.length, nulls);
        }

        private Floats(float[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        /** The value of row {@code row} (0 for a null). */
        public float get(int row) {
            return values[offset + row];
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            return 4L * rows;
        }

        @Override
        public Floats slice(int from, int to) {
            return new Floats(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /** DOUBLE values. */
    final class Doubles extends Scalars {
        private final double[] values;

        /** All values, without nulls. */
        public Doubles(double[] values) {
            this(values, null);
        }

        /** Values with nulls (the value of a null row is ignored). */
        public Doubles(double[] values, BitSet nulls) {
            this(values, 0, values.length, nulls);
        }

        private Doubles(double[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        /** The value of row {@code row} (0 for a null). */
        public double get(int row) {
            return values[offset + row];
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            return 8L * rows;
        }

        @Override
        public Doubles slice(int from, int to) {
            return new Doubles(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /** VARCHAR values, or JSON documents as their text; a null element is a null row. */
    final class Strings extends Scalars {
        private final String[] values;

        /** These values; null elements are null rows. */
        public Strings(List<String> values) {
            this(values.toArray(String[]::new));
        }

        /** These values (the array is handed over); null elements are null rows. */
        public Strings(String[] values) {
            this(values, 0, values.length, nullsIn(values));
        }

        private Strings(String[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        private static BitSet nullsIn(Object[] values) {
            var nulls = new BitSet();
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    nulls.set(i);
                }
            }
            return nulls;
        }

        /** The value of row {@code row}, null for a null row. */
        public String get(int row) {
            return values[offset + row];
        }

        /** The values of these rows, nulls included, as an unmodifiable list view. */
        public List<String> values() {
            return Collections.unmodifiableList(Arrays.asList(values).subList(offset, offset + rows));
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            long n = 0;
            for (int i = offset; i < offset + rows; i++) {
                n += values[i] == null ? 8 : 40L + 2L * values[i].length();
            }
            return n;
        }

        @Override
        public Strings slice(int from, int to) {
            return new Strings(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /**
     * ARRAY values: one list per row of the element type's objects (Boolean, Integer, Long, Float, Double or
     * String); a null element of {@code values} is a null row.
     */
    final class Lists extends Scalars {
        private final List<?>[] values;

        /** These values (the array is handed over); null elements are null rows. */
        public Lists(List<?>[] values) {
            this(values, 0, values.length, Strings.nullsIn(values));
        }

        private Lists(List<?>[] values, int offset, int rows, BitSet nulls) {
            super(offset, rows, values.length, nulls);
            this.values = values;
        }

        /** The list of row {@code row}, null for a null row. */
        public List<?> get(int row) {
            return values[offset + row];
        }

        @Override
        Object boxed(int row) {
            return get(row);
        }

        @Override
        public long sizeInBytes() {
            long n = 0;
            for (int i = offset; i < offset + rows; i++) {
                n += values[i] == null ? 8 : 16L + 24L * values[i].size();
            }
            return n;
        }

        @Override
        public Lists slice(int from, int to) {
            return new Lists(values, offset + from, to - from, nullsOf(from, to));
        }
    }

    /** Float vectors, row-major: row {@code i} is {@code dimension} floats from {@code (offset() + i) * dimension}. */
    final class FloatVectors implements Column {
        private final int dimension;
        private final float[] values;
        private final int offset;
        private final int rows;

        /** Vectors of {@code dimension} floats, one after another. */
        public FloatVectors(int dimension, float[] values) {
            this(dimension, requireNonNull(values, "values is null"), 0, rowsOf(values.length, dimension, "floats"));
        }

        private FloatVectors(int dimension, float[] values, int offset, int rows) {
            checkRange(offset, rows, values.length / dimension);
            this.dimension = dimension;
            this.values = values;
            this.offset = offset;
            this.rows = rows;
        }

        /** Floats per vector. */
        public int dimension() {
            return dimension;
        }

        /** The backing array (also rows outside a view); row {@code i} starts at {@code (offset() + i) * dimension}. */
        public float[] array() {
            return values;
        }

        /** The first row of this column within {@link #array()}. */
        public int offset() {
            return offset;
        }

        /** The floats of these rows: the backing array itself when this column is all of it, else a copy. */
        public float[] values() {
            return offset == 0 && rows * dimension == values.length ? values
                    : Arrays.copyOfRange(values, offset * dimension, (offset + rows) * dimension);
        }

        /** Float {@code i} of row {@code row}. */
        public float get(int row, int i) {
            return values[(offset + row) * dimension + i];
        }

        @Override
        public int rowCount() {
            return rows;
        }

        @Override
        public long sizeInBytes() {
            return 4L * rows * dimension;
        }

        @Override
        public Object value(int row) {
            int from = (offset + row) * dimension;
            return Arrays.copyOfRange(values, from, from + dimension);
        }

        @Override
        public FloatVectors slice(int from, int to) {
            checkRange(from, to - from, rows);
            return new FloatVectors(dimension, values, offset + from, to - from);
        }
    }

    private static int rowsOf(int length, int width, String what) {
        if (width <= 0 || length % width != 0) {
            throw new IllegalArgumentException(length + " " + what + " do not make vectors of " + width + " each");
        }
        return length / width;
    }

    /**
     * Fixed-size vectors held as bytes, row-major: binary vectors ({@code dimension / 8} bytes a row), float16 and
     * bfloat16 vectors (2 little-endian bytes a value).
     */
    abstract sealed class ByteVectors implements Column permits BinaryVectors, HalfVectors {
        private final int dimension;
        private final byte[] values;
        private final int offset;
        private final int rows;
        private final int width;

        ByteVectors(int dimension, byte[] values, int offset, int rows, int width) {
            checkRange(offset, rows, values.length / width);
            this.dimension = dimension;
            this.values = values;
            this.offset = offset;
            this.rows = rows;
            this.width = width;
        }

        /** Values per vector: bits for binary vectors. */
        public final int dimension() {
            return dimension;
        }

        /** Bytes per row. */
        public final int rowBytes() {
            return width;
        }

        /** The backing array (also rows outside a view); row {@code i} starts at {@code (offset() + i) * rowBytes()}. */
        public final byte[] array() {
            return values;
        }

        /** The first row of this column within {@link #array()}. */
        public final int offset() {
            return offset;
        }

        /** The bytes of these rows: the backing array itself when this column is all of it, else a copy. */
        public final byte[] values() {
            return offset == 0 && rows * width == values.length ? values
                    : Arrays.copyOfRange(values, offset * width, (offset + rows) * width);
        }

        @Override
        public final int rowCount() {
            return rows;
        }

        @Override
        public final long sizeInBytes() {
            return (long) rows * width;
        }

        /** Row {@code row}'s bytes (a copy). */
        @Override
        public final Object value(int row) {
            int from = (offset + row) * width;
            return Arrays.copyOfRange(values, from, from + width);
        }

        final void checkSlice(int from, int to) {
            checkRange(from, to - from, rows);
        }
    }

    /** Binary vectors of {@code dimension} bits, {@code dimension / 8} bytes per row, row-major. */
    final class BinaryVectors extends ByteVectors {
        /** Vectors of {@code dimension} bits (a multiple of 8), one after another. */
        public BinaryVectors(int dimension, byte[] values) {
            this(dimension, requireNonNull(values, "values is null"), 0, binaryRows(dimension, values.length));
        }

        private BinaryVectors(int dimension, byte[] values, int offset, int rows) {
            super(dimension, values, offset, rows, dimension / 8);
        }

        private static int binaryRows(int dimension, int length) {
            if (dimension <= 0 || dimension % 8 != 0) {
                throw new IllegalArgumentException("binary dimension " + dimension + " is not a positive multiple of 8");
            }
            return rowsOf(length, dimension / 8, "bytes");
        }

        @Override
        public BinaryVectors slice(int from, int to) {
            checkSlice(from, to);
            return new BinaryVectors(dimension(), array(), offset() + from, to - from);
        }
    }

    /** Float16 or bfloat16 vectors: 2 little-endian bytes per value, {@code 2 * dimension} bytes per row. */
    final class HalfVectors extends ByteVectors {
        private final DataType type;

        /**
         * Vectors of {@code dimension} 2-byte values, one after another.
         *
         * @param type {@link DataType#FLOAT16_VECTOR} or {@link DataType#BFLOAT16_VECTOR}
         */
        public HalfVectors(DataType type, int dimension, byte[] values) {
            this(type, dimension, requireNonNull(values, "values is null"), 0, rowsOf(values.length, 2 * dimension,
                    "bytes"));
        }

        private HalfVectors(DataType type, int dimension, byte[] values, int offset, int rows) {
            super(dimension, values, offset, rows, 2 * dimension);
            if (type != DataType.FLOAT16_VECTOR && type != DataType.BFLOAT16_VECTOR) {
                throw new IllegalArgumentException(type + " is not a half-precision vector type");
            }
            this.type = type;
        }

        /** Encodes floats as float16 (rounding to nearest even) or bfloat16 (rounding to nearest even) vectors. */
        public static HalfVectors of(DataType type, int dimension, float[] values) {
            byte[] out = new byte[values.length * 2];
            for (int i = 0; i < values.length; i++) {
                short h = type == DataType.BFLOAT16_VECTOR ? toBfloat16(values[i]) : toFloat16(values[i]);
                out[2 * i] = (byte) h;
                out[2 * i + 1] = (byte) (h >>> 8);
            }
            return new HalfVectors(type, dimension, out);
        }

        private static short toFloat16(float f) {
            int bits = Float.floatToRawIntBits(f);
            int sign = (bits >>> 16) & 0x8000;
            int exp = (bits >>> 23) & 0xff;
            int mant = bits & 0x7f_ffff;
            if (exp == 0xff) {
                return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | mant >>> 13 : 0));
            }
            int e = exp - 127 + 15;
            if (e >= 0x1f) {
                return (short) (sign | 0x7c00);
            }
            int shift = e <= 0 ? 14 - e : 13;   // subnormal results keep fewer mantissa bits
            if (shift > 24) {
                return (short) sign;
            }
            int m = e <= 0 ? mant | 0x80_0000 : mant;
            int h = (e <= 0 ? 0 : e << 10) | m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || rest == halfway && (h & 1) != 0) {
                h++;   // a carry into the exponent is right: it rounds up to the next binade or to infinity
            }
            return (short) (sign | h);
        }

        private static float fromFloat16(int h) {
            int sign = (h & 0x8000) << 16;
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            if (exp == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f80_0000 | mant << 13);
            }
            if (exp == 0) {
                float v = mant * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | (exp - 15 + 127) << 23 | mant << 13);
        }

        private static short toBfloat16(float f) {
            int bits = Float.floatToRawIntBits(f);
            if (Float.isNaN(f)) {
                return (short) ((bits >>> 16) | 0x40);
            }
            return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
        }

        /** {@link DataType#FLOAT16_VECTOR} or {@link DataType#BFLOAT16_VECTOR}. */
        public DataType type() {
            return type;
        }

        /** Value {@code i} of row {@code row} as a float. */
        public float get(int row, int i) {
            int at = (offset() + row) * rowBytes() + 2 * i;
            int h = (array()[at] & 0xff) | (array()[at + 1] & 0xff) << 8;
            return type == DataType.BFLOAT16_VECTOR ? Float.intBitsToFloat(h << 16) : fromFloat16(h);
        }

        @Override
        public HalfVectors slice(int from, int to) {
            checkSlice(from, to);
            return new HalfVectors(type, dimension(), array(), offset() + from, to - from);
        }
    }

    /**
     * Sparse float vectors in compressed rows: row {@code r} holds the pairs {@code [starts[r], starts[r + 1])} of
     * {@code indices} (unsigned 32-bit, ascending within a row) and {@code values}.
     */
    final class SparseVectors implements Column {
        private final int[] starts;
        private final long[] indices;
        private final float[] values;
        private final int offset;
        private final int rows;

        /**
         * Rows of pairs; the arrays are handed over.
         *
         * @param starts  {@code rows + 1} ascending pair positions, from 0 to {@code indices.length}
         * @param indices dimension indices, 0 to 2^32 - 1, ascending within a row
         * @param values  the value of each index
         */
        public SparseVectors(int[] starts, long[] indices, float[] values) {
            this(starts, indices, values, 0, starts.length - 1);
            if (starts.length == 0 || starts[0] != 0 || starts[starts.length - 1] != indices.length
                    || indices.length != values.length) {
                throw new IllegalArgumentException("sparse rows do not match " + indices.length + " indices and "
                        + values.length + " values");
            }
            for (int r = 0; r < rows; r++) {
                for (int i = starts[r]; i < starts[r + 1]; i++) {
                    if (indices[i] < 0 || indices[i] > 0xffff_ffffL || i > starts[r] && indices[i] <= indices[i - 1]) {
                        throw new IllegalArgumentException("sparse row " + r + ": index " + indices[i]
                                + " is not an ascending unsigned 32-bit index");
                    }
                }
            }
        }

        private SparseVectors(int[] starts, long[] indices, float[] values, int offset, int rows) {
            checkRange(offset, rows, Math.max(0, starts.length - 1));
            this.starts = starts;
            this.indices = indices;
            this.values = values;
            this.offset = offset;
            this.rows = rows;
        }

        /** Builds a column from one map of index to value per row. */
        public static SparseVectors of(List<? extends SortedMap<Long, Float>> rows) {
            int[] starts = new int[rows.size() + 1];
            int n = 0;
            for (int r = 0; r < rows.size(); r++) {
                n += rows.get(r).size();
                starts[r + 1] = n;
            }
            long[] indices = new long[n];
            float[] values = new float[n];
            int i = 0;
            for (SortedMap<Long, Float> row : rows) {
                for (var e : row.entrySet()) {
                    indices[i] = e.getKey();
                    values[i++] = e.getValue();
                }
            }
            return new SparseVectors(starts, indices, values);
        }

        /** Pairs in row {@code row}. */
        public int size(int row) {
            return starts[offset + row + 1] - starts[offset + row];
        }

        /** Index of pair {@code i} of row {@code row}. */
        public long index(int row, int i) {
            return indices[starts[offset + row] + i];
        }

        /** Value of pair {@code i} of row {@code row}. */
        public float get(int row, int i) {
            return values[starts[offset + row] + i];
        }

        @Override
        public int rowCount() {
            return rows;
        }

        @Override
        public long sizeInBytes() {
            return 4L * rows + 12L * (starts[offset + rows] - starts[offset]);
        }

        @Override
        public SortedMap<Long, Float> value(int row) {
            var m = new TreeMap<Long, Float>();
            for (int i = 0; i < size(row); i++) {
                m.put(index(row, i), get(row, i));
            }
            return m;
        }

        @Override
        public SparseVectors slice(int from, int to) {
            checkRange(from, to - from, rows);
            return new SparseVectors(starts, indices, values, offset + from, to - from);
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

        /** Row {@code row} read from the source: a {@code float[]} or a {@code byte[]}. */
        @Override
        public Object value(int row) {
            return slice(row, row + 1).materialize().value(0);
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
}
