package io.milvus.migration.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.DataType;
import io.milvus.migration.spi.FieldSchema;
import io.milvus.migration.spi.MetricType;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.MultiVectorConfig;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Collection info → schema, without a server; and the point id order. */
class QdrantMappingTest {
    private static CollectionInfo info(CollectionParams params) {
        return CollectionInfo.newBuilder().setConfig(CollectionConfig.newBuilder().setParams(params)).build();
    }

    private static QdrantMapping.Plan plan(CollectionInfo info) {
        return QdrantMapping.plan("qdrant:x c", "c", info, QdrantMapping.IdKind.NUMERIC, true, true);
    }

    @Test
    void distancesBecomeMilvusMetricsAndManhattanIsRefused() {
        assertThat(QdrantMapping.metric("v", Distance.Cosine)).isEqualTo(MetricType.COSINE);
        assertThat(QdrantMapping.metric("v", Distance.Dot)).isEqualTo(MetricType.IP);
        assertThat(QdrantMapping.metric("v", Distance.Euclid)).isEqualTo(MetricType.L2);
        assertThatThrownBy(() -> QdrantMapping.metric("vector 'a'", Distance.Manhattan))
                .isInstanceOf(MigrationException.class).hasMessageContaining("vector 'a'")
                .hasMessageContaining("Manhattan")
                .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThatThrownBy(() -> QdrantMapping.metric("v", Distance.UnknownDistance))
                .isInstanceOf(MigrationException.class);
    }

    @Test
    void payloadIndexTypesBecomeFieldsAndOtherKeysStayDynamic() {
        var b = CollectionInfo.newBuilder(info(StubFixtures.unnamed(8, Distance.Euclid)));
        b.putPayloadSchema("k", StubFixtures.index(PayloadSchemaType.Keyword));
        b.putPayloadSchema("t", StubFixtures.index(PayloadSchemaType.Text));
        b.putPayloadSchema("u", StubFixtures.index(PayloadSchemaType.Uuid));
        b.putPayloadSchema("d", StubFixtures.index(PayloadSchemaType.Datetime));
        b.putPayloadSchema("i", StubFixtures.index(PayloadSchemaType.Integer));
        b.putPayloadSchema("f", StubFixtures.index(PayloadSchemaType.Float));
        b.putPayloadSchema("b", StubFixtures.index(PayloadSchemaType.Bool));
        b.putPayloadSchema("g", StubFixtures.index(PayloadSchemaType.Geo));
        b.putPayloadSchema("nested.key", StubFixtures.index(PayloadSchemaType.Keyword));
        b.putPayloadSchema("list[]", StubFixtures.index(PayloadSchemaType.Integer));
        b.putPayloadSchema("id", StubFixtures.index(PayloadSchemaType.Integer));      // the key's name: dynamic
        b.putPayloadSchema("vector", StubFixtures.index(PayloadSchemaType.Keyword));  // the vector's name: dynamic
        var p = plan(b.build());
        var types = new ArrayList<String>();
        p.schema().fields().forEach(f -> types.add(f.name() + ":" + f.type()));
        assertThat(types).containsExactly("id:INT64", "vector:FLOAT_VECTOR", "b:BOOL", "d:VARCHAR", "f:DOUBLE",
                "g:JSON", "i:INT64", "k:VARCHAR", "t:VARCHAR", "u:VARCHAR");
        assertThat(p.schema().dynamicField()).isTrue();
        assertThat(p.schema().field("vector").orElseThrow().metric()).isEqualTo(MetricType.L2);

        var off = QdrantMapping.plan("w", "c", b.build(), QdrantMapping.IdKind.TEXT, false, true);
        assertThat(off.schema().fields()).extracting(FieldSchema::name).containsExactly("id", "vector");
        assertThat(off.schema().primaryKey().type()).isEqualTo(DataType.VARCHAR);
        assertThat(off.schema().primaryKey().maxLength()).isEqualTo(36);
        assertThat(off.payload()).isEmpty();
    }

    @Test
    void multivectorsBadNamesAndNoVectorsAreRefused() {
        var multi = StubFixtures.unnamed(4, Distance.Cosine).toBuilder().setVectorsConfig(VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine)
                        .setMultivectorConfig(MultiVectorConfig.getDefaultInstance()))).build();
        assertThatThrownBy(() -> plan(info(multi))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("multivector")
                .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        var badName = CollectionParams.newBuilder().setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(
                VectorParamsMap.newBuilder().putMap("my-vector", VectorParams.newBuilder().setSize(2)
                        .setDistance(Distance.Dot).build()))).build();
        assertThatThrownBy(() -> plan(info(badName))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("'my-vector'")
                .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_UNSUPPORTED);
        assertThatThrownBy(() -> plan(info(CollectionParams.getDefaultInstance())))
                .isInstanceOf(MigrationException.class).hasMessageContaining("no vectors");
    }

    @Test
    void pointIdsOrderAsQdrantScrollsThemAndRoundTripAsText() {
        var keys = new ArrayList<>(List.of(PointKey.uuid("FFFFFFFF-0000-0000-0000-000000000000"),
                PointKey.num(-1L), PointKey.uuid(new UUID(0, 1).toString()), PointKey.num(0), PointKey.num(10),
                PointKey.uuid("80000000-0000-0000-0000-000000000000")));
        keys.sort(null);
        assertThat(keys).extracting(PointKey::toString).containsExactly("n:0", "n:10", "n:18446744073709551615",
                "u:00000000-0000-0000-0000-000000000001", "u:80000000-0000-0000-0000-000000000000",
                "u:ffffffff-0000-0000-0000-000000000000");
        for (PointKey k : keys) {
            assertThat(PointKey.parse(k.toString())).isEqualTo(k);
            assertThat(PointKey.of(k.toPointId())).isEqualTo(k);
        }
        assertThatThrownBy(() -> PointKey.parse("n:-3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PointKey.parse("u:nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PointKey.parse("12")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadJsonEscapesAndKeepsEveryKind() {
        var v = io.qdrant.client.ValueFactory.value(java.util.Map.of("s", io.qdrant.client.ValueFactory.value(
                "a\"b\\c\n\u0002"), "n", io.qdrant.client.ValueFactory.nullValue()));
        assertThat(com.google.gson.JsonParser.parseString(PayloadJson.text(v)))
                .isEqualTo(QdrantSourceAgainstSpecStubTest.json(v));
        assertThat(PayloadJson.text(io.qdrant.client.ValueFactory.value(1e300))).isEqualTo("1.0E300");
        assertThatThrownBy(() -> PayloadJson.text(io.qdrant.client.ValueFactory.value(Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
