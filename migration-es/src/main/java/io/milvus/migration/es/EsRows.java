package io.milvus.migration.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.SkippedRow;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Turns a page of hits into columns of the collection's schema. Errors name the index, the {@code _id} and the field. */
final class EsRows {
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final EsSource source;
    private final EsLayout layout;

    EsRows(EsSource source, EsLayout layout) {
        this.source = source;
        this.layout = layout;
    }

    record Page(int rows, Map<String, Column> columns, List<SkippedRow> skipped) {
    }

    Page columns(List<JsonNode> hits) {
        var kept = new ArrayList<JsonNode>(hits.size());
        var skipped = new ArrayList<SkippedRow>();
        for (JsonNode hit : hits) {
            String problem = vectorProblem(hit);
            if (problem == null) {
                kept.add(hit);
            } else if (source.settings.badVectors == EsSource.BadVectors.SKIP) {
                skipped.add(source.skip(hit.path("_index").asText(), hit.path("_id").asText(), problem));
            } else {
                throw new MigrationException(ErrorCode.SOURCE_FORMAT, where(hit) + ": " + problem
                        + " (badVectors(SKIP) leaves such documents out)");
            }
        }
        var columns = new LinkedHashMap<String, Column>();
        for (EsField f : layout.fields()) {
            columns.put(f.name(), column(f, kept));
        }
        if (layout.schema().dynamicField()) {
            String[] meta = new String[kept.size()];
            for (int i = 0; i < meta.length; i++) {
                meta[i] = dynamic(kept.get(i));
            }
            columns.put(CollectionSchema.DYNAMIC_FIELD, new Column.Strings(meta));
        }
        return new Page(kept.size(), columns, skipped);
    }

    private static String where(JsonNode hit) {
        return "index " + hit.path("_index").asText() + " document _id " + hit.path("_id").asText();
    }

    /** A missing vector or one of another dimension, described; null when the document's vectors are fine. */
    private String vectorProblem(JsonNode hit) {
        for (EsField f : layout.fields()) {
            DataType t = f.schema().type();
            if (t != DataType.FLOAT_VECTOR && t != DataType.BINARY_VECTOR && t != DataType.FLOAT16_VECTOR
                    && t != DataType.BFLOAT16_VECTOR) {
                continue;
            }
            JsonNode v = value(f, hit);
            if (v == null) {
                return "it has no " + f.name();
            }
            int expected = t == DataType.BINARY_VECTOR ? f.schema().dimension() / 8 : f.schema().dimension();
            int got = v.isTextual() && t == DataType.BINARY_VECTOR ? v.asText().length() / 2 : v.isArray() ? v.size() : -1;
            if (got != expected) {
                return "its " + f.name() + " has " + (got < 0 ? "no array" : got + " values") + ", the schema's "
                        + "dimension needs " + expected;
            }
        }
        return null;
    }

    /** The field's value in a hit, null when absent. */
    private JsonNode value(EsField f, JsonNode hit) {
        if (f.isId()) {
            return hit.path("_id");
        }
        if (f.epochDate() || f.fromFields()) {
            JsonNode v = hit.path("fields").get(f.name());
            if (v == null || v.isNull()) {
                return null;
            }
            if (f.epochDate() || !isMulti(f.schema().type())) {
                return v.size() == 1 ? v.get(0) : v;
            }
            // vectors come back from fields as [[...]] or [...], depending on the server
            return v.size() == 1 && v.get(0).isArray() ? v.get(0) : v;
        }
        JsonNode v = hit.path("_source").get(f.name());
        return v == null || v.isNull() ? null : v;
    }

    private static boolean isMulti(DataType t) {
        return t == DataType.FLOAT_VECTOR || t == DataType.BINARY_VECTOR || t == DataType.FLOAT16_VECTOR
                || t == DataType.BFLOAT16_VECTOR || t == DataType.ARRAY || t == DataType.JSON;
    }

    private String dynamic(JsonNode hit) {
        JsonNode src = hit.path("_source");
        ObjectNode rest = EsHttp.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = src.fields(); it.hasNext(); ) {
            var e = it.next();
            if (layout.schema().field(e.getKey()).isEmpty()) {
                rest.set(e.getKey(), e.getValue());
            }
        }
        return rest.toString();
    }

    private Column column(EsField f, List<JsonNode> hits) {
        FieldSchema s = f.schema();
        int n = hits.size();
        var nulls = new BitSet();
        JsonNode[] values = new JsonNode[n];
        for (int i = 0; i < n; i++) {
                        row = i;
            values[i] = value(f, hits.get(i));
            if (values[i] == null) {
                if (!s.nullable() && s.defaultValue().isEmpty()) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, where(hits.get(i)) + ": it has no "
                            + f.name() + ", and the field is not nullable");
                }
                nulls.set(i);
            }
        }
        try {
            return switch (s.type()) {
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            a[i] = bool(values[i]);
                        }
                    }
                    yield new Column.Bools(a, nulls);
                }
                case INT8, INT16, INT32 -> {
                    long min = s.type() == DataType.INT8 ? Byte.MIN_VALUE : s.type() == DataType.INT16 ? Short.MIN_VALUE
                            : Integer.MIN_VALUE;
                    long max = -min - 1;
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            long v = integer(values[i], f);
                            if (v < min || v > max) {
                                throw new Bad(i, v + " is outside " + s.type());
                            }
                            a[i] = (int) v;
                        }
                    }
                    yield new Column.Ints(a, nulls);
                }
                case INT64 -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            a[i] = f.epochDate() ? epoch(values[i], f.nanos()) : integer(values[i], f);
                        }
                    }
                    yield new Column.Longs(a, nulls);
                }
                case FLOAT -> {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            a[i] = (float) number(values[i]);
                        }
                    }
                    yield new Column.Floats(a, nulls);
                }
                case DOUBLE -> {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            a[i] = number(values[i]);
                        }
                    }
                    yield new Column.Doubles(a, nulls);
                }
                case VARCHAR -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            a[i] = text(values[i], s, i);
                        }
                    }
                    yield new Column.Strings(a);
                }
                case JSON -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            a[i] = EsHttp.JSON.writeValueAsString(values[i]);
                        }
                    }
                    yield new Column.Strings(a);
                }
                case ARRAY -> {
                    List<?>[] a = new List<?>[n];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        if (values[i] != null) {
                            var list = new ArrayList<Object>();
                            if (values[i].isArray()) {
                                for (JsonNode e : values[i]) {
                                    list.add(element(e, s, f, i));
                                }
                            } else {
                                list.add(element(values[i], s, f, i));
                            }
                            a[i] = list;
                        }
                    }
                    yield new Column.Lists(a);
                }
                case FLOAT_VECTOR, FLOAT16_VECTOR, BFLOAT16_VECTOR -> {
                    int dim = s.dimension();
                    float[] a = new float[n * dim];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        for (int j = 0; j < dim; j++) {
                            a[i * dim + j] = (float) number(values[i].get(j));
                        }
                    }
                    yield s.type() == DataType.FLOAT_VECTOR ? new Column.FloatVectors(dim, a)
                            : Column.HalfVectors.of(s.type(), dim, a);
                }
                case BINARY_VECTOR -> {
                    int bytes = s.dimension() / 8;
                    byte[] a = new byte[n * bytes];
                    for (int i = 0; i < n; i++) {
                        row = i;
                        JsonNode v = values[i];
                        if (v.isTextual()) {   // Elasticsearch's bit vectors may be given as hex
                            System.arraycopy(HexFormat.of().parseHex(v.asText()), 0, a, i * bytes, bytes);
                        } else {
                            for (int j = 0; j < bytes; j++) {
                                a[i * bytes + j] = (byte) v.get(j).asInt();
                            }
                        }
                    }
                    yield new Column.BinaryVectors(s.dimension(), a);
                }
                case SPARSE_FLOAT_VECTOR -> {
                    var rows = new ArrayList<SortedMap<Long, Float>>(n);
                    for (int i = 0; i < n; i++) {
                        row = i;
                        rows.add(sparse(values[i], i));
                    }
                    yield Column.SparseVectors.of(rows);
                }
            };
        } catch (Bad e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where(hits.get(e.row)) + ": field " + f.name()
                    + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MigrationException(ErrorCode.SOURCE_FORMAT, where(hits.get(Math.max(row, 0))) + ": field "
                    + f.name() + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new MigrationException(ErrorCode.INTERNAL, "field " + f.name() + " could not be written as JSON", e);
        }
    }

    /** A value that does not fit its field, in row {@code row} of the page. */
    private static final class Bad extends RuntimeException {
        final int row;

        Bad(int row, String message) {
            super(message, null, false, false);
            this.row = row;
        }
    }

    private int row = -1;

    private static boolean bool(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        String t = v.asText();
        if (t.equals("true") || t.equals("false")) {
            return t.equals("true");
        }
        throw new IllegalArgumentException(v + " is not a boolean");
    }

    private static long integer(JsonNode v, EsField f) {
        if (v.isArray()) {
            throw new IllegalArgumentException("it holds several values " + v + "; give the field an ARRAY or JSON "
                    + "schema with field(...)");
        }
        BigInteger b;
        if (v.isIntegralNumber()) {
            b = v.bigIntegerValue();
        } else if (v.isNumber()) {
            b = v.decimalValue().toBigInteger();
        } else {
            b = new BigDecimal(v.asText().trim()).toBigInteger();
        }
        if (b.compareTo(LONG_MAX) > 0 || b.bitLength() > 63) {
            throw new IllegalArgumentException(b + " does not fit Int64" + (f.esType().equals("unsigned_long")
                    ? " (unsigned_long above 2^63-1)" : ""));
        }
        return b.longValue();
    }

    private static long epoch(JsonNode v, boolean nanos) {
        BigDecimal millis = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
        return nanos ? millis.movePointRight(6).longValue() : millis.longValue();
    }

    private static double number(JsonNode v) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isArray()) {
            throw new IllegalArgumentException("it holds several values " + v);
        }
        return Double.parseDouble(v.asText().trim());
    }

    private String text(JsonNode v, FieldSchema s, int row) {
        if (v.isContainerNode()) {
            throw new Bad(row, "it holds " + (v.isArray() ? "several values" : "an object")
                    + "; give the field an ARRAY or JSON schema with field(...)");
        }
        String t = v.asText();
        byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= s.maxLength()) {
            return t;
        }
        if (!source.settings.truncate) {
            throw new Bad(row, "its text is " + utf8.length + " bytes, above the field's max length " + s.maxLength()
                    + " (truncateLongStrings(true) cuts it)");
        }
        int cut = s.maxLength();
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80) {
            cut--;   // a character boundary
        }
        return new String(utf8, 0, cut, StandardCharsets.UTF_8);
    }

    private Object element(JsonNode e, FieldSchema s, EsField f, int row) {
        return switch (s.elementType()) {
            case BOOL -> bool(e);
            case INT8, INT16, INT32 -> (int) integer(e, f);
            case INT64 -> integer(e, f);
            case FLOAT -> (float) number(e);
            case DOUBLE -> number(e);
            case VARCHAR -> text(e, s, row);
            default -> throw new Bad(row, "arrays of " + s.elementType() + " are not read");
        };
    }

    private static SortedMap<Long, Float> sparse(JsonNode v, int row) {
        var out = new TreeMap<Long, Float>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            throw new Bad(row, "a sparse vector must be an object of index: weight, not " + v);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            var e = it.next();
            long index;
            try {
                index = Long.parseLong(e.getKey());
            } catch (NumberFormatException x) {
                index = -1;
            }
            if (index < 0 || index >= 0xFFFF_FFFFL) {
                throw new Bad(row, "token '" + e.getKey() + "' is not a sparse index (0..2^32-2); give the field a "
                        + "JSON schema with field(...) to keep the tokens");
            }
            out.put(index, (float) e.getValue().asDouble());
        }
        return out;
    }
}
