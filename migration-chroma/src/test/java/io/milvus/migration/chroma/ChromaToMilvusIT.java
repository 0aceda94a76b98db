package io.milvus.migration.chroma;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.DescIndexResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Chroma collection migrated into the real Milvus 2.3.5 ({@code MILVUS_URI}) with the index Chroma had; every row
 * read back and compared field by field. Fails (never skips) without either server.
 */
class ChromaToMilvusIT {

    @TempDir
    Path staging;

    @Test
    void everyRecordArrivesWithEveryFieldAndTheHnswIndex() {
        String uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start scripts/milvus-server.sh and export its env");
        }
        var fx = new ChromaFixture("cosine", 120);
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        try (var source = fx.source().partRows(50).build();
             var target = MilvusTarget.builder().uri(uri).loadCollection(true).build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .bulkFormat(BulkFormat.JSON).staging(LocalStorage.at(staging)).build().run();
            assertThat(report.rowsLoaded()).isEqualTo(120);

            var index = new DescIndexResponseWrapper(check(client.describeIndex(DescribeIndexParam.newBuilder()
                    .withCollectionName(fx.name).withFieldName("embedding").build()))).getIndexDescByFieldName(
                    "embedding");
            assertThat(index.getIndexType().name()).isEqualTo("HNSW");
            assertThat(index.getMetricType().name()).isEqualTo("COSINE");
            assertThat(index.getExtraParam()).contains("\"M\":\"12\"").contains("\"efConstruction\":\"80\"");

            var rows = new HashMap<String, QueryResultsWrapper.RowRecord>();
            var r = check(client.query(QueryParam.newBuilder().withCollectionName(fx.name).withExpr("id != \"\"")
                    .withOutFields(List.of("*")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
            for (var row : new QueryResultsWrapper(r).getRowRecords()) {
                assertThat(rows.put((String) row.get("id"), row)).isNull();
            }
            assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(fx.records.keySet());
            rows.forEach((id, row) -> {
                Object[] rec = fx.records.get(id);
                var emb = new ArrayList<Float>();
                for (float f : (float[]) rec[0]) {
                    emb.add(f);
                }
                assertThat(row.get("embedding")).as("embedding of %s", id).isEqualTo(emb);
                assertThat(row.get("document")).isEqualTo(rec[1]);
                Map<String, Object> md = fx.metadata(id);
                assertThat(row.get("n")).isEqualTo(md.get("n"));
                assertThat(row.get("tag")).isEqualTo(md.get("tag"));
                assertThat(row.get("score")).isEqualTo(md.get("score"));
                assertThat(row.get("ok")).isEqualTo(md.get("ok"));
                // keys that are not a field of one type on every record: in the dynamic field
                for (String key : List.of("mixed", "sometimes", "bad key")) {
                    assertThat(same(row.getFieldValues().get(key), md.get(key))).as("%s of %s: %s", key, id,
                            row.getFieldValues().get(key)).isTrue();
                }
                var fields = new java.util.HashSet<>(List.of("id", "embedding", "document", "n", "score", "tag",
                        "ok", "mixed", "bad key"));
                if (md.containsKey("sometimes")) {
                    fields.add("sometimes");
                }
                assertThat(row.getFieldValues().keySet()).containsExactlyInAnyOrderElementsOf(fields);
            });
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(fx.name).build());
            client.close();
        }
    }

    /** A dynamic-field value as Milvus gives it back against the metadata value; numbers by value. */
    private static boolean same(Object got, Object want) {
        Object g = got instanceof com.google.gson.JsonPrimitive p
                ? (p.isNumber() ? (Object) p.getAsDouble() : p.isBoolean() ? p.getAsBoolean() : p.getAsString()) : got;
        if (g instanceof Number a && want instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return java.util.Objects.equals(g, want);
    }

    private static <T> T check(R<T> r) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(r.getMessage());
        }
        return r.getData();
    }
}
