package io.milvus.migration.spi;

/** Field types, named after their Milvus 2.x counterparts, with the {@link Column} kind that holds each. */
public enum DataType {
    /** Boolean; held in a {@link Column.Bools}. */
    BOOL,
    /** 8-bit signed integer; held in a {@link Column.Ints}. */
    INT8,
    /** 16-bit signed integer; held in a {@link Column.Ints}. */
    INT16,
    /** 32-bit signed integer; held in a {@link Column.Ints}. */
    INT32,
    /** 64-bit signed integer; held in a {@link Column.Longs}. */
    INT64,
    /** 32-bit float; held in a {@link Column.Floats}. */
    FLOAT,
    /** 64-bit float; held in a {@link Column.Doubles}. */
    DOUBLE,
    /** Variable-length UTF-8 string of at most {@link FieldSchema#maxLength()} characters; a {@link Column.Strings}. */
    VARCHAR,
    /** A JSON document, held as its text in a {@link Column.Strings}. */
    JSON,
    /** A list of scalars of {@link FieldSchema#elementType()}; held in a {@link Column.Lists}. */
    ARRAY,
    /** Vector of 32-bit floats; held in a {@link Column.FloatVectors}. */
    FLOAT_VECTOR,
    /** Vector of bits, packed 8 per byte; held in a {@link Column.BinaryVectors}. */
    BINARY_VECTOR,
    /** Vector of IEEE 754 half-precision floats; held in a {@link Column.HalfVectors}. */
    FLOAT16_VECTOR,
    /** Vector of bfloat16 values; held in a {@link Column.HalfVectors}. */
    BFLOAT16_VECTOR,
    /** Sparse vector of (uint32 index, float value) pairs; held in a {@link Column.SparseVectors}. */
    SPARSE_FLOAT_VECTOR;

    /** Whether this is a vector type. */
    public boolean isVector() {
        return ordinal() >= FLOAT_VECTOR.ordinal();
    }

    /** Whether a vector field of this type has a fixed dimension (every vector type but sparse). */
    public boolean hasDimension() {
        return isVector() && this != SPARSE_FLOAT_VECTOR;
    }

    /** Whether this is an integer type. */
    public boolean isInteger() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }

    /** Whether values of this type can be the elements of an {@link #ARRAY}. */
    public boolean isArrayElement() {
        return ordinal() <= VARCHAR.ordinal();
    }

    /**
     * Whether a boxed value (as {@link Column#value(int)} gives it) is of this scalar type: Boolean, Integer in the
     * range of INT8/INT16/INT32, Long, Float, Double or String (of any length). False for the other types.
     */
    public boolean holds(Object v) {
        return switch (this) {
            case BOOL -> v instanceof Boolean;
            case INT8 -> v instanceof Integer i && i == i.byteValue();
            case INT16 -> v instanceof Integer i && i == i.shortValue();
            case INT32 -> v instanceof Integer;
            case INT64 -> v instanceof Long;
            case FLOAT -> v instanceof Float;
            case DOUBLE -> v instanceof Double;
            case VARCHAR -> v instanceof String;
            default -> false;
        };
    }

    /** The metric a vector field of this type gets when none is named. */
    public MetricType defaultMetric() {
        return switch (this) {
            case BINARY_VECTOR -> MetricType.HAMMING;
            case SPARSE_FLOAT_VECTOR -> MetricType.IP;
            default -> MetricType.L2;
        };
    }
}
