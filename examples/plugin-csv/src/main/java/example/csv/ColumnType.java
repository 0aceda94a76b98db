package example.csv;

import io.milvus.migration.spi.DataType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's type as written in a header or the settings: {@code INT64}, {@code VARCHAR(64)},
 * {@code FLOAT_VECTOR(128)}; {@code size} is a VARCHAR's max length or a vector's dimension, 0 if not given.
 */
record ColumnType(DataType type, int size) {
    private static final Pattern SPEC = Pattern.compile("\\s*([A-Za-z0-9_]+)\\s*(?:\\(\\s*(\\d+)\\s*\\))?\\s*");

    /**
     * Parses a type.
     *
     * @throws IllegalArgumentException saying what is wrong, without naming where (the caller does)
     */
    static ColumnType parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a type such as INT64 or VARCHAR(64): '" + spec + "'");
        }
        DataType type;
        try {
            type = DataType.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("names no type: '" + m.group(1) + "'");
        }
        switch (type) {
            case BOOL, INT8, INT16, INT32, INT64, FLOAT, DOUBLE, VARCHAR, JSON, FLOAT_VECTOR -> { }
            default -> throw new IllegalArgumentException("is " + type + ", which a CSV column cannot hold");
        }
        int size = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (m.group(2) != null && type != DataType.VARCHAR && type != DataType.FLOAT_VECTOR) {
            throw new IllegalArgumentException("gives a size to " + type + ", which takes none");
        }
        if (m.group(2) != null && size < 1) {
            throw new IllegalArgumentException("gives size 0 to " + type);
        }
        if (type == DataType.VARCHAR && size == 0) {
            throw new IllegalArgumentException("is VARCHAR without a max length: write VARCHAR(n), n in bytes");
        }
        return new ColumnType(type, size);
    }
}
