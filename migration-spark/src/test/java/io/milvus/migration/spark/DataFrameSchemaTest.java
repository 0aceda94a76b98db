package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DataFrameSchemaTest {
    @Test
    void everyColumnKindMapsToItsMilvusField() {
        var df = new StructType().add("id", DataTypes.LongType).add("n", DataTypes.IntegerType)
                .add("s", DataTypes.ShortType).add("b", DataTypes.ByteType).add("ok", DataTypes.BooleanType)
                .add("f", DataTypes.FloatType).add("d", DataTypes.DoubleType).add("tag", DataTypes.StringType)
                .add("v", DataTypes.createArrayType(DataTypes.FloatType)).add("code", DataTypes.BinaryType)
                .add("tags", DataTypes.createArrayType(DataTypes.StringType));
        CollectionSchema s = DataFrameSchema.of(df, Map.of("collection", "docs", "dimension", "4",
                "dimension.code", "64", "maxlength", "100"));

        assertThat(s.name()).isEqualTo("docs");
        assertThat(s.fields()).extracting(FieldSchema::type).containsExactly(DataType.INT64, DataType.INT32,
                DataType.INT16, DataType.INT8, DataType.BOOL, DataType.FLOAT, DataType.DOUBLE, DataType.VARCHAR,
                DataType.FLOAT_VECTOR, DataType.BINARY_VECTOR, DataType.ARRAY);
        assertThat(s.fields().get(0).primaryKey()).isTrue();
        assertThat(s.fields().get(7).maxLength()).isEqualTo(100);
        assertThat(s.fields().get(8).dimension()).isEqualTo(4);
        assertThat(s.fields().get(9).dimension()).isEqualTo(64);
        assertThat(s.fields().get(10).elementType()).isEqualTo(DataType.VARCHAR);
    }

    @Test
    void aVectorWithoutDimensionOrATableWithoutKeyIsRefusedNamingTheColumn() {
        var df = new StructType().add("id", DataTypes.LongType)
                .add("emb", DataTypes.createArrayType(DataTypes.FloatType));
        assertThatThrownBy(() -> DataFrameSchema.of(df, Map.of("collection", "c")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("emb").hasMessageContaining("dimension")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> DataFrameSchema.of(df, Map.of("collection", "c", "dimension", "4",
                "primarykey", "pk"))).hasMessageContaining("'pk'");
        assertThatThrownBy(() -> DataFrameSchema.of(new StructType().add("id", DataTypes.LongType)
                .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)),
                Map.of("collection", "c"))).hasMessageContaining("column m of type map<string,string>");
    }

    @Test
    void theOptionsShippedToExecutorsHoldNoSecret() throws Exception {
        var options = new WriteOptions(Map.of("uri", "milvus://root:Milvus@h:19530/default?token=t0k3n",
                "Token", "t0k3n", "password", "pw-123", "staging", "s3://b?endpoint=http://h:9000",
                "collection", "c"));
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(options);
            out.writeObject(MigrationRecipe.yaml("/etc/migration.yaml"));
        }
        String shipped = bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(shipped).contains("s3://b").doesNotContain("t0k3n").doesNotContain("pw-123")
                .doesNotContain("Milvus@");
        assertThat(options.shipped).containsOnlyKeys("staging", "collection");
    }
}
