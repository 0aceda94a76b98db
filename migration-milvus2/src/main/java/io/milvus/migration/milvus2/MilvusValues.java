package io.milvus.migration.milvus2;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between the library's {@link Column}s and the Java values of milvus-sdk-java's v1 API. Each direction
 * has its own methods: {@link #insertValues} (columns to {@code InsertParam.Field} values, for the target) and
 * {@link #column} (the values of a query result's field to a column, for reading a collection).
 */
final class MilvusValues {
    private MilvusValues() {
    }

    /**
     * The values of a column as {@code InsertParam.Field} takes them for the field's type: Boolean, Integer (INT8,
     * INT16, INT32), Long, Float, Double, String, gson {@code JsonElement} (JSON, the dynamic field), {@code List}
     * (ARRAY, float vectors), {@code ByteBuffer} (binary, float16 and bfloat16 vectors, one array per row: the SDK
     * copies {@code array()} whole), {@code SortedMap<Long, Float>} (sparse vectors); null for a null row.
     *
     * @param field the field, or null for the dynamic field {@code $meta}
     */
    static List<?> insertValues(Column column, FieldSchema field) {
        int rows = column.rowCount();
        var out = new ArrayList<Object>(rows);
        boolean json = field == null || field.type() == DataType.JSON;
        if (column instanceof Column.StoredVectors s) {
            column = s.materialize();
        }
        if (column instanceof Column.FloatVectors c) {
            for (int r = 0; r < rows; r++) {
                var row = new ArrayList<Float>(c.dimension());
                for (int i = 0; i < c.dimension(); i++) {
                    row.add(c.get(r, i));
                }
                out.add(row);
            }
        } else if (column instanceof Column.ByteVectors c) {
            for (int r = 0; r < rows; r++) {
                out.add(ByteBuffer.wrap((byte[]) c.value(r)));
            }
        } else if (column instanceof Column.SparseVectors c) {
            for (int r = 0; r < rows; r++) {
                out.add(c.value(r));
            }
        } else if (json) {
            var c = (Column.Strings) column;
            for (int r = 0; r < rows; r++) {
                String text = c.get(r);
                out.add(text == null ? (field == null ? null : JsonNull.INSTANCE) : parse(text, field, r));
            }
        } else {
            for (int r = 0; r < rows; r++) {
                out.add(column.value(r));
            }
        }
        return out;
    }

    private static JsonElement parse(String text, FieldSchema field, int row) {
        try {
            return JsonParser.parseString(text);
        } catch (RuntimeException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, "field " + (field == null ? "$meta" : field.name())
                    + " of row " + row + " is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A column of {@code field}'s values as the SDK's {@code FieldDataWrapper.getFieldData()} gives them: Boolean,
     * Integer/Short (INT8, INT16, INT32), Long, Float, Double, String, JSON as text, {@code ByteString}, gson or
     * {@code byte[]}, lists (ARRAY, float vectors), {@code ByteBuffer} (binary, float16, bfloat16 vectors),
     * {@code SortedMap<Long, Float>} (sparse vectors); a null element is a null row.
     */
    @SuppressWarnings("unchecked")
    static Column column(FieldSchema field, List<?> values) {
        int n = values.size();
        var nulls = new java.util.BitSet();
        for (int r = 0; r < n; r++) {
            if (values.get(r) == null || values.get(r) instanceof JsonNull) {
                nulls.set(r);
            }
        }
        switch (field.type()) {
            case BOOL -> {
                var v = new boolean[n];
                for (int r = 0; r < n; r++) {
                    v[r] = !nulls.get(r) && (Boolean) values.get(r);
                }
                return new Column.Bools(v, nulls);
            }
            case INT8, INT16, INT32 -> {
                var v = new int[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : ((Number) values.get(r)).intValue();
                }
                return new Column.Ints(v, nulls);
            }
            case INT64 -> {
                var v = new long[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : ((Number) values.get(r)).longValue();
                }
                return new Column.Longs(v, nulls);
            }
            case FLOAT -> {
                var v = new float[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : ((Number) values.get(r)).floatValue();
                }
                return new Column.Floats(v, nulls);
            }
            case DOUBLE -> {
                var v = new double[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? 0 : ((Number) values.get(r)).doubleValue();
                }
                return new Column.Doubles(v, nulls);
            }
            case VARCHAR, JSON -> {
                var v = new String[n];
                for (int r = 0; r < n; r++) {
                    Object x = values.get(r);
                    v[r] = nulls.get(r) ? null : x instanceof String s ? s
                            : x instanceof com.google.protobuf.ByteString b ? b.toStringUtf8()
                            : x instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                            : x.toString();   // a gson JsonElement prints as JSON
                }
                return new Column.Strings(v);
            }
            case ARRAY -> {
                List<?>[] v = new List<?>[n];
                for (int r = 0; r < n; r++) {
                    v[r] = nulls.get(r) ? null : arrayElements(field.elementType(), (List<?>) values.get(r));
                }
                return new Column.Lists(v);
            }
            case FLOAT_VECTOR -> {
                var v = new float[n * field.dimension()];
                for (int r = 0; r < n; r++) {
                    List<? extends Number> row = (List<? extends Number>) values.get(r);
                    for (int i = 0; i < field.dimension(); i++) {
                        v[r * field.dimension() + i] = row.get(i).floatValue();
                    }
                }
                return new Column.FloatVectors(field.dimension(), v);
            }
            case BINARY_VECTOR, FLOAT16_VECTOR, BFLOAT16_VECTOR -> {
                int width = field.type() == DataType.BINARY_VECTOR ? field.dimension() / 8 : 2 * field.dimension();
                var v = new byte[n * width];
                for (int r = 0; r < n; r++) {
                    ByteBuffer b = ((ByteBuffer) values.get(r)).duplicate();
                    b.rewind();
                    b.get(v, r * width, width);
                }
                return field.type() == DataType.BINARY_VECTOR ? new Column.BinaryVectors(field.dimension(), v)
                        : new Column.HalfVectors(field.type(), field.dimension(), v);
            }
            case SPARSE_FLOAT_VECTOR -> {
                var rows = new ArrayList<java.util.SortedMap<Long, Float>>(n);
                values.forEach(x -> rows.add((java.util.SortedMap<Long, Float>) x));
                return Column.SparseVectors.of(rows);
            }
            default -> throw new MigrationException(ErrorCode.INTERNAL, "no column for " + field);
        }
    }

    /** Array elements in the objects {@link Column.Lists} holds for the element type. */
    private static List<?> arrayElements(DataType element, List<?> values) {
        var out = new ArrayList<Object>(values.size());
        for (Object x : values) {
            out.add(switch (element) {
                case INT8, INT16, INT32 -> ((Number) x).intValue();
                case INT64 -> ((Number) x).longValue();
                case FLOAT -> ((Number) x).floatValue();
                case DOUBLE -> ((Number) x).doubleValue();
                default -> x;
            });
        }
        return out;
    }
}
