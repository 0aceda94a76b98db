package io.milvus.migration.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.spi.CollectionSchema;
import io.milvus.migration.spi.ConsistencyLevel;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaJsonTest {

    @Test
    void everyPropertySurvivesTheManifest() {
        var schema = CollectionSchema.builder("all").description("every kind")
                .field(FieldSchema.builder("pk", DataType.VARCHAR).primaryKey(true).maxLength(64).build())
                .field(FieldSchema.builder("flag", DataType.BOOL).nullable(true).defaultValue(true).build())
                .field(FieldSchema.builder("i8", DataType.INT8).defaultValue(-3).build())
                .field(FieldSchema.builder("i64", DataType.INT64).partitionKey(true).defaultValue(1L << 40).build())
                .field(FieldSchema.builder("f", DataType.FLOAT).defaultValue(0.5f).build())
                .field(FieldSchema.builder("d", DataType.DOUBLE).defaultValue(0.1).clusteringKey(true).build())
                .field(FieldSchema.builder("s", DataType.VARCHAR).maxLength(10).defaultValue("x").build())
                .field(FieldSchema.builder("j", DataType.JSON).description("doc").build())
                .field(FieldSchema.builder("a", DataType.ARRAY).elementType(DataType.VARCHAR).maxLength(5)
                        .maxCapacity(3).build())
                .field(FieldSchema.builder("v", DataType.FLOAT16_VECTOR).dimension(8).metric(MetricType.COSINE)
                        .build())
                .field(FieldSchema.builder("sp", DataType.SPARSE_FLOAT_VECTOR).build())
                .dynamicField(true).partitions(List.of("p")).property("collection.ttl.seconds", "9")
                .consistencyLevel(ConsistencyLevel.SESSION).shards(3).build();
        assertThat(SchemaJson.fromJson(SchemaJson.toJson(schema))).isEqualTo(schema);
        var plain = CollectionSchema.builder("plain").field(FieldSchema.int64Key("id"))
                .field(FieldSchema.floatVector("v", 2, MetricType.L2)).build();
        assertThat(SchemaJson.toJson(plain).toString()).doesNotContain("dynamicField", "shards", "nullable");
        assertThat(SchemaJson.fromJson(SchemaJson.toJson(plain))).isEqualTo(plain);
    }
}
