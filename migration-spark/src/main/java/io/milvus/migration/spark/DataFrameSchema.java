package io.milvus.migration.spark;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Milvus collection schema of a DataFrame written with {@code format("milvus")}: one field per column, in column
 * order. Long/Int/Short/Byte/Boolean/Float/Double/String become the scalar of that kind (String a VarChar of
 * {@code maxLength}), Array&lt;Float&gt; a FloatVector and Binary a BinaryVector of the dimension given by
 * {@code dimension} (or {@code dimension.<column>}; bits for a binary vector), arrays of scalars an Array. The
 * primary key is {@code primaryKey} (default {@code id}). The same function runs on the driver and on every
 * executor, from the DataFrame's schema and the options.
 */
final class DataFrameSchema {
    private DataFrameSchema() {
    }

    static CollectionSchema of(StructType df, Map<String, String> options) {
        String collection = WriteOptions.required(options, "collection");
        String pk = options.getOrDefault("primarykey", "id");
        int maxLength = WriteOptions.integer(options, "maxlength", 65_535);
        MetricType metric = options.containsKey("metric")
                ? MetricType.valueOf(options.get("metric").toUpperCase(Locale.ROOT)) : null;
        var b = CollectionSchema.builder(collection);
        boolean hasKey = false;
        for (StructField f : df.fields()) {
            String name = f.name();
            var t = f.dataType();
            FieldSchema field;
            if (t instanceof LongType) {
                field = FieldSchema.builder(name, DataType.INT64).primaryKey(name.equals(pk)).build();
            } else if (t instanceof StringType) {
                field = FieldSchema.builder(name, DataType.VARCHAR).maxLength(maxLength).primaryKey(name.equals(pk))
                        .build();
            } else if (t instanceof IntegerType) {
                field = scalar(name, DataType.INT32, pk);
            } else if (t instanceof ShortType) {
                field = scalar(name, DataType.INT16, pk);
            } else if (t instanceof ByteType) {
                field = scalar(name, DataType.INT8, pk);
            } else if (t instanceof BooleanType) {
                field = scalar(name, DataType.BOOL, pk);
            } else if (t instanceof FloatType) {
                field = scalar(name, DataType.FLOAT, pk);
            } else if (t instanceof DoubleType) {
                field = scalar(name, DataType.DOUBLE, pk);
            } else if (t instanceof ArrayType a && a.elementType() instanceof FloatType) {
                field = FieldSchema.floatVector(name, dimension(options, name), metric == null ? MetricType.L2
                        : metric);
            } else if (t instanceof BinaryType) {
                field = FieldSchema.binaryVector(name, dimension(options, name), metric == null ? MetricType.HAMMING
                        : metric);
            } else if (t instanceof ArrayType a) {
                field = FieldSchema.builder(name, DataType.ARRAY).elementType(element(name, a))
                        .maxCapacity(WriteOptions.integer(options, "maxcapacity", 4096))
                        .maxLength(maxLength).build();
            } else {
                throw new MigrationException(ErrorCode.INVALID_CONFIG, "column " + name + " of type "
                        + t.simpleString() + " has no Milvus field type (Long, Int, Short, Byte, Boolean, Float,"
                        + " Double, String, Array<Float> as a float vector, Binary as a binary vector, arrays of"
                        + " scalars)");
            }
            hasKey |= name.equals(pk);
            b.field(field);
        }
        if (!hasKey) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "the DataFrame has no column '" + pk
                    + "' for the primary key (set option primaryKey to a Long or String column)");
        }
        return b.build();
    }

    private static FieldSchema scalar(String name, DataType type, String pk) {
        if (name.equals(pk)) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "primary key column " + name + " must be a Long"
                    + " or a String, not " + type);
        }
        return FieldSchema.builder(name, type).build();
    }

    private static DataType element(String column, ArrayType a) {
        var e = a.elementType();
        if (e instanceof LongType) {
            return DataType.INT64;
        } else if (e instanceof IntegerType) {
            return DataType.INT32;
        } else if (e instanceof DoubleType) {
            return DataType.DOUBLE;
        } else if (e instanceof BooleanType) {
            return DataType.BOOL;
        } else if (e instanceof StringType) {
            return DataType.VARCHAR;
        }
        throw new MigrationException(ErrorCode.INVALID_CONFIG, "column " + column + ": arrays of "
                + e.simpleString() + " have no Milvus type");
    }

    private static int dimension(Map<String, String> options, String column) {
        String v = options.getOrDefault("dimension." + column.toLowerCase(Locale.ROOT), options.get("dimension"));
        if (v == null) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "vector column " + column + " needs its dimension:"
                    + " set option dimension (or dimension." + column + ")");
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new MigrationException(ErrorCode.INVALID_CONFIG, "option dimension of " + column
                    + " must be a number: " + v);
        }
    }
}
