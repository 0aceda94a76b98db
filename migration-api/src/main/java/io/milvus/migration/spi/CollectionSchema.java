package io.milvus.migration.spi;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The shape of one collection: its name, description and fields in order.
 *
 * @param name        collection name
 * @param description free text, may be ""
 * @param fields      fields in order; exactly one primary key, unique names
 */
public record CollectionSchema(String name, String description, List<FieldSchema> fields) {
    public CollectionSchema {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        fields = List.copyOf(requireNonNull(fields, "fields is null"));
        if (name.isBlank()) {
            throw new IllegalArgumentException("collection name is blank");
        }
        var names = new HashSet<String>();
        for (FieldSchema f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("collection " + name + ": field " + f.name() + " appears twice");
            }
        }
        if (fields.stream().filter(FieldSchema::primaryKey).count() != 1) {
            throw new IllegalArgumentException("collection " + name + " needs exactly one primary key field");
        }
    }

    /** The field with this name, if any. */
    public Optional<FieldSchema> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** The primary key field. */
    public FieldSchema primaryKey() {
        return fields.stream().filter(FieldSchema::primaryKey).findFirst().orElseThrow();
    }

    /** This schema with another collection name. */
    public CollectionSchema withName(String newName) {
        return new CollectionSchema(newName, description, fields);
    }

    /** This schema with every field passed through {@code change}. */
    public CollectionSchema mapFields(UnaryOperator<FieldSchema> change) {
        return new CollectionSchema(name, description, fields.stream().map(change).toList());
    }

    /** Estimated bytes of one row in a batch. */
    public long bytesPerRow() {
        return fields.stream().mapToLong(FieldSchema::bytesPerRow).sum();
    }
}
