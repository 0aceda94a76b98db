package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one row-based bulk-import JSON file: {@code {"rows":[{"field":value,...},...]}}. Values as Milvus's row
 * import reads them: numbers, strings, {@code null} for a null, JSON fields as the document itself, arrays and
 * vectors as lists (binary vectors as byte values 0-255, float16/bfloat16 as their float values), sparse vectors as
 * {@code {"indices":[...],"values":[...]}}, the dynamic field {@code $meta} as an object. Rows are encoded one at a
 * time ({@link #encode}), so the caller knows each row's exact size before it is written.
 */
final class JsonRowsWriter implements AutoCloseable {
    static final byte[] OPENING = "{\"rows\":[".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CLOSING = "\n]}\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private long rows;
    private long bytes;

    JsonRowsWriter(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        out.write(OPENING);
        bytes = OPENING.length;
    }

    long rows() {
        return rows;
    }

    /** Bytes written so far, exactly. */
    long bytes() {
        return bytes;
    }

    /** Appends rows encoded by {@link #encode}. */
    void writeEncoded(List<byte[]> encoded) throws IOException {
        for (byte[] row : encoded) {
            out.write(rows == 0 ? '\n' : ',');
            if (rows > 0) {
                out.write('\n');
            }
            out.write(row);
            bytes += row.length + (rows == 0 ? 1 : 2);
            rows++;
        }
    }

    /** Separator bytes written before a row (at most). */
    static final int SEPARATOR_BYTES = 2;

    /**
     * Row {@code row} of {@code batch} as UTF-8 JSON, with the fields of {@code fields} (names in the batch's
     * columns that the file carries, in order); the strings of {@code jsonFields} are JSON documents, written as
     * they are.
     *
     * @throws MigrationException {@code SOURCE_FORMAT} naming the field and row if a float is not finite
     */
    static byte[] encode(Batch batch, List<String> fields, java.util.Set<String> jsonFields, int row) {
        var sb = new StringBuilder(256);
        sb.append('{');
        boolean first = true;
        for (String field : fields) {
            Column column = batch.column(field);
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendString(sb, field);
            sb.append(':');
            appendValue(sb, field, column, row, batch, jsonFields.contains(field));
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendValue(StringBuilder sb, String field, Column column, int row, Batch batch,
                                    boolean jsonText) {
        if (column.isNull(row)) {
            sb.append("null");
        } else if (column instanceof Column.Longs c) {
            sb.append(c.get(row));
        } else if (column instanceof Column.Ints c) {
            sb.append(c.get(row));
        } else if (column instanceof Column.Bools c) {
            sb.append(c.get(row));
        } else if (column instanceof Column.Floats c) {
            appendFloat(sb, c.get(row), field, row, batch);
        } else if (column instanceof Column.Doubles c) {
            double v = c.get(row);
            if (!Double.isFinite(v)) {
                throw notFinite(field, row, batch, v);
            }
            sb.append(v);
        } else if (column instanceof Column.Strings c) {
            if (jsonText) {
                sb.append(c.get(row));   // a JSON field (or $meta) is the document itself
            } else {
                appendString(sb, c.get(row));
            }
        } else if (column instanceof Column.Lists c) {
            sb.append('[');
            List<?> list = c.get(row);
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object v = list.get(i);
                if (v instanceof String s) {
                    appendString(sb, s);
                } else if (v instanceof Float f) {
                    appendFloat(sb, f, field, row, batch);
                } else if (v instanceof Double d) {
                    if (!Double.isFinite(d)) {
                        throw notFinite(field, row, batch, d);
                    }
                    sb.append(d);
                } else {
                    sb.append(v);
                }
            }
            sb.append(']');
        } else if (column instanceof Column.FloatVectors c) {
            sb.append('[');
            for (int i = 0; i < c.dimension(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                appendFloat(sb, c.get(row, i), field, row, batch);
            }
            sb.append(']');
        } else if (column instanceof Column.BinaryVectors c) {
            sb.append('[');
            byte[] v = (byte[]) c.value(row);
            for (int i = 0; i < v.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(v[i] & 0xff);
            }
            sb.append(']');
        } else if (column instanceof Column.HalfVectors c) {
            sb.append('[');
            for (int i = 0; i < c.dimension(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                appendFloat(sb, c.get(row, i), field, row, batch);
            }
            sb.append(']');
        } else if (column instanceof Column.SparseVectors c) {
            sb.append("{\"indices\":[");
            for (int i = 0; i < c.size(row); i++) {
                sb.append(i > 0 ? "," : "").append(c.index(row, i));
            }
            sb.append("],\"values\":[");
            for (int i = 0; i < c.size(row); i++) {
                sb.append(i > 0 ? "," : "");
                appendFloat(sb, c.get(row, i), field, row, batch);
            }
            sb.append("]}");
        } else if (column instanceof Column.StoredVectors c) {
            appendValue(sb, field, c.slice(row, row + 1).materialize(), 0, batch, false);
        } else {
            throw new MigrationException(ErrorCode.INTERNAL, "column " + field + " cannot be written as JSON: "
                    + column.getClass().getSimpleName());
        }
    }

    /** The JSON-document fields of a schema: its JSON fields and, when enabled, $meta. */
    static java.util.Set<String> jsonFields(CollectionSchema schema) {
        var s = new java.util.HashSet<String>();
        schema.fields().stream().filter(f -> f.type() == io.milvus.migration.spi.DataType.JSON)
                .forEach(f -> s.add(f.name()));
        if (schema.dynamicField()) {
            s.add(CollectionSchema.DYNAMIC_FIELD);
        }
        return s;
    }

    private static void appendFloat(StringBuilder sb, float v, String field, int row, Batch batch) {
        if (!Float.isFinite(v)) {
            throw notFinite(field, row, batch, v);
        }
        sb.append(v);
    }

    private static MigrationException notFinite(String field, int row, Batch batch, double v) {
        return new MigrationException(ErrorCode.SOURCE_FORMAT, "field " + field + " of row " + row
                + " in the batch ending at " + batch.position() + " holds " + v
                + ", which JSON cannot carry; use the NUMPY or PARQUET format");
    }

    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public void close() throws IOException {
        try (out) {
            out.write(CLOSING);
            bytes += CLOSING.length;
        }
    }
}
