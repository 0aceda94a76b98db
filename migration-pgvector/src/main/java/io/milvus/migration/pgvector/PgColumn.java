package io.milvus.migration.pgvector;

import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;

/**
 * One column of the table or query and the field it becomes.
 *
 * @param name    the column's name (also the field's)
 * @param pgType  its PostgreSQL type name, such as {@code int4}, {@code vector} or {@code _text} (an array)
 * @param kind    how its values are read
 * @param field   the field
 */
record PgColumn(String name, String pgType, Kind kind, FieldSchema field) {

    /** How values are read from a result set. */
    enum Kind {
        BOOL, INT, LONG, FLOAT, DOUBLE, NUMERIC_DOUBLE, TEXT, JSON, TEMPORAL_MICROS, TEMPORAL_TEXT,
        VECTOR, HALFVEC, BIT, SPARSEVEC, ARRAY
    }

}
