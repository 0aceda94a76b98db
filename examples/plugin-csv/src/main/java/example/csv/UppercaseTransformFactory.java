package example.csv;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.Transform;
import io.milvus.migration.spi.TransformFactory;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * A user's transform, named in YAML as {@code {name: uppercase, field: title}}: the values of a VARCHAR field in
 * upper case (locale-independent). Stateless, so safe on several threads, and deterministic, so a resumed job gets
 * the same rows. Registered in {@code META-INF/services/io.milvus.migration.spi.TransformFactory}.
 */
public final class UppercaseTransformFactory implements TransformFactory<UppercaseTransformFactory.Settings> {
    /** The settings of {@code uppercase}. */
    public static final class Settings {
        /** The VARCHAR field; required. */
        public String field;
    }

    /** Called by {@link java.util.ServiceLoader}. */
    public UppercaseTransformFactory() {
    }

    @Override
    public String name() {
        return "uppercase";
    }

    @Override
    public Class<Settings> settingsType() {
        return Settings.class;
    }

    @Override
    public void validate(Settings s) {
        if (s.field == null || s.field.isBlank()) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "transform uppercase: setting 'field' is missing");
        }
    }

    @Override
    public Transform create(Settings s) {
        return new Uppercase(s.field.trim());
    }

    /** The transform: holds only the field's name, so that it is serializable (Spark sends it to executors). */
    static final class Uppercase implements Transform {
        private static final long serialVersionUID = 1L;
        private final String field;

        Uppercase(String field) {
            this.field = field;
        }

        @Override
        public CollectionSchema apply(CollectionSchema schema) {
            if (schema.field(field).filter(f -> f.type() == DataType.VARCHAR).isEmpty()) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "transform uppercase: collection "
                        + schema.name() + " has no VARCHAR field " + field);
            }
            return schema; // upper case may take more bytes (ß to SS): the batch check names such a row
        }

        @Override
        public Batch apply(Batch batch) {
            var c = (Column.Strings) batch.column(field);
            String[] upper = new String[c.rowCount()];
            for (int r = 0; r < upper.length; r++) {
                String v = c.get(r);
                upper[r] = v == null ? null : v.toUpperCase(Locale.ROOT);
            }
            var columns = new LinkedHashMap<>(batch.columns());
            columns.put(field, new Column.Strings(upper));
            return new Batch(batch.position(), columns);
        }

        @Override
        public String toString() {
            return "uppercase(" + field + ")";
        }
    }
}
