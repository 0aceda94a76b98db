package io.milvus.migration.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.MetricType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeaviateMappingTest {
    private static final WeaviateMapping.Options DEFAULTS = new WeaviateMapping.Options(
            WeaviateSource.DateMapping.EPOCH_MILLIS, 65_535, 4096, true);

    private static JsonNode json(String text) {
        try {
            return WeaviateClient.JSON.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldSchema field(String type) {
        return WeaviateMapping.property("p", type, 1, DEFAULTS, "w").field();
    }

    @Test
    void everyPropertyKindHasItsField() {
        assertThat(field("text").type()).isEqualTo(DataType.VARCHAR);
        assertThat(field("text").maxLength()).isEqualTo(65_535);
        assertThat(field("int").type()).isEqualTo(DataType.INT64);
        assertThat(field("number").type()).isEqualTo(DataType.DOUBLE);
        assertThat(field("boolean").type()).isEqualTo(DataType.BOOL);
        assertThat(field("date").type()).isEqualTo(DataType.INT64);
        assertThat(field("uuid").type()).isEqualTo(DataType.VARCHAR);
        assertThat(field("uuid").maxLength()).isEqualTo(36);
        assertThat(field("blob").type()).isEqualTo(DataType.VARCHAR);
        for (String t : List.of("object", "geoCoordinates", "phoneNumber")) {
            assertThat(field(t).type()).as(t).isEqualTo(DataType.JSON);
        }
        // JSON arrays (object arrays, references to a class): their text, since Milvus JSON fields hold objects only
        for (String t : List.of("object[]", "Article")) {
            assertThat(field(t).type()).as(t).isEqualTo(DataType.VARCHAR);
            assertThat(field(t).maxLength()).isEqualTo(65_535);
        }
        for (var e : Map.of("text[]", DataType.VARCHAR, "int[]", DataType.INT64, "number[]", DataType.DOUBLE,
                "boolean[]", DataType.BOOL, "date[]", DataType.INT64, "uuid[]", DataType.VARCHAR).entrySet()) {
            FieldSchema f = field(e.getKey());
            assertThat(f.type()).as(e.getKey()).isEqualTo(DataType.ARRAY);
            assertThat(f.elementType()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(f.maxCapacity()).isEqualTo(4096);
        }
        assertThat(field("int").nullable()).isTrue();
        var text = new WeaviateMapping.Options(WeaviateSource.DateMapping.TEXT, 100, 16, false);
        FieldSchema day = WeaviateMapping.property("d", "date[]", 1, text, "w").field();
        assertThat(day.elementType()).isEqualTo(DataType.VARCHAR);
        assertThat(day.maxLength()).isEqualTo(100);
        assertThat(day.maxCapacity()).isEqualTo(16);
        assertThat(day.nullable()).isFalse();
        // a reference to several classes
        assertThat(WeaviateMapping.property("r", "A", 2, DEFAULTS, "w").field().type()).isEqualTo(DataType.VARCHAR);
    }

    @Test
    void anUnknownDataTypeIsUnsupportedNamingTheProperty() {
        assertThatThrownBy(() -> WeaviateMapping.properties(json(
                "{'class':'C','properties':[{'name':'shape','dataType':['polygon']}]}"), DEFAULTS, Set.of("id"),
                "class C")).isInstanceOf(MigrationException.class).hasMessageContaining("class C, property shape")
                .hasMessageContaining("polygon")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED));
        assertThatThrownBy(() -> WeaviateMapping.properties(json(
                "{'class':'C','properties':[{'name':'img','dataType':['text']}]}"), DEFAULTS, Set.of("id", "img"),
                "class C")).hasMessageContaining("property img has the name of a vector");
    }

    @Test
    void aLegacyVectorHasTheMetricOfItsDistanceAndTheIndexOfItsConfig() {
        var v = WeaviateMapping.vectors(json("{'class':'C','vectorIndexType':'hnsw','vectorIndexConfig':"
                + "{'distance':'dot','maxConnections':24,'efConstruction':200}}"), List.of(), "w");
        assertThat(v).hasSize(1);
        assertThat(v.get(0).name()).isNull();
        assertThat(v.get(0).field()).isEqualTo("vector");
        assertThat(v.get(0).index()).isEqualTo(IndexSpec.builder("HNSW").field("vector").metric(MetricType.IP)
                .param("M", 24L).param("efConstruction", 200L).build());
        var defaults = WeaviateMapping.vectors(json("{'class':'C'}"), List.of(), "w").get(0);
        assertThat(defaults.metric()).isEqualTo(MetricType.COSINE);
        assertThat(defaults.m()).isEqualTo(32);
        assertThat(defaults.efConstruction()).isEqualTo(128);
        var l2 = WeaviateMapping.vectors(json("{'class':'C','vectorIndexType':'flat','vectorIndexConfig':"
                + "{'distance':'l2-squared'}}"), List.of(), "w").get(0);
        assertThat(l2.index()).isEqualTo(IndexSpec.builder("FLAT").field("vector").metric(MetricType.L2).build());
    }

    @Test
    void namedVectorsAreFieldsOfTheirNamesAndCanBeChosen() {
        JsonNode cls = json("{'class':'C','vectorConfig':{"
                + "'a':{'vectorIndexType':'hnsw','vectorIndexConfig':{'distance':'cosine'}},"
                + "'b':{'vectorIndexType':'dynamic','vectorIndexConfig':{'distance':'l2-squared',"
                + "'hnsw':{'maxConnections':8,'efConstruction':40}}},"
                + "'c':{'vectorIndexType':'flat','vectorIndexConfig':{'distance':'dot'}}}}");
        var all = WeaviateMapping.vectors(cls, List.of(), "w");
        assertThat(all).extracting(WeaviateMapping.Vector::field).containsExactly("a", "b", "c");
        assertThat(all).extracting(WeaviateMapping.Vector::metric).containsExactly(MetricType.COSINE, MetricType.L2,
                MetricType.IP);
        assertThat(all.get(1).index().params()).containsEntry("M", 8L).containsEntry("efConstruction", 40L);
        assertThat(all.get(2).indexType()).isEqualTo("FLAT");
        assertThat(WeaviateMapping.vectors(cls, List.of("b", "of_another_class"), "w"))
                .extracting(WeaviateMapping.Vector::name).containsExactly("b");
        assertThatThrownBy(() -> WeaviateMapping.vectors(cls, List.of("vector"), "class C"))
                .hasMessageContaining("class C has none of the vectors [vector] (it has a, b, c)")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        var schema = WeaviateMapping.schema("C", all, Map.of("a", 3, "b", 4, "c", 5), List.of(), List.of("t1"));
        assertThat(schema.fields()).extracting(FieldSchema::name).containsExactly("id", "a", "b", "c");
        assertThat(schema.field("c").orElseThrow().dimension()).isEqualTo(5);
        assertThat(schema.primaryKey().maxLength()).isEqualTo(36);
        assertThat(schema.partitions()).containsExactly("t1");
    }

    @Test
    void distancesWithoutAMilvusMetricAndMultiVectorsAreUnsupported() {
        for (String d : List.of("hamming", "manhattan")) {
            assertThatThrownBy(() -> WeaviateMapping.vectors(json("{'class':'C','vectorConfig':{'v':"
                    + "{'vectorIndexType':'hnsw','vectorIndexConfig':{'distance':'" + d + "'}}}}"), List.of(),
                    "class C")).hasMessageContaining("class C, named vector v has distance " + d)
                    .satisfies(e -> assertThat(((MigrationException) e).code())
                            .isEqualTo(ErrorCode.SOURCE_UNSUPPORTED));
        }
        assertThatThrownBy(() -> WeaviateMapping.vectors(json("{'class':'C','vectorConfig':{'colbert':"
                + "{'vectorIndexType':'hnsw','vectorIndexConfig':{'multivector':{'enabled':true}}}}}"), List.of(),
                "class C")).hasMessageContaining("colbert is a multi-vector");
    }

    @Test
    void aSplitStartsAfterTheGreatestUuidBeforeItsRangeAndHoldsItsPrefixes() {
        var first = new WeaviateSplit("C/00000000", "C", "", 0, 1L << 31, 10);
        var second = new WeaviateSplit("C/80000000", "C", "t", 1L << 31, WeaviateSplit.END, 10);
        assertThat(first.start()).isEmpty();
        assertThat(second.start()).isEqualTo("7fffffff-ffff-ffff-ffff-ffffffffffff");
        assertThat(first.contains("7fffffff-ffff-ffff-ffff-ffffffffffff")).isTrue();
        assertThat(second.contains("7fffffff-ffff-ffff-ffff-ffffffffffff")).isFalse();
        assertThat(second.contains("ffffffff-0000-0000-0000-000000000000")).isTrue();
        assertThat(second.partition()).isEqualTo("t");
        assertThatThrownBy(() -> first.contains("not-a-uuid")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeaviateSplit("x", "C", "", 5, 5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
