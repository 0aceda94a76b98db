package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One field of a collection: its name and type, and what the type needs (dimension, maximum length, element type and
 * capacity), its role (primary key with or without autoID, partition key, clustering key), whether it may be null
 * and its default value. Immutable; built by {@link #builder(String, DataType)}, so that new properties can be added
 * without breaking callers.
 */
public final class FieldSchema {
    /** The largest VARCHAR length Milvus takes, used when none is given. */
    public static final int MAX_VARCHAR_LENGTH = 65_535;

    private final String name;
    private final DataType type;
    private final String description;
    private final boolean primaryKey;
    private final boolean autoId;
    private final boolean partitionKey;
    private final boolean clusteringKey;
    private final boolean nullable;
    private final Object defaultValue;
    private final int dimension;
    private final int maxLength;
    private final DataType elementType;
    private final int maxCapacity;
    private final MetricType metric;

    private FieldSchema(Builder b) {
        name = b.name;
        type = b.type;
        description = b.description;
        primaryKey = b.primaryKey;
        autoId = b.autoId;
        partitionKey = b.partitionKey;
        clusteringKey = b.clusteringKey;
        nullable = b.nullable;
        defaultValue = b.defaultValue;
        dimension = b.dimension;
        elementType = b.elementType;
        boolean strings = type == DataType.VARCHAR || elementType == DataType.VARCHAR;
        maxLength = strings && b.maxLength == 0 ? MAX_VARCHAR_LENGTH : b.maxLength;
        maxCapacity = b.maxCapacity;
        metric = type.isVector() && b.metric == null ? type.defaultMetric() : b.metric;
        validate();
    }

    private void validate() {
        if (type.hasDimension() ? dimension <= 0 : dimension != 0) {
            throw invalid("dimension " + dimension + " is invalid for " + type);
        }
        if (type == DataType.BINARY_VECTOR && dimension % 8 != 0) {
            throw invalid("binary dimension " + dimension + " is not a multiple of 8");
        }
        if (metric != null && !type.isVector()) {
            throw invalid("a metric is for vector fields only");
        }
        boolean strings = type == DataType.VARCHAR || elementType == DataType.VARCHAR;
        if (strings ? maxLength < 1 || maxLength > MAX_VARCHAR_LENGTH : maxLength != 0) {
            throw invalid("max length " + maxLength + " is invalid for " + describeType());
        }
        if (type == DataType.ARRAY) {
            if (elementType == null || !elementType.isArrayElement()) {
                throw invalid("an array needs a scalar element type, not " + elementType);
            }
            if (maxCapacity < 1) {
                throw invalid("an array needs a max capacity of at least 1, not " + maxCapacity);
            }
        } else if (elementType != null || maxCapacity != 0) {
            throw invalid("element type and capacity are for arrays only");
        }
        if (primaryKey && type != DataType.INT64 && type != DataType.VARCHAR) {
            throw invalid("a primary key must be INT64 or VARCHAR, not " + type);
        }
        if (primaryKey && (nullable || defaultValue != null || partitionKey)) {
            throw invalid("a primary key cannot be nullable, have a default value or be the partition key");
        }
        if (autoId && !primaryKey) {
            throw invalid("autoID is for the primary key only");
        }
        if (partitionKey && type != DataType.INT64 && type != DataType.VARCHAR) {
            throw invalid("a partition key must be INT64 or VARCHAR, not " + type);
        }
        if (defaultValue != null && !accepts(defaultValue)) {
            throw invalid("default value " + defaultValue + " (" + defaultValue.getClass().getSimpleName()
                    + ") does not fit " + type);
        }
        if (defaultValue != null && (type.isVector() || type == DataType.ARRAY || type == DataType.JSON)) {
            throw invalid("a " + type + " field cannot have a default value");
        }
    }

    private IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("field " + name + ": " + problem);
    }

    /** Whether a value (as {@link Column#value(int)} gives it) is of this field's scalar type. */
    private boolean accepts(Object v) {
        return type.holds(v) && !(v instanceof String s && s.length() > maxLength);
    }

    /** Starts a field of this name and type. */
    public static Builder builder(String name, DataType type) {
        return new Builder(name, type);
    }

    /** A builder holding this field's settings, to make a changed copy. */
    public Builder toBuilder() {
        var b = new Builder(name, type);
        b.description = description;
        b.primaryKey = primaryKey;
        b.autoId = autoId;
        b.partitionKey = partitionKey;
        b.clusteringKey = clusteringKey;
        b.nullable = nullable;
        b.defaultValue = defaultValue;
        b.dimension = dimension;
        b.maxLength = maxLength;
        b.elementType = elementType;
        b.maxCapacity = maxCapacity;
        b.metric = metric;
        return b;
    }

    /** An INT64 primary key field whose values the source gives. */
    public static FieldSchema int64Key(String name) {
        return builder(name, DataType.INT64).primaryKey(true).build();
    }

    /** A float vector field. */
    public static FieldSchema floatVector(String name, int dimension, MetricType metric) {
        return builder(name, DataType.FLOAT_VECTOR).dimension(dimension).metric(metric).build();
    }

    /** A binary vector field of {@code dimension} bits. */
    public static FieldSchema binaryVector(String name, int dimension, MetricType metric) {
        return builder(name, DataType.BINARY_VECTOR).dimension(dimension).metric(metric).build();
    }

    /** This field under another name. */
    public FieldSchema renamed(String newName) {
        return toBuilder().name(newName).build();
    }

    /** Field name, not blank. */
    public String name() {
        return name;
    }

    /** Field type. */
    public DataType type() {
        return type;
    }

    /** Free text, "" by default. */
    public String description() {
        return description;
    }

    /** Whether this is the primary key (exactly one per collection). */
    public boolean primaryKey() {
        return primaryKey;
    }

    /** Whether the target assigns the primary key's values (the source's values are not written then). */
    public boolean autoId() {
        return autoId;
    }

    /** Whether this is the partition key. */
    public boolean partitionKey() {
        return partitionKey;
    }

    /** Whether this is the clustering key. */
    public boolean clusteringKey() {
        return clusteringKey;
    }

    /** Whether rows may hold no value. */
    public boolean nullable() {
        return nullable;
    }

    /**
     * The value a row without one gets, of the type {@link Column#value(int)} gives for this field (Boolean,
     * Integer for INT8/16/32, Long, Float, Double, String); empty when there is none.
     */
    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Vector dimension (bits for binary vectors); 0 for scalar fields and sparse vectors. */
    public int dimension() {
        return dimension;
    }

    /** Maximum length of a VARCHAR or of the VARCHAR elements of an ARRAY; 0 for other types. */
    public int maxLength() {
        return maxLength;
    }

    /** The element type of an ARRAY; null for other types. */
    public DataType elementType() {
        return elementType;
    }

    /** The most elements an ARRAY may hold; 0 for other types. */
    public int maxCapacity() {
        return maxCapacity;
    }

    /** The metric of a vector field (its type's default unless named); null for scalar fields. */
    public MetricType metric() {
        return metric;
    }

    /** Bytes one row of this field takes in a batch (strings, JSON and arrays estimated, sparse at 64 pairs). */
    public long bytesPerRow() {
        return switch (type) {
            case BOOL, INT8 -> 1;
            case INT16 -> 2;
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case VARCHAR -> Math.min(32, maxLength);
            case JSON -> 64;
            case ARRAY -> 8L * Math.min(maxCapacity, 16);
            case FLOAT_VECTOR -> (long) dimension * Float.BYTES;
            case BINARY_VECTOR -> dimension / 8;
            case FLOAT16_VECTOR, BFLOAT16_VECTOR -> 2L * dimension;
            case SPARSE_FLOAT_VECTOR -> 64 * 12;
        };
    }

    private String describeType() {
        return type == DataType.ARRAY ? "ARRAY<" + elementType + ">" : type.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSchema f && name.equals(f.name) && type == f.type && description.equals(f.description)
                && primaryKey == f.primaryKey && autoId == f.autoId && partitionKey == f.partitionKey
                && clusteringKey == f.clusteringKey && nullable == f.nullable
                && Objects.equals(defaultValue, f.defaultValue) && dimension == f.dimension
                && maxLength == f.maxLength && elementType == f.elementType && maxCapacity == f.maxCapacity
                && metric == f.metric;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, primaryKey, dimension, maxLength, elementType, metric);
    }

    @Override
    public String toString() {
        var s = new StringBuilder(name).append(' ').append(describeType());
        if (type.hasDimension()) {
            s.append('(').append(dimension).append(')');
        }
        if (maxLength > 0) {
            s.append(" maxLength=").append(maxLength);
        }
        if (maxCapacity > 0) {
            s.append(" maxCapacity=").append(maxCapacity);
        }
        if (metric != null) {
            s.append(' ').append(metric);
        }
        List.of(Map.entry(primaryKey, " primaryKey"), Map.entry(autoId, " autoID"),
                Map.entry(partitionKey, " partitionKey"), Map.entry(clusteringKey, " clusteringKey"),
                Map.entry(nullable, " nullable")).forEach(e -> s.append(e.getKey() ? e.getValue() : ""));
        if (defaultValue != null) {
            s.append(" default=").append(defaultValue);
        }
        return s.toString();
    }

    /** Collects a field's settings; not thread-safe. */
    public static final class Builder {
        private String name;
        private final DataType type;
        private String description = "";
        private boolean primaryKey;
        private boolean autoId;
        private boolean partitionKey;
        private boolean clusteringKey;
        private boolean nullable;
        private Object defaultValue;
        private int dimension;
        private int maxLength;
        private DataType elementType;
        private int maxCapacity;
        private MetricType metric;

        private Builder(String name, DataType type) {
            name(name);
            this.type = requireNonNull(type, "type is null");
        }

        private Builder name(String newName) {
            requireNonNull(newName, "name is null");
            if (newName.isBlank()) {
                throw new IllegalArgumentException("field name is blank");
            }
            this.name = newName;
            return this;
        }

        /** Free text. Default "". */
        public Builder description(String description) {
            this.description = requireNonNull(description, "description is null");
            return this;
        }

        /** Whether this is the primary key (INT64 or VARCHAR). Default false. */
        public Builder primaryKey(boolean primaryKey) {
            this.primaryKey = primaryKey;
            return this;
        }

        /** Whether the target assigns the primary key's values. Default false. */
        public Builder autoId(boolean autoId) {
            this.autoId = autoId;
            return this;
        }

        /** Whether this is the partition key (INT64 or VARCHAR). Default false. */
        public Builder partitionKey(boolean partitionKey) {
            this.partitionKey = partitionKey;
            return this;
        }

        /** Whether this is the clustering key. Default false. */
        public Builder clusteringKey(boolean clusteringKey) {
            this.clusteringKey = clusteringKey;
            return this;
        }

        /** Whether rows may hold no value. Default false. */
        public Builder nullable(boolean nullable) {
            this.nullable = nullable;
            return this;
        }

        /** The value of rows without one (see {@link FieldSchema#defaultValue()} for its Java type). Default none. */
        public Builder defaultValue(Object defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        /** Vector dimension, bits for binary vectors. Required for every vector type but sparse. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** Maximum length of a VARCHAR (or of VARCHAR array elements). Default {@value #MAX_VARCHAR_LENGTH}. */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Element type of an ARRAY. Required for arrays. */
        public Builder elementType(DataType elementType) {
            this.elementType = requireNonNull(elementType, "elementType is null");
            return this;
        }

        /** Most elements of an ARRAY. Required for arrays. */
        public Builder maxCapacity(int maxCapacity) {
            this.maxCapacity = maxCapacity;
            return this;
        }

        /** Metric of a vector field. Default: L2 for float vectors, HAMMING for binary, IP for sparse. */
        public Builder metric(MetricType metric) {
            this.metric = requireNonNull(metric, "metric is null");
            return this;
        }

        /**
         * Checks and freezes the settings.
         *
         * @throws IllegalArgumentException naming the field and what does not fit its type
         */
        public FieldSchema build() {
            return new FieldSchema(this);
        }
    }
}
