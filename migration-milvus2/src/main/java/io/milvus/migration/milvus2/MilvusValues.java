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
 * has its own methods: {@link #insertValues} (columns to {@code InsertParam.Field} values, for the target).
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
}
