package io.milvus.migration.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.Transforms;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.spi.TransformFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transforms a {@code migration.yaml} names in its {@code transforms:} list, each a {@link TransformFactory}
 * registered in {@code META-INF/services}: {@code selectFields}, {@code renameFields}, {@code renameCollection},
 * {@code convert}, {@code maxLength} (the {@link Transforms} of the same names), and {@code filterRows},
 * {@code extractJson}, {@code computeField}. Each nested class documents its settings; every setting error names
 * {@code transforms[i].<key>}.
 */
public final class BuiltInTransforms {
    private BuiltInTransforms() {
    }

    private static MigrationException bad(String name, String key, String problem) {
        return new MigrationException(ErrorCode.INVALID_CONFIG, "transform " + name + ": setting '" + key + "' "
                + problem);
    }

    private static String required(String name, String key, String value) {
        if (value == null || value.isBlank()) {
            throw bad(name, key, "is missing");
        }
        return value.trim();
    }

    private static DataType type(String name, String key, String value) {
        try {
            return DataType.valueOf(required(name, key, value).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(name, key, "must be one of " + Arrays.toString(DataType.values()) + ", found '" + value + "'");
        }
    }

    /** {@code {name: selectFields, fields: [id, vector, title]}}: keeps these fields (the key among them). */
    public static final class SelectFields implements TransformFactory<SelectFields.Settings> {
        /** The settings of {@code selectFields}. */
        public static final class Settings {
            /** The fields to keep, the primary key among them; required. */
            public List<String> fields = List.of();
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public SelectFields() {
        }

        @Override
        public String name() {
            return "selectFields";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            if (s.fields == null || s.fields.isEmpty()) {
                throw bad(name(), "fields", "must list the fields to keep");
            }
        }

        @Override
        public Transform create(Settings s) {
            return Transforms.selectFields(s.fields);
        }
    }

    /** {@code {name: renameFields, fields: {title: headline}}}: source name to target name. */
    public static final class RenameFields implements TransformFactory<RenameFields.Settings> {
        /** The settings of {@code renameFields}. */
        public static final class Settings {
            /** Source field name to target field name; required. */
            public Map<String, String> fields = Map.of();
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public RenameFields() {
        }

        @Override
        public String name() {
            return "renameFields";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            if (s.fields == null || s.fields.isEmpty()) {
                throw bad(name(), "fields", "must map source names to target names");
            }
            s.fields.forEach((from, to) -> required(name(), "fields." + from, to));
            if (new java.util.HashSet<>(s.fields.values()).size() != s.fields.size()) {
                throw bad(name(), "fields", "gives two fields the same name: " + s.fields);
            }
        }

        @Override
        public Transform create(Settings s) {
            return Transforms.renameFields(s.fields);
        }
    }

    /** {@code {name: renameCollection, to: docs_v2}}: the target collection's name. */
    public static final class RenameCollection implements TransformFactory<RenameCollection.Settings> {
        /** The settings of {@code renameCollection}. */
        public static final class Settings {
            /** The new name; required. */
            public String to;
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public RenameCollection() {
        }

        @Override
        public String name() {
            return "renameCollection";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            required(name(), "to", s.to);
        }

        @Override
        public Transform create(Settings s) {
            return Transforms.renameCollection(s.to.trim());
        }
    }

    /**
     * {@code {name: convert, field: vector, to: FLOAT16_VECTOR}}: float vectors to float16/bfloat16 and back,
     * numbers to numbers, scalars to VARCHAR or JSON, VARCHAR to numbers or BOOL ({@link Transforms#convert}).
     */
    public static final class Convert implements TransformFactory<Convert.Settings> {
        /** The settings of {@code convert}. */
        public static final class Settings {
            /** The field to convert; required. */
            public String field;
            /** The new type, a {@link DataType} name (any case); required. */
            public String to;
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public Convert() {
        }

        @Override
        public String name() {
            return "convert";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            required(name(), "field", s.field);
            type(name(), "to", s.to);
        }

        @Override
        public Transform create(Settings s) {
            return Transforms.convert(s.field.trim(), type(name(), "to", s.to));
        }
    }

    /**
     * {@code {name: maxLength, field: title, maxLength: 256, truncate: true}}: a VARCHAR field's max length in
     * UTF-8 bytes; longer values are cut at a character boundary with {@code truncate}, else fail naming the row.
     */
    public static final class MaxLength implements TransformFactory<MaxLength.Settings> {
        /** The settings of {@code maxLength}. */
        public static final class Settings {
            /** The VARCHAR field; required. */
            public String field;
            /** The new max length in bytes, 1 to 65,535; required. */
            public Integer maxLength;
            /** Whether longer values are cut instead of failing the migration. Default false. */
            public boolean truncate;
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public MaxLength() {
        }

        @Override
        public String name() {
            return "maxLength";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            required(name(), "field", s.field);
            if (s.maxLength == null || s.maxLength < 1 || s.maxLength > 65_535) {
                throw bad(name(), "maxLength", "must be 1 to 65535, found " + s.maxLength);
            }
        }

        @Override
        public Transform create(Settings s) {
            return Transforms.maxLength(s.field.trim(), s.maxLength, s.truncate);
        }
    }

    /**
     * {@code {name: filterRows, field: lang, in: [en, de]}}: keeps the rows whose value of {@code field} passes every
     * condition given ({@code in}, {@code notIn}, {@code min}, {@code max}, {@code isNull}). Values compare as
     * numbers when both are numbers, else as text.
     */
    public static final class FilterRows implements TransformFactory<FilterRows.Settings> {
        /** The settings of {@code filterRows}; at least one condition is required. */
        public static final class Settings {
            /** The scalar field tested; required. */
            public String field;
            /** Keep rows whose value is one of these. Default: no such condition. */
            public List<Object> in;
            /** Keep rows whose value is none of these (a null value is none of them). Default: no such condition. */
            public List<Object> notIn;
            /** Keep rows whose numeric value is at least this. Default: no such condition. */
            public Double min;
            /** Keep rows whose numeric value is at most this. Default: no such condition. */
            public Double max;
            /** Keep only null rows (true) or only rows with a value (false). Default: no such condition. */
            public Boolean isNull;
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public FilterRows() {
        }

        @Override
        public String name() {
            return "filterRows";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            required(name(), "field", s.field);
            if (s.in == null && s.notIn == null && s.min == null && s.max == null && s.isNull == null) {
                throw bad(name(), "field", "needs a condition: in, notIn, min, max or isNull");
            }
            if (s.min != null && s.max != null && s.min > s.max) {
                throw bad(name(), "min", "is above max: " + s.min + " > " + s.max);
            }
        }

        @Override
        public Transform create(Settings s) {
            return new RowFilter(s.field.trim(), s.in, s.notIn, s.min, s.max, s.isNull);
        }
    }

    /** The row filter of {@link FilterRows}: looks at one column only. */
    static final class RowFilter implements Transform {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final List<Object> in;
        private final List<Object> notIn;
        private final Double min;
        private final Double max;
        private final Boolean isNull;

        RowFilter(String field, List<Object> in, List<Object> notIn, Double min, Double max, Boolean isNull) {
            this.field = field;
            this.in = in == null ? null : List.copyOf(in.stream().filter(Objects::nonNull).toList());
            this.notIn = notIn == null ? null : List.copyOf(notIn.stream().filter(Objects::nonNull).toList());
            this.min = min;
            this.max = max;
            this.isNull = isNull;
        }

        @Override
        public CollectionSchema apply(CollectionSchema schema) {
            FieldSchema f = schema.field(field).orElseThrow(() -> new MigrationException(ErrorCode.INVALID_CONFIG,
                    "cannot filter rows by " + field + ": collection " + schema.name() + " has no such field"));
            if (f.type().isVector() || f.type() == DataType.ARRAY) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot filter rows by " + field + " of "
                        + schema.name() + ": it is " + f.type() + ", not a scalar");
            }
            if ((min != null || max != null) && !(f.type().isInteger() || f.type() == DataType.FLOAT
                    || f.type() == DataType.DOUBLE)) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot filter rows by min or max of "
                        + field + " of " + schema.name() + ": it is " + f.type() + ", not a number");
            }
            return schema;
        }

        @Override
        public Batch apply(Batch batch) {
            Column c = batch.column(field);
            int[] kept = new int[c.rowCount()];
            int n = 0;
            for (int r = 0; r < kept.length; r++) {
                if (keep(c.value(r))) {
                    kept[n++] = r;
                }
            }
            if (n == kept.length) {
                return batch;
            }
            int[] rows = Arrays.copyOf(kept, n);
            var columns = new LinkedHashMap<String, Column>();
            batch.columns().forEach((name, column) -> columns.put(name, column.select(rows)));
            return new Batch(batch.position(), columns);
        }

        private boolean keep(Object v) {
            if (isNull != null && isNull != (v == null)) {
                return false;
            }
            if (in != null && (v == null || in.stream().noneMatch(w -> same(v, w)))) {
                return false;
            }
            if (notIn != null && v != null && notIn.stream().anyMatch(w -> same(v, w))) {
                return false;
            }
            if (min != null && (!(v instanceof Number x) || x.doubleValue() < min)) {
                return false;
            }
            return max == null || v instanceof Number x && x.doubleValue() <= max;
        }

        private static boolean same(Object v, Object wanted) {
            if (v instanceof Number a && wanted instanceof Number b) {
                boolean integral = !(a instanceof Float || a instanceof Double || b instanceof Float
                        || b instanceof Double);
                return integral ? a.longValue() == b.longValue() : a.doubleValue() == b.doubleValue();
            }
            return String.valueOf(v).equals(String.valueOf(wanted));
        }

        @Override
        public boolean dropsRows() {
            return true;
        }

        @Override
        public String toString() {
            return "filterRows(" + field + ")";
        }
    }

    /** A new scalar field as {@code extractJson} and {@code computeField} describe it. */
    private static FieldSchema newField(String name, String field, String type, Integer maxLength,
                                        boolean nullable) {
        String fieldName = required(name, "field", field);
        DataType t = type(name, "type", type);
        if (t.isVector() || t == DataType.ARRAY) {
            throw bad(name, "type", "must be a scalar type (BOOL, INT8 to INT64, FLOAT, DOUBLE, VARCHAR, JSON), found "
                    + type);
        }
        var b = FieldSchema.builder(fieldName, t).nullable(nullable);
        if (t == DataType.VARCHAR) {
            if (maxLength == null) {
                throw bad(name, "maxLength", "is missing; a VARCHAR field needs one (bytes of UTF-8, 1 to 65535)");
            }
            b.maxLength(maxLength);
        } else if (maxLength != null) {
            throw bad(name, "maxLength", "only goes with type VARCHAR");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(name, "field", "describes no valid field: " + e.getMessage());
        }
    }

    /** A new field as settings describe it: plain data, so that the transform holding it is serializable. */
    record NewField(String name, DataType type, Integer maxLength, boolean nullable) implements java.io.Serializable {
        static NewField of(FieldSchema f) {
            return new NewField(f.name(), f.type(), f.type() == DataType.VARCHAR ? f.maxLength() : null,
                    f.nullable());
        }

        FieldSchema schema() {
            var b = FieldSchema.builder(name, type).nullable(nullable);
            if (maxLength != null) {
                b.maxLength(maxLength);
            }
            return b.build();
        }
    }

    /** Adds {@code field} to the schema, refusing a name the collection has. */
    private static CollectionSchema withField(CollectionSchema schema, FieldSchema field, String what) {
        if (schema.field(field.name()).isPresent()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot " + what + " field " + field.name()
                    + ": collection " + schema.name() + " has it already");
        }
        return schema.toBuilder().field(field).build();
    }

    private static Batch withColumn(Batch batch, FieldSchema field, List<Object> values, String what) {
        var columns = new LinkedHashMap<>(batch.columns());
        try {
            columns.put(field.name(), Column.of(field, values));
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + " " + e.getMessage() + " (split "
                    + batch.position().splitId() + ")", e);
        }
        return new Batch(batch.position(), columns);
    }

    /**
     * {@code {name: extractJson, from: meta, path: author.name, field: author, type: VARCHAR, maxLength: 128}}:
     * a new field holding a value inside a JSON field (or the dynamic field, {@code from: $meta}); {@code path}
     * is a dotted path of object keys (a number steps into an array). A row without the value gets
     * {@code ifMissing}, else null when {@code nullable}, else fails naming the row.
     */
    public static final class ExtractJson implements TransformFactory<ExtractJson.Settings> {
        /** The settings of {@code extractJson}. */
        public static final class Settings {
            /** The JSON field read, or {@code $meta}; required. */
            public String from;
            /** The dotted path of the value; required. */
            public String path;
            /** The new field's name; required. */
            public String field;
            /** The new field's type, a scalar {@link DataType} name; required. */
            public String type;
            /** The max length of a VARCHAR field, in bytes; required for VARCHAR. */
            public Integer maxLength;
            /** Whether the new field is nullable. Default false (Milvus before 2.5 has no nullable fields). */
            public boolean nullable;
            /** The value of rows that lack one. Default: none (null if nullable, else an error). */
            public Object ifMissing;
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public ExtractJson() {
        }

        @Override
        public String name() {
            return "extractJson";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            required(name(), "from", s.from);
            String path = required(name(), "path", s.path);
            if (Arrays.stream(path.split("\\.", -1)).anyMatch(String::isEmpty)) {
                throw bad(name(), "path", "has an empty step: '" + path + "'");
            }
            newField(name(), s.field, s.type, s.maxLength, s.nullable);
        }

        @Override
        public Transform create(Settings s) {
            return new JsonExtraction(s.from.trim(), List.of(s.path.trim().split("\\.")),
                    NewField.of(newField(name(), s.field, s.type, s.maxLength, s.nullable)), s.ifMissing);
        }
    }

    /** The extraction of {@link ExtractJson}. */
    static final class JsonExtraction implements Transform {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();
        private final String from;
        private final List<String> path;
        private final NewField newField;
        private final Object ifMissing;

        JsonExtraction(String from, List<String> path, NewField field, Object ifMissing) {
            this.from = from;
            this.path = path;
            this.newField = field;
            this.ifMissing = ifMissing;
        }

        @Override
        public CollectionSchema apply(CollectionSchema schema) {
            FieldSchema field = newField.schema();
            boolean dynamic = from.equals(CollectionSchema.DYNAMIC_FIELD) && schema.dynamicField();
            if (!dynamic && schema.field(from).filter(f -> f.type() == DataType.JSON).isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot extract " + field.name() + " from "
                        + from + ": collection " + schema.name() + " has no JSON field " + from);
            }
            return withField(schema, field, "extract");
        }

        @Override
        public Batch apply(Batch batch) {
            FieldSchema field = newField.schema();
            Column c = batch.columns().get(from);
            var values = new ArrayList<>(batch.rowCount());
            for (int r = 0; r < batch.rowCount(); r++) {
                Object text = c == null ? null : c.value(r);
                Object v = text == null ? null : value(field, batch, r, (String) text);
                if (v == null && ifMissing != null) {
                    v = ifMissing;
                }
                if (v == null && !field.nullable()) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "extracting " + field.name() + ": row "
                            + r + " of the batch ending at row " + batch.position().rowsRead() + " of split "
                            + batch.position().splitId() + " has no " + from + "." + String.join(".", path)
                            + "; set ifMissing or nullable");
                }
                values.add(v);
            }
            return withColumn(batch, field, values, "extracted");
        }

        private Object value(FieldSchema field, Batch batch, int row, String text) {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, "extracting " + field.name() + ": " + from
                        + " of row " + row + " of split " + batch.position().splitId() + " is not JSON", e);
            }
            for (String step : path) {
                if (node == null) {
                    return null;
                }
                node = node.isArray() && step.chars().allMatch(Character::isDigit) ? node.get(Integer.parseInt(step))
                        : node.get(step);
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            return switch (field.type()) {
                case JSON -> node.toString();
                case VARCHAR -> node.isValueNode() ? node.asText() : node.toString();
                case BOOL -> node.isBoolean() ? node.booleanValue() : node.asText();
                default -> node.isNumber() ? node.numberValue() : node.asText();
            };
        }

        @Override
        public String toString() {
            return "extractJson(" + from + "." + String.join(".", path) + " as " + newField.name() + ")";
        }
    }

    /**
     * {@code {name: computeField, field: source, type: VARCHAR, maxLength: 64, template: "{lang}/{id}"}}: a new
     * field with, in every row, one of: {@code constant} (a value), {@code copyOf} (another field's value) or
     * {@code template} (text with {@code {field}} replaced by that field's value, "" for null).
     */
    public static final class ComputeField implements TransformFactory<ComputeField.Settings> {
        /** The settings of {@code computeField}; exactly one of constant, copyOf and template. */
        public static final class Settings {
            /** The new field's name; required. */
            public String field;
            /** The new field's type, a scalar {@link DataType} name; required. */
            public String type;
            /** The max length of a VARCHAR field, in bytes; required for VARCHAR. */
            public Integer maxLength;
            /** Whether the new field is nullable. Default false. */
            public boolean nullable;
            /** The value of every row. */
            public Object constant;
            /** The field whose value is copied. */
            public String copyOf;
            /** Text with {@code {name}} placeholders of fields. */
            public String template;
        }

        /** Called by {@link java.util.ServiceLoader}. */
        public ComputeField() {
        }

        @Override
        public String name() {
            return "computeField";
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public void validate(Settings s) {
            FieldSchema f = newField(name(), s.field, s.type, s.maxLength, s.nullable);
            int given = (s.constant != null ? 1 : 0) + (s.copyOf != null ? 1 : 0) + (s.template != null ? 1 : 0);
            if (given != 1) {
                throw bad(name(), "constant", "or 'copyOf' or 'template': give exactly one, found " + given);
            }
            if (s.template != null && f.type() != DataType.VARCHAR && f.type() != DataType.JSON) {
                throw bad(name(), "template", "makes text: type must be VARCHAR or JSON, found " + f.type());
            }
            if (s.constant != null) {
                try {
                    Column.of(f, List.of(s.constant));
                } catch (IllegalArgumentException e) {
                    throw bad(name(), "constant", "does not fit type " + f.type());
                }
            }
        }

        @Override
        public Transform create(Settings s) {
            FieldSchema f = newField(name(), s.field, s.type, s.maxLength, s.nullable);
            return new ComputedField(NewField.of(f), s.constant, s.copyOf == null ? null : s.copyOf.trim(),
                    s.template);
        }
    }

    /** The computation of {@link ComputeField}. */
    static final class ComputedField implements Transform {
        private static final long serialVersionUID = 1L;
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");
        private final NewField field;
        private final Object constant;
        private final String copyOf;
        private final String template;
        private final List<String> referenced;

        ComputedField(NewField field, Object constant, String copyOf, String template) {
            this.field = field;
            this.constant = constant;
            this.copyOf = copyOf;
            this.template = template;
            var names = new ArrayList<String>();
            if (template != null) {
                Matcher m = PLACEHOLDER.matcher(template);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
            if (copyOf != null) {
                names.add(copyOf);
            }
            this.referenced = List.copyOf(names);
        }

        @Override
        public CollectionSchema apply(CollectionSchema schema) {
            for (String name : referenced) {
                if (schema.field(name).isEmpty()) {
                    throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot compute field " + field.name()
                            + ": collection " + schema.name() + " has no field " + name);
                }
            }
            return withField(schema, field.schema(), "compute");
        }

        @Override
        public Batch apply(Batch batch) {
            int rows = batch.rowCount();
            List<Object> values;
            if (constant != null) {
                values = Collections.nCopies(rows, constant);
            } else if (copyOf != null) {
                Column c = batch.column(copyOf);
                values = new ArrayList<>(rows);
                for (int r = 0; r < rows; r++) {
                    values.add(c.value(r));
                }
            } else {
                values = new ArrayList<>(rows);
                var columns = new LinkedHashMap<String, Column>();
                referenced.forEach(n -> columns.put(n, batch.column(n)));
                for (int r = 0; r < rows; r++) {
                    int row = r;
                    Matcher m = PLACEHOLDER.matcher(template);
                    values.add(m.replaceAll(g -> Matcher.quoteReplacement(String.valueOf(
                            Objects.requireNonNullElse(columns.get(g.group(1)).value(row), "")))));
                }
            }
            return withColumn(batch, field.schema(), values, "computed");
        }

        @Override
        public String toString() {
            return "computeField(" + field.name() + ")";
        }
    }
}
