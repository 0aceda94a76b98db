package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The shape of one collection: its name, description, fields in order, whether it has the dynamic field, its
 * partitions, properties (such as {@code collection.ttl.seconds}), consistency level, shard count and, with a
 * partition key, how many partitions the keys are spread over. Immutable;
 * built by {@link #builder(String)}, so that new properties can be added without breaking callers.
 */
public final class CollectionSchema {
    /**
     * Name of the dynamic field: in a {@link Batch} it is a column of JSON objects holding the values of fields that
     * are not in the schema.
     */
    public static final String DYNAMIC_FIELD = "$meta";

    private final String name;
    private final String description;
    private final List<FieldSchema> fields;
    private final boolean dynamicField;
    private final List<String> partitions;
    private final Map<String, String> properties;
    private final ConsistencyLevel consistencyLevel;
    private final int shards;
    private final int partitionKeyPartitions;

    private CollectionSchema(Builder b) {
        name = b.name;
        description = b.description;
        fields = List.copyOf(b.fields);
        dynamicField = b.dynamicField;
        partitions = List.copyOf(b.partitions);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        consistencyLevel = b.consistencyLevel;
        shards = b.shards;
        // kept only while a field is the partition key, so that a transform dropping that field drops the count too
        partitionKeyPartitions = b.fields.stream().anyMatch(FieldSchema::partitionKey) ? b.partitionKeyPartitions : 0;
        var names = new HashSet<String>();
        for (FieldSchema f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("collection " + name + ": field " + f.name() + " appears twice");
            }
            if (f.name().equals(DYNAMIC_FIELD)) {
                throw new IllegalArgumentException("collection " + name + ": " + DYNAMIC_FIELD
                        + " is the dynamic field's name, not a field's");
            }
        }
        if (fields.stream().filter(FieldSchema::primaryKey).count() != 1) {
            throw new IllegalArgumentException("collection " + name + " needs exactly one primary key field");
        }
        if (fields.stream().filter(FieldSchema::partitionKey).count() > 1) {
            throw new IllegalArgumentException("collection " + name + " has more than one partition key");
        }
        if (fields.stream().noneMatch(f -> f.type().isVector())) {
            throw new IllegalArgumentException("collection " + name + " needs a vector field");
        }
        if (shards < 0) {
            throw new IllegalArgumentException("collection " + name + ": shard count " + shards + " is negative");
        }
        if (b.partitionKeyPartitions < 0) {
            throw new IllegalArgumentException("collection " + name + ": partition count " + b.partitionKeyPartitions
                    + " is negative");
        }
    }

    /** Starts a collection of this name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this collection's settings, to make a changed copy. */
    public Builder toBuilder() {
        var b = new Builder(name).description(description).fields(fields).dynamicField(dynamicField)
                .partitions(partitions).shards(shards).partitionKeyPartitions(partitionKeyPartitions);
        b.properties.putAll(properties);
        b.consistencyLevel = consistencyLevel;
        return b;
    }

    /** Collection name. */
    public String name() {
        return name;
    }

    /** Free text, may be "". */
    public String description() {
        return description;
    }

    /** Fields in order; exactly one primary key, unique names, at least one vector field. */
    public List<FieldSchema> fields() {
        return fields;
    }

    /** Whether rows may carry fields beyond the schema, in the {@value #DYNAMIC_FIELD} column. */
    public boolean dynamicField() {
        return dynamicField;
    }

    /** Named partitions beyond the default one, created on the target even if they stay empty. */
    public List<String> partitions() {
        return partitions;
    }

    /** Collection properties, such as {@code collection.ttl.seconds}. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The consistency level; empty for the target's default. */
    public Optional<ConsistencyLevel> consistencyLevel() {
        return Optional.ofNullable(consistencyLevel);
    }

    /** Shard count; 0 for the target's default. */
    public int shards() {
        return shards;
    }

    /**
     * With a partition key: how many partitions the target spreads the keys over (Milvus's {@code num_partitions});
     * 0 for the target's default. Always 0 without a partition key.
     */
    public int partitionKeyPartitions() {
        return partitionKeyPartitions;
    }

    /** The field with this name, if any. */
    public Optional<FieldSchema> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** The primary key field. */
    public FieldSchema primaryKey() {
        return fields.stream().filter(FieldSchema::primaryKey).findFirst().orElseThrow();
    }

    /** The vector fields in order (at least one). */
    public List<FieldSchema> vectorFields() {
        return fields.stream().filter(f -> f.type().isVector()).toList();
    }

    /** This schema with another collection name. */
    public CollectionSchema withName(String newName) {
        return toBuilder().name(newName).build();
    }

    /** This schema with every field passed through {@code change}. */
    public CollectionSchema mapFields(UnaryOperator<FieldSchema> change) {
        return toBuilder().fields(fields.stream().map(change).toList()).build();
    }

    /** Estimated bytes of one row in a batch. */
    public long bytesPerRow() {
        return fields.stream().mapToLong(FieldSchema::bytesPerRow).sum() + (dynamicField ? 64 : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionSchema c && name.equals(c.name) && description.equals(c.description)
                && fields.equals(c.fields) && dynamicField == c.dynamicField && partitions.equals(c.partitions)
                && properties.equals(c.properties) && consistencyLevel == c.consistencyLevel && shards == c.shards
                && partitionKeyPartitions == c.partitionKeyPartitions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, fields);
    }

    @Override
    public String toString() {
        return name + fields + (dynamicField ? " +" + DYNAMIC_FIELD : "")
                + (partitions.isEmpty() ? "" : " partitions=" + partitions)
                + (properties.isEmpty() ? "" : " properties=" + properties)
                + (consistencyLevel == null ? "" : " " + consistencyLevel) + (shards == 0 ? "" : " shards=" + shards)
                + (partitionKeyPartitions == 0 ? "" : " partitionKeyPartitions=" + partitionKeyPartitions);
    }

    /** Collects a collection's settings; not thread-safe. */
    public static final class Builder {
        private String name;
        private String description = "";
        private final List<FieldSchema> fields = new ArrayList<>();
        private boolean dynamicField;
        private final LinkedHashSet<String> partitions = new LinkedHashSet<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private ConsistencyLevel consistencyLevel;
        private int shards;
        private int partitionKeyPartitions;

        private Builder(String name) {
            name(name);
        }

        /** Another collection name. */
        public Builder name(String newName) {
            requireNonNull(newName, "name is null");
            if (newName.isBlank()) {
                throw new IllegalArgumentException("collection name is blank");
            }
            this.name = newName;
            return this;
        }

        /** Free text. Default "". */
        public Builder description(String description) {
            this.description = requireNonNull(description, "description is null");
            return this;
        }

        /** Adds a field after those added before. */
        public Builder field(FieldSchema field) {
            fields.add(requireNonNull(field, "field is null"));
            return this;
        }

        /** Replaces the fields with these, in order. */
        public Builder fields(List<FieldSchema> newFields) {
            requireNonNull(newFields, "fields is null");
            fields.clear();
            newFields.forEach(this::field);
            return this;
        }

        /** Whether rows may carry fields beyond the schema. Default false. */
        public Builder dynamicField(boolean dynamicField) {
            this.dynamicField = dynamicField;
            return this;
        }

        /** Replaces the named partitions (beyond the default one) with these. Default none. */
        public Builder partitions(List<String> names) {
            requireNonNull(names, "partitions is null");
            partitions.clear();
            names.forEach(p -> partitions.add(requireNonNull(p, "partition is null")));
            return this;
        }

        /** A collection property, such as {@code collection.ttl.seconds} "3600". Default none. */
        public Builder property(String key, String value) {
            properties.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** The consistency level. Default: the target's. */
        public Builder consistencyLevel(ConsistencyLevel level) {
            this.consistencyLevel = requireNonNull(level, "consistency level is null");
            return this;
        }

        /** The shard count. Default 0: the target's. */
        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        /**
         * With a partition key, how many partitions the keys are spread over; ignored without one. Default 0: the
         * target's.
         */
        public Builder partitionKeyPartitions(int count) {
            this.partitionKeyPartitions = count;
            return this;
        }

        /**
         * Checks and freezes the settings.
         *
         * @throws IllegalArgumentException naming the collection and what is wrong
         */
        public CollectionSchema build() {
            return new CollectionSchema(this);
        }
    }
}
