package io.milvus.migration.spi;

/** Field types, named after their Milvus 2.x counterparts. */
public enum DataType {
    /** 64-bit signed integer; held in a {@link Column.Longs}. */
    INT64,
    /** Variable-length UTF-8 string; held in a {@link Column.Strings}. */
    VARCHAR,
    /** Vector of 32-bit floats; held in a {@link Column.FloatVectors}. */
    FLOAT_VECTOR,
    /** Vector of bits, packed 8 per byte; held in a {@link Column.BinaryVectors}. */
    BINARY_VECTOR;

    /** Whether this is a vector type. */
    public boolean isVector() {
        return this == FLOAT_VECTOR || this == BINARY_VECTOR;
    }
}
