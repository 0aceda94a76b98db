package io.milvus.migration.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Mappings to schemas, including the types the test servers' builds lack (wildcard, constant_keyword, version,
 * scaled_float, rank_features, geo_shape, token_count, ...): their mapping JSON as Elasticsearch returns it.
 */
class EsMappingTest {
    private static EsSource.Builder source() {
        return EsSource.builder().connection(EsConnection.builder().url("http://127.0.0.1:1").build()).index("i");
    }

    private static JsonNode json(String s) {
        try {
            return EsHttp.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static EsLayout layout(EsSource.Builder b, String mapping) {
        try (EsSource s = b.build()) {
            return EsMapping.layout("c", List.of("i"), Map.of("i", json(mapping)), s.settings);
        }
    }

    @Test
    void everyTypeOfTheIssueHasItsMilvusType() {
        EsLayout l = layout(source(), """
                {"properties":{
                 "kw":{"type":"keyword"},"t":{"type":"text"},"w":{"type":"wildcard"},"ck":{"type":"constant_keyword"},
                 "ip":{"type":"ip"},"l":{"type":"long"},"i":{"type":"integer"},"s":{"type":"short"},"b":{"type":"byte"},
                 "ul":{"type":"unsigned_long"},"d":{"type":"double"},"f":{"type":"float"},"hf":{"type":"half_float"},
                 "sf":{"type":"scaled_float","scaling_factor":10},"bo":{"type":"boolean"},"dt":{"type":"date"},
                 "dn":{"type":"date_nanos"},"v":{"type":"dense_vector","dims":8,"similarity":"dot_product"},
                 "vb":{"type":"dense_vector","dims":4,"element_type":"byte","similarity":"max_inner_product"},
                 "bits":{"type":"dense_vector","dims":64,"element_type":"bit"},
                 "knn":{"type":"knn_vector","dimension":3,"space_type":"cosinesimil"},
                 "sp":{"type":"sparse_vector"},"rf":{"type":"rank_features"},
                 "o":{"properties":{"x":{"type":"long"}}},"n":{"type":"nested"},"fl":{"type":"flattened"},
                 "gp":{"type":"geo_point"},"gs":{"type":"geo_shape"},"al":{"type":"alias","path":"kw"}}}""");
        var types = new TreeMap<String, DataType>();
        l.schema().fields().forEach(f -> types.put(f.name(), f.type()));
        assertThat(types).containsExactlyInAnyOrderEntriesOf(new TreeMap<>(Map.ofEntries(
                Map.entry("_id", DataType.VARCHAR), Map.entry("kw", DataType.VARCHAR), Map.entry("t", DataType.VARCHAR),
                Map.entry("w", DataType.VARCHAR), Map.entry("ck", DataType.VARCHAR), Map.entry("ip", DataType.VARCHAR),
                Map.entry("l", DataType.INT64), Map.entry("i", DataType.INT32), Map.entry("s", DataType.INT16),
                Map.entry("b", DataType.INT8), Map.entry("ul", DataType.INT64), Map.entry("d", DataType.DOUBLE),
                Map.entry("f", DataType.FLOAT), Map.entry("hf", DataType.FLOAT), Map.entry("sf", DataType.DOUBLE),
                Map.entry("bo", DataType.BOOL), Map.entry("dt", DataType.INT64), Map.entry("dn", DataType.INT64),
                Map.entry("v", DataType.FLOAT_VECTOR), Map.entry("vb", DataType.FLOAT_VECTOR),
                Map.entry("bits", DataType.BINARY_VECTOR), Map.entry("knn", DataType.FLOAT_VECTOR),
                Map.entry("sp", DataType.SPARSE_FLOAT_VECTOR), Map.entry("rf", DataType.SPARSE_FLOAT_VECTOR),
                Map.entry("o", DataType.JSON), Map.entry("n", DataType.JSON), Map.entry("fl", DataType.JSON),
                Map.entry("gp", DataType.JSON), Map.entry("gs", DataType.JSON))));
        var s = l.schema();
        assertThat(s.primaryKey().name()).isEqualTo("_id");
        assertThat(s.primaryKey().maxLength()).isEqualTo(512);
        assertThat(s.field("kw").orElseThrow().maxLength()).isEqualTo(65_535);
        assertThat(s.field("kw").orElseThrow().nullable()).isTrue();
        assertThat(s.field("v").orElseThrow().metric()).isEqualTo(MetricType.IP);
        assertThat(s.field("v").orElseThrow().dimension()).isEqualTo(8);
        assertThat(s.field("vb").orElseThrow().metric()).isEqualTo(MetricType.IP);
        assertThat(s.field("bits").orElseThrow().dimension()).isEqualTo(64);
        assertThat(s.field("knn").orElseThrow().metric()).isEqualTo(MetricType.COSINE);
        assertThat(s.dynamicField()).isTrue();
        assertThat(s.field("al")).isEmpty();
    }

    @Test
    void overridesAKeyFieldDatesAsTextAndAMaxLength() {
        EsLayout l = layout(source().primaryKey("code").dates(EsSource.DateMode.VARCHAR).varcharMaxLength(100)
                        .field(FieldSchema.builder("tags", DataType.ARRAY).elementType(DataType.VARCHAR).maxLength(20)
                                .maxCapacity(8).build()),
                """
                {"properties":{"code":{"type":"keyword"},"day":{"type":"date"},"tags":{"type":"keyword"},
                 "v":{"type":"dense_vector","dims":2,"similarity":"l2_norm"}}}""");
        var s = l.schema();
        assertThat(s.primaryKey().name()).isEqualTo("code");
        assertThat(s.primaryKey().type()).isEqualTo(DataType.VARCHAR);
        assertThat(s.field("_id")).isEmpty();
        assertThat(s.field("day").orElseThrow().type()).isEqualTo(DataType.VARCHAR);
        assertThat(s.field("tags").orElseThrow().type()).isEqualTo(DataType.ARRAY);
        assertThat(l.sortKey()).isEqualTo("code");
    }

    @Test
    void theGoToolsFieldListIsTheWholeSchemaAndItsVectorTakesTheMappingsMetric() {
        EsLayout l = layout(source().primaryKey("id").fields(List.of(
                        FieldSchema.builder("id", DataType.INT64).primaryKey(true).build(),
                        FieldSchema.builder("data", DataType.FLOAT_VECTOR).dimension(2).build())),
                """
                {"properties":{"id":{"type":"long"},"other":{"type":"keyword"},
                 "data":{"type":"dense_vector","dims":2,"similarity":"cosine"}}}""");
        assertThat(l.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "data");
        assertThat(l.schema().field("data").orElseThrow().metric()).isEqualTo(MetricType.COSINE);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> layout(source().primaryKey("nope"), "{\"properties\":{}}"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> layout(source(), "{\"properties\":{\"kw\":{\"type\":\"keyword\"}}}"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("no vector field");
        assertThatThrownBy(() -> layout(source(), "{\"properties\":{\"v\":{\"type\":\"dense_vector\"}}}"))
                .hasMessageContaining("has no dims");
        assertThatThrownBy(() -> {
            try (EsSource s = source().build()) {
                EsMapping.layout("c", List.of("a", "b"), Map.of(
                        "a", json("{\"properties\":{\"x\":{\"type\":\"long\"}}}"),
                        "b", json("{\"properties\":{\"x\":{\"type\":\"keyword\"}}}")), s.settings);
            }
        }).hasMessageContaining("field x is").hasMessageContaining("in index");
        assertThatThrownBy(() -> source().query("[1]")).hasMessageContaining("JSON object");
    }

    @Test
    void vectorsLeftOutOfSourceAreReadFromDocValues() {
        EsLayout l = layout(source().sourceExcludes(List.of("em*")), """
                {"_source":{"excludes":["v"]},"properties":{"v":{"type":"dense_vector","dims":2},
                 "emb":{"type":"dense_vector","dims":2},"kw":{"type":"keyword"}}}""");
        var from = new TreeMap<String, Boolean>();
        l.fields().forEach(f -> from.put(f.name(), f.fromFields()));
        assertThat(from).containsEntry("v", true).containsEntry("emb", true).containsEntry("kw", false)
                .containsEntry("_id", false);
    }
}
