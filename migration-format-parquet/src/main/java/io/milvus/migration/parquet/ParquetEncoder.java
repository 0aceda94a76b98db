package io.milvus.migration.parquet;

import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.BulkFileEncoder;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet bulk files as Milvus 2.3's Parquet import reads them: one column per field named after it; Bool as
 * boolean, Int8/Int16 as int32 annotated INT(8)/INT(16), Int32, Int64, Float, Double as themselves, VarChar, JSON
 * and the dynamic field {@code $meta} as UTF-8 strings, Array as a LIST of its element type, FloatVector as a LIST
 * of float, BinaryVector as a LIST of uint8. Nullable fields are optional columns. Float16, BFloat16 and sparse
 * vectors are refused: that import has no reader for them.
 */
public final class ParquetEncoder implements BulkFileEncoder {

    /** Found by {@link java.util.ServiceLoader}. */
    public ParquetEncoder() {
    }

    @Override
    public BulkFormat format() {
        return BulkFormat.PARQUET;
    }

    @Override
    public String fileName() {
        return "rows.parquet";
    }

    @Override
    public void check(CollectionSchema schema) {
        for (FieldSchema f : schema.fields()) {
            if (f.type() == DataType.FLOAT16_VECTOR || f.type() == DataType.BFLOAT16_VECTOR
                    || f.type() == DataType.SPARSE_FLOAT_VECTOR) {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "field " + f.name() + " of collection "
                        + schema.name() + " is " + f.type() + ", which the PARQUET bulk format does not carry "
                        + "(Milvus's Parquet import has no reader for it); the format that does: JSON, or insert "
                        + "the rows (bulkImport(false))");
            }
        }
    }

    /** The Parquet schema of the columns a file of {@code schema} holds (autoID keys left out, $meta added). */
    static MessageType parquetSchema(CollectionSchema schema) {
        List<Type> columns = new ArrayList<>();
        for (FieldSchema f : schema.fields()) {
            if (f.primaryKey() && f.autoId()) {
                continue;
            }
            boolean optional = f.nullable() || f.defaultValue().isPresent();
            columns.add(column(f.name(), f.type(), f.elementType(), optional));
        }
        if (schema.dynamicField()) {
            columns.add(column(CollectionSchema.DYNAMIC_FIELD, DataType.JSON, null, false));
        }
        return new MessageType("milvus", columns);
    }

    private static Type column(String name, DataType type, DataType element, boolean optional) {
        Type.Repetition rep = optional ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
        return switch (type) {
            case ARRAY -> list(name, rep, primitive("element", element, Type.Repetition.REQUIRED));
            case FLOAT_VECTOR -> list(name, rep, primitive("element", DataType.FLOAT, Type.Repetition.REQUIRED));
            case BINARY_VECTOR -> list(name, rep, Types.primitive(PrimitiveTypeName.INT32, Type.Repetition.REQUIRED)
                    .as(LogicalTypeAnnotation.intType(8, false)).named("element"));
            default -> primitive(name, type, rep);
        };
    }

    private static Type list(String name, Type.Repetition rep, Type element) {
        return Types.buildGroup(rep).as(LogicalTypeAnnotation.listType())
                .addField(Types.repeatedGroup().addField(element).named("list")).named(name);
    }

    private static Type primitive(String name, DataType type, Type.Repetition rep) {
        return switch (type) {
            case BOOL -> Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
            case INT8 -> Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.intType(8, true))
                    .named(name);
            case INT16 -> Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.intType(16, true))
                    .named(name);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
            case FLOAT -> Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
            case VARCHAR, JSON -> Types.primitive(PrimitiveTypeName.BINARY, rep)
                    .as(LogicalTypeAnnotation.stringType()).named(name);
            default -> throw new IllegalArgumentException(type + " is not a Parquet primitive here");
        };
    }

    @Override
    public FileWriter open(Path file, CollectionSchema schema) throws IOException {
        return new ParquetFileWriter(file, schema, parquetSchema(schema));
    }

    @Override
    public long maxRowBytes(Batch batch, int row) {
        long n = 0;
        for (Column c : batch.columns().values()) {
            n += 1 + valueBytes(c, row);   // 1: a definition level at most
        }
        return n + n / 64 + 1;   // page headers and statistics, generously
    }

    private static long valueBytes(Column c, int row) {
        if (c.isNull(row)) {
            return 0;
        }
        if (c instanceof Column.Bools) {
            return 1;
        } else if (c instanceof Column.Ints || c instanceof Column.Floats) {
            return 4;
        } else if (c instanceof Column.Longs || c instanceof Column.Doubles) {
            return 8;
        } else if (c instanceof Column.Strings s) {
            return 4 + utf8Bytes(s.get(row));
        } else if (c instanceof Column.Lists l) {
            long n = 0;
            for (Object v : l.get(row)) {
                n += 2 + (v instanceof String s ? 4 + utf8Bytes(s) : v instanceof Long || v instanceof Double ? 8 : 4);
            }
            return n + 2;
        } else if (c instanceof Column.FloatVectors v) {
            return 6L * v.dimension() + 2;
        } else if (c instanceof Column.BinaryVectors v) {
            return 6L * v.rowBytes() + 2;
        } else if (c instanceof Column.StoredVectors v) {
            return 6L * (v.type() == DataType.FLOAT_VECTOR ? v.dimension() : v.rowBytes()) + 2;
        }
        return 16L * 1024;   // not written (refused by check)
    }

    /** Bytes of {@code s} in UTF-8. */
    static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            n += ch < 0x80 ? 1 : ch < 0x800 ? 2 : Character.isSurrogate(ch) ? 2 : 3;
        }
        return n;
    }

    @Override
    public long overheadBytes() {
        return 256L * 1024;   // magic, footer with the schema and the row groups' column chunk metadata
    }
}
