package io.milvus.migration.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.Transforms;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.DescIndexResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections of {@link QdrantSpecStub} (a SPEC-FOLLOWING STUB of Qdrant's gRPC API, not a Qdrant server) migrated
 * into the real Milvus 2.3.5 ({@code MILVUS_URI}); every row read back and compared field by field, the dynamic
 * field's keys included. Milvus 2.3.5 takes one vector field and no sparse vectors, and has no nullable fields:
 * payload fields are read with {@code nullableFields(false)}. Fails (never skips) without Milvus.
 */
class QdrantSpecStubToMilvusIT {
    private static final String PREFIX = "qdrant_it_" + ProcessHandle.current().pid() + "_";
    private static MilvusServiceClient client;
    private static String uri;
    private static QdrantSpecStub stub;
    private static final List<String> created = new ArrayList<>();

    @TempDir
    Path staging;

    @BeforeAll
    static void connect() throws Exception {
        uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start scripts/milvus-server.sh and export its env");
        }
        client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        stub = new QdrantSpecStub(null);
    }

    @AfterAll
    static void cleanUp() {
        if (client != null) {
            created.forEach(n -> client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(n).build()));
            client.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    private QdrantSource.Builder source(String collection) {
        return QdrantSource.builder().host("127.0.0.1").port(stub.port()).collections(List.of(collection))
                .nullableFields(false);
    }

    @Test
    void everyPointArrivesWithItsIdVectorPayloadFieldsAndDynamicKeysAndTheHnswIndex() {
        String name = PREFIX + "plain";
        created.add(name);
        int rows = 60;
        StubFixtures.plain(stub, name, rows, true);
        try (var source = source(name).partPoints(25).pageSize(10).build();
             var target = MilvusTarget.builder().uri(uri).loadCollection(true).build()) {
            MigrationReport report = Migration.builder().source(source).target(target).bulkFormat(BulkFormat.JSON)
                    .staging(LocalStorage.at(staging)).parallelism(2).build().run();
            assertThat(report.rowsLoaded()).isEqualTo(rows);
        }
        var index = new DescIndexResponseWrapper(check(client.describeIndex(DescribeIndexParam.newBuilder()
                .withCollectionName(name).withFieldName("vector").build()))).getIndexDescByFieldName("vector");
        assertThat(index.getIndexType().name()).isEqualTo("HNSW");
        assertThat(index.getMetricType().name()).isEqualTo("COSINE");
        assertThat(index.getExtraParam()).contains("\"M\":\"12\"").contains("\"efConstruction\":\"80\"");

        var fields = List.of("id", "vector", "title", "body", "uid", "n", "price", "ok", "at", "loc", "$meta");
        var byId = query(name, "id >= 0", fields, rows);
        for (int i = 0; i < rows; i++) {
            var row = byId.get(StubFixtures.plainId(i));
            assertThat(row).as("point %d", i).isNotNull();
            Map<String, Value> p = StubFixtures.plainPayload(i, true);
            var vec = new ArrayList<Float>();
            for (float f : StubFixtures.plainVector(i)) {
                vec.add(f);
            }
            assertThat(row.get("vector")).as("vector of %d", i).isEqualTo(vec);
            assertThat(row.get("title")).isEqualTo(p.get("title").getStringValue());
            assertThat(row.get("body")).isEqualTo(p.get("body").getStringValue());
            assertThat(row.get("uid")).isEqualTo(p.get("uid").getStringValue());
            assertThat(row.get("n")).isEqualTo(p.get("n").getIntegerValue());
            assertThat(row.get("price")).isEqualTo(p.get("price").hasDoubleValue() ? p.get("price").getDoubleValue()
                    : (double) p.get("price").getIntegerValue());
            assertThat(row.get("ok")).isEqualTo(p.get("ok").getBoolValue());
            assertThat(row.get("at")).isEqualTo(p.get("at").getStringValue());
            assertThat(json(row.get("loc"))).isEqualTo(QdrantSourceAgainstSpecStubTest.json(p.get("loc")));
            for (String k : List.of("meta", "extra_list", "extra_big", "extra_tiny", "extra_text")) {
                assertThat(dynamic(row.get(k))).as("$meta.%s of point %d (%s)", k, i, row.get(k) == null ? null
                        : row.get(k).getClass())
                        .isEqualTo(QdrantSourceAgainstSpecStubTest.json(p.get(k)));
            }
        }
    }

    @Test
    void uuidKeysAndOneNamedVectorArriveByInsert() {
        int rows = 20;
        StubFixtures.named(stub, rows);
        String name = PREFIX + "named";
        created.add(name);
        try (var source = source(StubFixtures.NAMED).partPoints(8).build();
             // by insert (the other test imports bulk files)
             var target = MilvusTarget.builder().uri(uri).bulkImport(false).loadCollection(true).build()) {
            // one vector field: Milvus 2.3.5 takes one, and no sparse vectors
            MigrationReport report = Migration.builder().source(source).target(target)
                    .transform(Transforms.selectFields(List.of("id", "text", "kind")))
                    .transform(Transforms.renameCollection(name)).bulkFormat(BulkFormat.JSON)
                    .staging(LocalStorage.at(staging)).build().run();
            assertThat(report.rowsLoaded()).isEqualTo(rows);
        }
        var byId = query(name, "id != \"\"", List.of("id", "text", "kind"), rows);
        for (int i = 0; i < rows; i++) {
            var row = byId.get(StubFixtures.namedId(i));
            assertThat(row).as("point %d", i).isNotNull();
            assertThat(row.get("text")).isEqualTo(List.of((float) i, (float) -i, 0.5f));
            assertThat(row.get("kind")).isEqualTo("k" + i % 3);
        }
    }

    @Test
    void aSparseVectorIsRejectedByMilvus235BeforeAnythingIsCreated() {
        String name = PREFIX + "sparse";
        stub.collection(name, CollectionParams.newBuilder().setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                .putMap("keywords", SparseVectorParams.getDefaultInstance())).build(), CollectionInfo.newBuilder());
        stub.upsert(name, PointKey.num(1), Map.of(), Map.of("keywords", StubFixtures.sparse(new int[]{3},
                new float[]{0.5f})));
        try (var source = source(name).build();
             var target = MilvusTarget.builder().uri(uri).build()) {
            assertThatThrownBy(() -> Migration.builder().source(source).target(target).bulkFormat(BulkFormat.JSON)
                    .staging(LocalStorage.at(staging)).build().run())
                    .isInstanceOf(MigrationException.class).hasMessageContaining("keywords")
                    .hasMessageContaining("SPARSE_FLOAT_VECTOR")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.TARGET_REJECTED);
        } finally {
            created.add(name);
        }
        assertThat(check(client.hasCollection(HasCollectionParam.newBuilder().withCollectionName(name).build())))
                .isFalse();
    }

    private static <K> Map<K, QueryResultsWrapper.RowRecord> query(String name, String expr, List<String> fields,
                                                                   int rows) {
        var r = check(client.query(QueryParam.newBuilder().withCollectionName(name).withExpr(expr)
                .withOutFields(fields).withLimit((long) rows + 10).withConsistencyLevel(ConsistencyLevelEnum.STRONG)
                .build()));
        var out = new HashMap<K, QueryResultsWrapper.RowRecord>();
        for (var row : new QueryResultsWrapper(r).getRowRecords()) {
            @SuppressWarnings("unchecked")
            K id = (K) row.get("id");
            assertThat(out.put(id, row)).as("id %s twice", id).isNull();
        }
        assertThat(out).hasSize(rows);
        return out;
    }

    private static JsonElement json(Object v) {
        if (v instanceof JsonElement e) {
            return e;
        }
        if (v instanceof String s) {
            return JsonParser.parseString(s);
        }
        if (v instanceof com.google.protobuf.ByteString b) {
            return JsonParser.parseString(b.toStringUtf8());
        }
        return new com.google.gson.Gson().toJsonTree(v);
    }

    /** A dynamic key's value as the SDK decodes it from $meta. */
    private static JsonElement dynamic(Object v) {
        return v instanceof JsonElement e ? e : new com.google.gson.Gson().toJsonTree(v);
    }

    private static <T> T check(R<T> r) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(r.getMessage());
        }
        return r.getData();
    }
}
