package io.milvus.migration.core;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes one row-based bulk-import JSON file: {@code {"rows":[{"field":value,...},...]}}. */
final class JsonRowsWriter implements AutoCloseable {
    private final Writer out;
    private long rows;
    private long bytes;

    JsonRowsWriter(Path file) throws IOException {
        this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20);
        write("{\"rows\":[");
    }

    long rows() {
        return rows;
    }

    /** Bytes written so far (ASCII except inside strings, where it undercounts slightly). */
    long bytes() {
        return bytes;
    }

    void write(Batch batch) throws IOException {
        var sb = new StringBuilder(256);
        for (int r = 0; r < batch.rowCount(); r++) {
            sb.setLength(0);
            sb.append(rows == 0 ? "\n{" : ",\n{");
            boolean first = true;
            for (Map.Entry<String, Column> e : batch.columns().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendString(sb, e.getKey());
                sb.append(':');
                appendValue(sb, e.getKey(), e.getValue(), r, batch);
            }
            sb.append('}');
            write(sb);
            rows++;
        }
    }

    private static void appendValue(StringBuilder sb, String field, Column column, int row, Batch batch) {
        if (column instanceof Column.Longs c) {
            sb.append(c.values()[row]);
        } else if (column instanceof Column.Strings c) {
            appendString(sb, c.values().get(row));
        } else if (column instanceof Column.FloatVectors c) {
            sb.append('[');
            int base = row * c.dimension();
            for (int i = 0; i < c.dimension(); i++) {
                float v = c.values()[base + i];
                if (!Float.isFinite(v)) {
                    throw new MigrationException(ErrorCode.SOURCE_FORMAT, "field " + field + " of row " + row
                            + " in the batch ending at " + batch.position() + " holds " + v
                            + ", which JSON cannot carry; use the NUMPY format");
                }
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(v);
            }
            sb.append(']');
        } else if (column instanceof Column.BinaryVectors c) {
            sb.append('[');
            int width = c.dimension() / 8;
            for (int i = 0; i < width; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(c.values()[row * width + i] & 0xff);
            }
            sb.append(']');
        }
    }

    private static void appendString(StringBuilder sb, String s) {
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

    private void write(CharSequence s) throws IOException {
        out.append(s);
        bytes += s.length();
    }

    @Override
    public void close() throws IOException {
        try (out) {
            write("\n]}\n");
        }
    }
}
