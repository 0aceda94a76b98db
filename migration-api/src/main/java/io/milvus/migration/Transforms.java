package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Transform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The built-in transforms. */
public final class Transforms {
    private Transforms() {
    }

    /** Gives the target collection another name; rows pass unchanged. */
    public static Transform renameCollection(String newName) {
        requireNonNull(newName, "newName is null");
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                return schema.withName(newName);
            }

            @Override
            public Batch apply(Batch batch) {
                return batch;
            }

            @Override
            public boolean passesColumnsThrough() {
                return true;
            }

            @Override
            public String toString() {
                return "renameCollection(" + newName + ")";
            }
        };
    }

    /**
     * Renames fields: {@code renames} maps source names to target names. A source field that does not exist is an
     * error when the schema is applied.
     */
    public static Transform renameFields(Map<String, String> renames) {
        var copy = Map.copyOf(requireNonNull(renames, "renames is null"));
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                for (String from : copy.keySet()) {
                    if (schema.field(from).isEmpty()) {
                        throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot rename field " + from
                                + ": collection " + schema.name() + " has fields "
                                + schema.fields().stream().map(f -> f.name()).toList());
                    }
                }
                return schema.mapFields(f -> f.renamed(copy.getOrDefault(f.name(), f.name())));
            }

            @Override
            public Batch apply(Batch batch) {
                var renamed = new LinkedHashMap<String, Column>();
                batch.columns().forEach((name, column) -> renamed.put(copy.getOrDefault(name, name), column));
                return new Batch(batch.position(), renamed);
            }

            @Override
            public boolean passesColumnsThrough() {
                return true;
            }

            @Override
            public String toString() {
                return "renameFields(" + copy + ")";
            }
        };
    }

    /** Keeps only the named fields (the primary key must be among them), in source order. */
    public static Transform selectFields(List<String> fields) {
        Set<String> keep = Set.copyOf(requireNonNull(fields, "fields is null"));
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                for (String name : keep) {
                    if (schema.field(name).isEmpty()) {
                        throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot select field " + name
                                + ": collection " + schema.name() + " has no such field");
                    }
                }
                if (!keep.contains(schema.primaryKey().name())) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "selected fields " + keep
                            + " leave out the primary key " + schema.primaryKey().name());
                }
                return schema.toBuilder()
                        .fields(schema.fields().stream().filter(f -> keep.contains(f.name())).toList()).build();
            }

            @Override
            public Batch apply(Batch batch) {
                var kept = new LinkedHashMap<String, Column>();
                batch.columns().forEach((name, column) -> {
                    if (keep.contains(name)) {
                        kept.put(name, column);
                    }
                });
                return new Batch(batch.position(), kept);
            }

            @Override
            public boolean passesColumnsThrough() {
                return true;
            }

            @Override
            public String toString() {
                return "selectFields(" + keep + ")";
            }
        };
    }
}
