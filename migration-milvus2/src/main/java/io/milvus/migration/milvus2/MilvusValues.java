package io.milvus.migration.milvus2;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.ScalarField;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Conversions between Milvus's values and {@link Column}s, one method per direction: {@link #columns} turns the
 * field data of a query result (the protobuf messages, read directly so that a page of vectors is copied once) into
 * columns of every type, nulls included, for the source and for reading back; {@link #insertValues} turns columns
 * into the Java values of milvus-sdk-java's v1 {@code InsertParam.Field}, for the target.
 */
final class MilvusValues {
    private MilvusValues() {
    }

    /**
     * The columns of a query result, one per field of {@code schema} (and the dynamic field's JSON text when the
     * schema has it), in the schema's order.
     *
     * @param fieldsData the result's field data, by field
     * @param rows       the result's row count
     * @param what       names the request, for messages
     * @throws MigrationException {@code SOURCE_FORMAT} if a field is missing or has another type than the schema's
     */
    static Map<String, Column> columns(List<FieldData> fieldsData, int rows, CollectionSchema schema, String what) {
        return columns(fieldsData, rows, schema, what, null);
    }

    /**
     * As {@link #columns(List, int, CollectionSchema, String)}, with the rows reordered: row {@code r} of each
     * column is row {@code order[r]} of the result (null: in the result's order).
     */
    static Map<String, Column> columns(List<FieldData> fieldsData, int rows, CollectionSchema schema, String what,
                                       int[] order) {
        var byName = new LinkedHashMap<String, FieldData>();
        for (FieldData d : fieldsData) {
            byName.put(d.getIsDynamic() ? CollectionSchema.DYNAMIC_FIELD : d.getFieldName(), d);
        }
        var out = new LinkedHashMap<String, Column>();
        for (FieldSchema f : schema.fields()) {
            FieldData d = byName.get(f.name());
            if (d == null) {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + ": the result has no field " + f.name());
            }
            out.put(f.name(), column(d, f, rows, what, order));
        }
        if (schema.dynamicField()) {
            FieldData d = byName.get(CollectionSchema.DYNAMIC_FIELD);
            String[] text = new String[rows];
            if (d != null) {
                List<ByteString> json = d.getScalars().getJsonData().getDataList();
                for (int r = 0; r < rows; r++) {
                    int src = order == null ? r : order[r];
                    text[r] = src < json.size() ? json.get(src).toStringUtf8() : "{}";
                }
            } else {
                java.util.Arrays.fill(text, "{}");
            }
            out.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(text));
        }
        return out;
    }

    /** Rows of a result: the length of its first field (Milvus sends no separate count). */
    static int rowCount(List<FieldData> fieldsData) {
        for (FieldData d : fieldsData) {
            if (d.hasVectors()) {
                var v = d.getVectors();
                long dim = Math.max(1, v.getDim());
                if (v.hasFloatVector()) {
                    return (int) (v.getFloatVector().getDataCount() / dim);
                } else if (v.hasBinaryVector()) {
                    return (int) (v.getBinaryVector().size() / Math.max(1, dim / 8));
                } else if (v.hasFloat16Vector()) {
                    return (int) (v.getFloat16Vector().size() / (2 * dim));
                } else if (v.hasBfloat16Vector()) {
                    return (int) (v.getBfloat16Vector().size() / (2 * dim));
                } else if (v.hasSparseFloatVector()) {
                    return v.getSparseFloatVector().getContentsCount();
                }
            } else if (d.getValidDataCount() > 0) {
                return d.getValidDataCount();
            } else {
                int n = scalarCount(d.getScalars());
                if (n >= 0) {
                    return n;
                }
            }
        }
        return 0;
    }

    private static int scalarCount(ScalarField s) {
        if (s.hasLongData()) {
            return s.getLongData().getDataCount();
        } else if (s.hasStringData()) {
            return s.getStringData().getDataCount();
        } else if (s.hasIntData()) {
            return s.getIntData().getDataCount();
        } else if (s.hasBoolData()) {
            return s.getBoolData().getDataCount();
        } else if (s.hasFloatData()) {
            return s.getFloatData().getDataCount();
        } else if (s.hasDoubleData()) {
            return s.getDoubleData().getDataCount();
        } else if (s.hasJsonData()) {
            return s.getJsonData().getDataCount();
        } else if (s.hasArrayData()) {
            return s.getArrayData().getDataCount();
        }
        return -1;
    }

    /** One field's values as a column of its type. */
    static Column column(FieldData d, FieldSchema f, int rows, String what, int[] order) {
        if (f.type().isVector()) {
            return vectors(d, f, rows, what, order);
        }
        BitSet stored = new BitSet(); // nulls in the result's order
        if (d.getValidDataCount() > 0) {
            for (int r = 0; r < d.getValidDataCount(); r++) {
                if (!d.getValidData(r)) {
                    stored.set(r);
                }
            }
        }
        ScalarField s = d.getScalars();
        int values = scalarCount(s);
        // Milvus sends either a value for every row (a placeholder where null) or only the non-null ones
        boolean compact = !stored.isEmpty() && values == rows - stored.cardinality();
        if (values >= 0 && values != rows && !compact) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + ": field " + f.name() + " has " + values
                    + " values for " + rows + " rows");
        }
        int[] index = new int[rows]; // of each result row in the values sent
        for (int r = 0, i = 0; r < rows; r++) {
            index[r] = compact ? (stored.get(r) ? -1 : i++) : r;
        }
        BitSet nulls = new BitSet();
        int[] at = new int[rows]; // of each output row in the values sent; -1 for null
        for (int r = 0; r < rows; r++) {
            int src = order == null ? r : order[r];
            at[r] = stored.get(src) ? -1 : index[src];
            if (stored.get(src)) {
                nulls.set(r);
            }
        }
        return switch (f.type()) {
            case BOOL -> {
                boolean[] v = new boolean[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = at[r] >= 0 && s.getBoolData().getData(at[r]);
                }
                yield new Column.Bools(v, nulls);
            }
            case INT8, INT16, INT32 -> {
                int[] v = new int[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = at[r] < 0 ? 0 : s.getIntData().getData(at[r]);
                }
                yield new Column.Ints(v, nulls);
            }
            case INT64 -> {
                long[] v = new long[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = at[r] < 0 ? 0 : s.getLongData().getData(at[r]);
                }
                yield new Column.Longs(v, nulls);
            }
            case FLOAT -> {
                float[] v = new float[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = at[r] < 0 ? 0 : s.getFloatData().getData(at[r]);
                }
                yield new Column.Floats(v, nulls);
            }
            case DOUBLE -> {
                double[] v = new double[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = at[r] < 0 ? 0 : s.getDoubleData().getData(at[r]);
                }
                yield new Column.Doubles(v, nulls);
            }
            case VARCHAR -> new Column.Strings(strings(rows, nulls, at, i -> s.getStringData().getData(i)));
            case JSON -> new Column.Strings(strings(rows, nulls, at, i -> s.getJsonData().getData(i).toStringUtf8()));
            case ARRAY -> {
                List<?>[] v = new List<?>[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = nulls.get(r) ? null : elements(s.getArrayData().getData(at[r]), f.elementType());
                }
                yield new Column.Lists(v);
            }
            default -> throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + ": field " + f.name()
                    + " of type " + f.type() + " is not a scalar");
        };
    }

    private static String[] strings(int rows, BitSet nulls, int[] at, IntFunction<String> get) {
        String[] v = new String[rows];
        for (int r = 0; r < rows; r++) {
            v[r] = nulls.get(r) ? null : get.apply(at[r]);
        }
        return v;
    }

    /** The elements of one ARRAY value as Boolean, Integer, Long, Float, Double or String objects. */
    static List<?> elements(ScalarField s, DataType elementType) {
        return switch (elementType) {
            case BOOL -> new ArrayList<>(s.getBoolData().getDataList());
            case INT8, INT16, INT32 -> new ArrayList<>(s.getIntData().getDataList());
            case INT64 -> new ArrayList<>(s.getLongData().getDataList());
            case FLOAT -> new ArrayList<>(s.getFloatData().getDataList());
            case DOUBLE -> new ArrayList<>(s.getDoubleData().getDataList());
            case VARCHAR -> new ArrayList<>(s.getStringData().getDataList());
            default -> throw new MigrationException(ErrorCode.SOURCE_FORMAT, "array element type " + elementType
                    + " is not one Milvus has");
        };
    }

    private static Column vectors(FieldData d, FieldSchema f, int rows, String what, int[] order) {
        var v = d.getVectors();
        int dim = f.dimension();
        int rowBytes = switch (f.type()) {
            case BINARY_VECTOR -> dim / 8;
            case FLOAT16_VECTOR, BFLOAT16_VECTOR -> 2 * dim;
            default -> 0;
        };
        switch (f.type()) {
            case FLOAT_VECTOR -> {
                var list = v.getFloatVector();
                check(list.getDataCount(), (long) rows * dim, f, what);
                float[] out = new float[rows * dim];
                for (int r = 0; r < rows; r++) {
                    int src = (order == null ? r : order[r]) * dim;
                    for (int i = 0; i < dim; i++) {
                        out[r * dim + i] = list.getData(src + i);
                    }
                }
                return new Column.FloatVectors(dim, out);
            }
            case BINARY_VECTOR -> {
                check(v.getBinaryVector().size(), (long) rows * (dim / 8), f, what);
                return new Column.BinaryVectors(dim, reorder(v.getBinaryVector(), rowBytes, rows, order));
            }
            case FLOAT16_VECTOR -> {
                check(v.getFloat16Vector().size(), (long) rows * dim * 2, f, what);
                return new Column.HalfVectors(f.type(), dim, reorder(v.getFloat16Vector(), rowBytes, rows, order));
            }
            case BFLOAT16_VECTOR -> {
                check(v.getBfloat16Vector().size(), (long) rows * dim * 2, f, what);
                return new Column.HalfVectors(f.type(), dim, reorder(v.getBfloat16Vector(), rowBytes, rows, order));
            }
            case SPARSE_FLOAT_VECTOR -> {
                List<ByteString> sent = v.getSparseFloatVector().getContentsList();
                List<ByteString> contents = new ArrayList<>(rows);
                for (int r = 0; r < rows && r < sent.size(); r++) {
                    contents.add(sent.get(order == null ? r : order[r]));
                }
                check(sent.size(), rows, f, what);
                int[] starts = new int[rows + 1];
                int total = 0;
                for (int r = 0; r < rows; r++) {
                    starts[r] = total;
                    total += contents.get(r).size() / 8;
                }
                starts[rows] = total;
                long[] indices = new long[total];
                float[] values = new float[total];
                for (int r = 0, i = 0; r < rows; r++) {
                    // each pair is a little-endian uint32 index and float32 value
                    ByteBuffer b = contents.get(r).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    while (b.remaining() >= 8) {
                        indices[i] = Integer.toUnsignedLong(b.getInt());
                        values[i++] = b.getFloat();
                    }
                }
                return new Column.SparseVectors(starts, indices, values);
            }
            default -> throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + ": field " + f.name()
                    + " is not a vector");
        }
    }

    private static byte[] reorder(ByteString bytes, int rowBytes, int rows, int[] order) {
        if (order == null) {
            return bytes.toByteArray();
        }
        byte[] out = new byte[rows * rowBytes];
        for (int r = 0; r < rows; r++) {
            bytes.copyTo(out, order[r] * rowBytes, r * rowBytes, rowBytes);
        }
        return out;
    }

    private static void check(long got, long want, FieldSchema f, String what) {
        if (got != want) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, what + ": field " + f.name() + " (" + f.type()
                    + ", dim " + f.dimension() + ") has " + got + " values where " + want + " were expected");
        }
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
