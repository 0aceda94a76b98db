package io.milvus.migration.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

    private static FieldSchema.Builder field(String name, DataType type) {
        return FieldSchema.builder(name, type);
    }

    @Test
    void aFieldKeepsEverySettingAndCopiesThroughItsBuilder() {
        FieldSchema tags = field("tags", DataType.ARRAY).elementType(DataType.VARCHAR).maxLength(20).maxCapacity(8)
                .nullable(true).description("labels").build();
        assertThat(tags.elementType()).isEqualTo(DataType.VARCHAR);
        assertThat(tags.maxLength()).isEqualTo(20);
        assertThat(tags.maxCapacity()).isEqualTo(8);
        assertThat(tags.toBuilder().build()).isEqualTo(tags);
        assertThat(tags.renamed("labels").name()).isEqualTo("labels");
        assertThat(tags.renamed("labels").maxCapacity()).isEqualTo(8);
        assertThat(tags.toString()).contains("ARRAY<VARCHAR>", "maxCapacity=8", "nullable");
    }

    @Test
    void defaultsAreFilledIn() {
        assertThat(field("s", DataType.VARCHAR).build().maxLength()).isEqualTo(FieldSchema.MAX_VARCHAR_LENGTH);
        assertThat(field("v", DataType.FLOAT_VECTOR).dimension(4).build().metric()).isEqualTo(MetricType.L2);
        assertThat(field("b", DataType.BINARY_VECTOR).dimension(8).build().metric()).isEqualTo(MetricType.HAMMING);
        assertThat(field("sp", DataType.SPARSE_FLOAT_VECTOR).build().metric()).isEqualTo(MetricType.IP);
        assertThat(field("i", DataType.INT32).build().metric()).isNull();
    }

    @Test
    void settingsThatDoNotFitTheTypeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> field("v", DataType.FLOAT_VECTOR).build())
                .hasMessageContaining("field v").hasMessageContaining("dimension");
        assertThatThrownBy(() -> field("b", DataType.BINARY_VECTOR).dimension(12).build())
                .hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> field("sp", DataType.SPARSE_FLOAT_VECTOR).dimension(3).build())
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> field("a", DataType.ARRAY).elementType(DataType.JSON).maxCapacity(2).build())
                .hasMessageContaining("element type");
        assertThatThrownBy(() -> field("a", DataType.ARRAY).elementType(DataType.INT64).build())
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> field("k", DataType.FLOAT).primaryKey(true).build())
                .hasMessageContaining("INT64 or VARCHAR");
        assertThatThrownBy(() -> field("k", DataType.INT64).primaryKey(true).nullable(true).build())
                .hasMessageContaining("primary key");
        assertThatThrownBy(() -> field("x", DataType.INT64).autoId(true).build()).hasMessageContaining("autoID");
        assertThatThrownBy(() -> field("x", DataType.INT8).defaultValue(300).build())
                .hasMessageContaining("default value 300");
        assertThatThrownBy(() -> field("x", DataType.INT64).defaultValue(3).build())
                .hasMessageContaining("Integer");
        assertThatThrownBy(() -> field("x", DataType.VARCHAR).maxLength(70_000).build())
                .hasMessageContaining("max length");
        assertThatThrownBy(() -> field("x", DataType.INT64).metric(MetricType.L2).build())
                .hasMessageContaining("metric");
        assertThatThrownBy(() -> field(" ", DataType.INT64)).hasMessageContaining("blank");
    }

    @Test
    void aCollectionNeedsOneKeyUniqueNamesAndAVector() {
        FieldSchema id = FieldSchema.int64Key("id");
        FieldSchema vector = FieldSchema.floatVector("v", 4, MetricType.IP);
        var schema = CollectionSchema.builder("c").field(id).field(vector).dynamicField(true)
                .partitions(List.of("p1", "p2")).property("collection.ttl.seconds", "60")
                .consistencyLevel(ConsistencyLevel.BOUNDED).shards(2).build();
        assertThat(schema.primaryKey()).isEqualTo(id);
        assertThat(schema.vectorFields()).containsExactly(vector);
        assertThat(schema.withName("d").name()).isEqualTo("d");
        assertThat(schema.withName("d").withName("c")).isEqualTo(schema);
        assertThat(schema.toBuilder().build().properties()).containsEntry("collection.ttl.seconds", "60");
        assertThat(schema.consistencyLevel()).contains(ConsistencyLevel.BOUNDED);
        assertThatThrownBy(() -> CollectionSchema.builder("c").field(vector).build())
                .hasMessageContaining("exactly one primary key");
        assertThatThrownBy(() -> CollectionSchema.builder("c").field(id).field(vector).field(vector).build())
                .hasMessageContaining("field v appears twice");
        assertThatThrownBy(() -> CollectionSchema.builder("c").field(id).build())
                .hasMessageContaining("vector field");
        assertThatThrownBy(() -> CollectionSchema.builder("c").field(id).field(vector)
                .field(field(CollectionSchema.DYNAMIC_FIELD, DataType.JSON).build()).build())
                .hasMessageContaining("dynamic field");
    }

    @Test
    void indexParametersOfEveryKindMakeValidJson() {
        IndexSpec spec = IndexSpec.builder("sparse_inverted_index").field("sp").param("drop_ratio_build", 0.2)
                .param("inverted_index_algo", "DAAT_\"MAXSCORE\"").param("mmap", true).param("nlist", 8).build();
        assertThat(spec.type()).isEqualTo("SPARSE_INVERTED_INDEX");
        assertThat(spec.field()).contains("sp");
        assertThat(spec.paramsJson()).isEqualTo(
                "{\"drop_ratio_build\":0.2,\"inverted_index_algo\":\"DAAT_\\\"MAXSCORE\\\"\",\"mmap\":true,\"nlist\":8}");
        assertThat(spec.withMetric(MetricType.IP).field()).contains("sp");
        assertThat(spec.onField("other")).isNotEqualTo(spec);
    }
}
