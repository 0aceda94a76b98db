package io.milvus.migration;

import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The type conversions of {@link Transforms#convert}. */
final class TypeConversion {
    private static final Set<DataType> FLOATING_VECTORS = EnumSet.of(DataType.FLOAT_VECTOR, DataType.FLOAT16_VECTOR,
            DataType.BFLOAT16_VECTOR);
    private static final Set<DataType> NUMBERS = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32,
            DataType.INT64, DataType.FLOAT, DataType.DOUBLE);

    private TypeConversion() {
    }

    static boolean possible(DataType from, DataType to) {
        if (from == to) {
            return true;
        }
        if (FLOATING_VECTORS.contains(from) || FLOATING_VECTORS.contains(to)) {
            return FLOATING_VECTORS.contains(from) && FLOATING_VECTORS.contains(to);
        }
        boolean scalar = NUMBERS.contains(from) || from == DataType.BOOL || from == DataType.VARCHAR;
        return switch (to) {
            case VARCHAR -> scalar || from == DataType.JSON;
            case JSON -> scalar;
            case BOOL -> from == DataType.VARCHAR;
            case INT8, INT16, INT32, INT64, FLOAT, DOUBLE -> NUMBERS.contains(from) || from == DataType.VARCHAR;
            default -> false;
        };
    }

    /** The field as the new type, keeping its name, role and settings where the type has them. */
    static FieldSchema field(FieldSchema f, DataType to) {
        var b = FieldSchema.builder(f.name(), to).description(f.description()).nullable(f.nullable())
                .primaryKey(f.primaryKey()).autoId(f.autoId()).partitionKey(f.partitionKey())
                .clusteringKey(f.clusteringKey());
        if (to.hasDimension()) {
            b.dimension(f.dimension()).metric(f.metric());
        }
        if (to == DataType.VARCHAR && f.type() == DataType.VARCHAR) {
            b.maxLength(f.maxLength());
        }
        try {
            f.defaultValue().ifPresent(v -> b.defaultValue(value(f.name(), -1, v, to)));
            return b.build();
        } catch (IllegalArgumentException | MigrationException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "cannot convert field " + f.name() + " to " + to
                    + ": " + e.getMessage(), e);
        }
    }

    static Column column(String field, Column c, DataType to) {
        if (FLOATING_VECTORS.contains(to)) {
            if (c instanceof Column.StoredVectors stored) {
                c = stored.materialize();
            }
            float[] floats = floats(c);
            int dimension = c instanceof Column.FloatVectors v ? v.dimension() : ((Column.HalfVectors) c).dimension();
            return to == DataType.FLOAT_VECTOR ? new Column.FloatVectors(dimension, floats)
                    : Column.HalfVectors.of(to, dimension, floats);
        }
        var values = new ArrayList<>(c.rowCount());
        for (int r = 0; r < c.rowCount(); r++) {
            Object v = c.value(r);
            values.add(v == null ? null : value(field, r, v, to));
        }
        try {
            return Column.of(FieldSchema.builder(field, to).build(), values);
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "converting " + e.getMessage(), e);
        }
    }

    private static float[] floats(Column c) {
        if (c instanceof Column.FloatVectors v) {
            return v.values();
        }
        var h = (Column.HalfVectors) c;
        float[] out = new float[h.rowCount() * h.dimension()];
        for (int r = 0; r < h.rowCount(); r++) {
            for (int i = 0; i < h.dimension(); i++) {
                out[r * h.dimension() + i] = h.get(r, i);
            }
        }
        return out;
    }

    /** One scalar value as the new type; {@code row} -1 for a default value. */
    private static Object value(String field, int row, Object v, DataType to) {
        try {
            return switch (to) {
                case VARCHAR -> String.valueOf(v);
                case JSON -> v instanceof String s ? jsonString(s) : jsonScalar(v);
                case BOOL -> switch (String.valueOf(v).trim().toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new NumberFormatException();
                };
                case INT8, INT16, INT32 -> v instanceof String s ? Integer.parseInt(s.trim()) : number(v, to);
                case INT64 -> v instanceof String s ? Long.parseLong(s.trim()) : number(v, to);
                case FLOAT -> v instanceof String s ? Float.parseFloat(s.trim()) : ((Number) v).floatValue();
                case DOUBLE -> v instanceof String s ? Double.parseDouble(s.trim()) : ((Number) v).doubleValue();
                default -> throw new IllegalStateException(to.toString());
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "field " + field
                    + (row < 0 ? " default value" : ", row " + row) + ": cannot convert " + show(v) + " to " + to, e);
        }
    }

    /** A number as the integer type, refusing fractions (the target type's range is checked with the batch). */
    private static Object number(Object v, DataType to) {
        var n = (Number) v;
        if (n instanceof Float || n instanceof Double) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new ArithmeticException("not an integer");
            }
            long l = (long) d;
            return to == DataType.INT64 ? (Object) l : (Object) Math.toIntExact(l);
        }
        return to == DataType.INT64 ? (Object) n.longValue() : (Object) Math.toIntExact(n.longValue());
    }

    private static String jsonScalar(Object v) {
        if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
            throw new ArithmeticException("JSON has no " + v);
        }
        return String.valueOf(v);
    }

    private static String jsonString(String s) {
        var b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String show(Object v) {
        String s = String.valueOf(v);
        return "'" + (s.length() <= 40 ? s : s.substring(0, 37) + "...") + "'";
    }

    /** {@code s} cut to at most {@code maxBytes} bytes of UTF-8, at a character boundary; null stays null. */
    static String truncate(String s, int maxBytes) {
        if (s == null || s.length() * 3L <= maxBytes) {
            return s;
        }
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                return s.substring(0, i);
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s;
    }
}
