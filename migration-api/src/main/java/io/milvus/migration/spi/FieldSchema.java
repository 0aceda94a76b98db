package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

/**
 * One field of a collection.
 *
 * @param name       field name, not blank
 * @param type       field type
 * @param primaryKey whether this is the primary key (exactly one per collection)
 * @param dimension  vector dimension (bits for binary vectors); 0 for scalar fields
 * @param maxLength  maximum length of a VARCHAR; 0 for other types
 * @param metric     the metric of a vector field; null for scalar fields
 */
public record FieldSchema(String name, DataType type, boolean primaryKey, int dimension, int maxLength,
                          MetricType metric) {
    public FieldSchema {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("field name is blank");
        }
        if (type.isVector() != (dimension > 0)) {
            throw new IllegalArgumentException("field " + name + ": dimension " + dimension + " invalid for " + type);
        }
        if (type == DataType.BINARY_VECTOR && dimension % 8 != 0) {
            throw new IllegalArgumentException("field " + name + ": binary dimension " + dimension
                    + " is not a multiple of 8");
        }
        if (type.isVector() != (metric != null)) {
            throw new IllegalArgumentException("field " + name + ": a metric is required for vectors only");
        }
    }

    /** An INT64 primary key field. */
    public static FieldSchema int64Key(String name) {
        return new FieldSchema(name, DataType.INT64, true, 0, 0, null);
    }

    /** A float vector field. */
    public static FieldSchema floatVector(String name, int dimension, MetricType metric) {
        return new FieldSchema(name, DataType.FLOAT_VECTOR, false, dimension, 0, metric);
    }

    /** A binary vector field of {@code dimension} bits. */
    public static FieldSchema binaryVector(String name, int dimension, MetricType metric) {
        return new FieldSchema(name, DataType.BINARY_VECTOR, false, dimension, 0, metric);
    }

    /** This field under another name. */
    public FieldSchema renamed(String newName) {
        return new FieldSchema(newName, type, primaryKey, dimension, maxLength, metric);
    }

    /** Bytes one row of this field takes in a batch (strings are estimated at 32 bytes). */
    public long bytesPerRow() {
        return switch (type) {
            case INT64 -> Long.BYTES;
            case VARCHAR -> 32;
            case FLOAT_VECTOR -> (long) dimension * Float.BYTES;
            case BINARY_VECTOR -> dimension / 8;
        };
    }
}
