package io.milvus.migration;

import static java.util.Objects.requireNonNull;

import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Transform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

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

    /**
     * Converts a field to another type: float vectors to float16 or bfloat16 vectors and back; numbers to other
     * numbers (a value that does not fit the new type fails naming its row); any scalar to VARCHAR (its text) or to
     * JSON (a JSON scalar); VARCHAR to numbers or BOOL (parsed; text that does not parse fails naming its row).
     *
     * @throws MigrationException {@code INVALID_CONFIG}, when the schema is applied, if the collection has no such
     *                            field or the conversion is not one of these
     */
    public static Transform convert(String field, DataType to) {
        requireNonNull(field, "field is null");
        requireNonNull(to, "to is null");
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                FieldSchema f = schema.field(field).orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                        "cannot convert field " + field + ": collection " + schema.name() + " has no such field"));
                if (!TypeConversion.possible(f.type(), to)) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot convert field " + field + " of "
                            + schema.name() + " from " + f.type() + " to " + to);
                }
                return schema.mapFields(x -> x.name().equals(field) ? TypeConversion.field(x, to) : x);
            }

            @Override
            public Batch apply(Batch batch) {
                var columns = new LinkedHashMap<>(batch.columns());
                columns.computeIfPresent(field, (name, c) -> TypeConversion.column(name, c, to));
                return new Batch(batch.position(), columns);
            }

            @Override
            public String toString() {
                return "convert(" + field + " to " + to + ")";
            }
        };
    }

    /**
     * Sets the max length of a VARCHAR field (in UTF-8 bytes, as Milvus counts). A longer value is cut at a
     * character boundary when {@code truncate}, else it fails the migration naming the field and row.
     */
    public static Transform maxLength(String field, int maxLength, boolean truncate) {
        requireNonNull(field, "field is null");
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                FieldSchema f = schema.field(field).filter(x -> x.type() == DataType.VARCHAR)
                        .orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG, "cannot set the max "
                                + "length of " + field + ": collection " + schema.name() + " has no VARCHAR field "
                                + field));
                try {
                    return schema.mapFields(x -> x == f ? x.toBuilder().maxLength(maxLength).build() : x);
                } catch (IllegalArgumentException e) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
                }
            }

            @Override
            public Batch apply(Batch batch) {
                if (!truncate || !(batch.columns().get(field) instanceof Column.Strings c)) {
                    return batch;
                }
                String[] cut = new String[c.rowCount()];
                for (int r = 0; r < cut.length; r++) {
                    cut[r] = TypeConversion.truncate(c.get(r), maxLength);
                }
                var columns = new LinkedHashMap<>(batch.columns());
                columns.put(field, new Column.Strings(cut));
                return new Batch(batch.position(), columns);
            }

            @Override
            public String toString() {
                return "maxLength(" + field + ", " + maxLength + (truncate ? ", truncate)" : ")");
            }
        };
    }

    /**
     * Keeps the rows for which {@code keep} is true; it sees a row as field name to value ({@link Column#value}).
     * Must be deterministic: a resumed migration filters the same rows again.
     */
    public static Transform filterRows(Predicate<Map<String, Object>> keep) {
        requireNonNull(keep, "keep is null");
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                return schema;
            }

            @Override
            public Batch apply(Batch batch) {
                int[] kept = new int[batch.rowCount()];
                int n = 0;
                for (int r = 0; r < batch.rowCount(); r++) {
                    if (keep.test(row(batch, r))) {
                        kept[n++] = r;
                    }
                }
                if (n == batch.rowCount()) {
                    return batch;
                }
                int[] rows = java.util.Arrays.copyOf(kept, n);
                var columns = new LinkedHashMap<String, Column>();
                batch.columns().forEach((name, c) -> columns.put(name, c.select(rows)));
                return new Batch(batch.position(), columns);
            }

            @Override
            public boolean dropsRows() {
                return true;
            }

            @Override
            public String toString() {
                return "filterRows(" + keep + ")";
            }
        };
    }

    /**
     * Adds a field whose value {@code value} computes from each row (seen as field name to value). The values are
     * those {@link Column#of} takes for the field's type.
     */
    public static Transform computeField(FieldSchema field, Function<Map<String, Object>, Object> value) {
        requireNonNull(field, "field is null");
        requireNonNull(value, "value is null");
        return new Transform() {
            @Override
            public CollectionSchema apply(CollectionSchema schema) {
                if (schema.field(field.name()).isPresent()) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot compute field " + field.name()
                            + ": collection " + schema.name() + " has it already");
                }
                return schema.toBuilder().field(field).build();
            }

            @Override
            public Batch apply(Batch batch) {
                var values = new ArrayList<>(batch.rowCount());
                for (int r = 0; r < batch.rowCount(); r++) {
                    values.add(value.apply(row(batch, r)));
                }
                var columns = new LinkedHashMap<>(batch.columns());
                try {
                    columns.put(field.name(), Column.of(field, values));
                } catch (IllegalArgumentException e) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "computed " + e.getMessage(), e);
                }
                return new Batch(batch.position(), columns);
            }

            @Override
            public String toString() {
                return "computeField(" + field + ")";
            }
        };
    }

    private static Map<String, Object> row(Batch batch, int r) {
        var row = new HashMap<String, Object>();
        batch.columns().forEach((name, c) -> row.put(name, c.value(r)));
        return row;
    }
}
