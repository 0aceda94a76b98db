package io.milvus.migration.es;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An Elasticsearch 8.19 index migrated into the real Milvus ({@code MILVUS_URI}, scripts/milvus-server.sh) by bulk
 * import and by insert, in 4 slices; every document read back from Milvus and compared field by field with what was
 * indexed, fields outside the schema in the dynamic field. Fails, never skips, without {@code ES8_URL} or
 * {@code MILVUS_URI}.
 */
class EsToMilvusIT {
    private static final int DOCS = 3000;
    private static MilvusServiceClient client;
    private static String uri;

    @TempDir
    Path staging;

    @BeforeAll
    static void connect() {
        uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start the test Milvus with "
                    + "scripts/milvus-server.sh start and export its env (eval \"$(scripts/milvus-server.sh env)\")");
        }
        client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private static Map<String, Object> doc(int i) {
        var d = new HashMap<String, Object>();
        d.put("_id", "doc-" + i);
        d.put("kw", "keyword " + i);
        d.put("n", 1_000_000_000_000L + i);
        d.put("v", List.of(i * 0.5f, 1f, (float) -i, 0.25f));
        d.put("extra", "not in the mapping " + i);
        return d;
    }

    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = {"bulk", "insert"})
    void everyDocumentArrivesFieldByField(String mode) {
        EsFixture es = EsFixture.of("es8");
        String index = "es2milvus_" + mode + "_" + ProcessHandle.current().pid();
        es.create(index, """
                {"dynamic":false,"properties":{"kw":{"type":"keyword"},"n":{"type":"long"},
                 "v":{"type":"dense_vector","dims":4,"similarity":"l2_norm"}}}""", 2);
        es.bulk(index, DOCS, EsToMilvusIT::doc);
        // the insert path of this Milvus target does not carry the dynamic field yet (JSON text): bulk import only
        boolean dynamic = mode.equals("bulk");
        try (EsSource source = EsSource.builder().connection(es.connection()).index(index).slices(4).pageSize(500)
                .dynamicField(dynamic)
                .field(io.milvus.migration.spi.FieldSchema.builder("kw", io.milvus.migration.spi.DataType.VARCHAR)
                        .maxLength(64).build())
                .field(io.milvus.migration.spi.FieldSchema.builder("n", io.milvus.migration.spi.DataType.INT64)
                        .build())
                .build();
             var target = MilvusTarget.builder().uri(uri).bulkImport(mode.equals("bulk")).loadCollection(true).dynamicField(dynamic)
                     .build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).parallelism(4)
                    // JSON rows: the NumPy writer of this version carries no VarChar
                    .bulkFormat(io.milvus.migration.BulkFormat.JSON).build().run();
            assertThat(report.rowsRead()).isEqualTo(DOCS);
            assertThat(report.rowsLoaded()).isEqualTo(DOCS);
            assertThat(report.collections()).containsExactly(index);

            var got = query(index);
            assertThat(got).hasSize(DOCS);
            for (int i = 0; i < DOCS; i++) {
                Map<String, Object> expected = doc(i);
                Map<String, Object> row = got.get("doc-" + i);
                assertThat(row).as("document doc-%d", i).isNotNull();
                assertThat(row.get("kw")).isEqualTo(expected.get("kw"));
                assertThat(row.get("n")).isEqualTo(expected.get("n"));
                assertThat(row.get("v")).isEqualTo(expected.get("v"));
                assertThat(row.get("extra")).as("dynamic field of doc-%d", i)
                        .isEqualTo(dynamic ? expected.get("extra") : null);
            }
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(index).build());
            es.delete(index);
        }
    }

    /**
     * Documents without their vector, skipped by the user's choice, are counted and named in the report; with pages
     * of one document some pages are skipped whole. The others arrive.
     */
    @org.junit.jupiter.api.Test
    void skippedDocumentsAreListedInTheReport() {
        EsFixture es = EsFixture.of("es8");
        String index = "es2milvus_skip_" + ProcessHandle.current().pid();
        es.create(index, "{\"dynamic\":false,\"properties\":{\"kw\":{\"type\":\"keyword\"},\"n\":{\"type\":\"long\"},"
                + "\"v\":{\"type\":\"dense_vector\",\"dims\":4,\"similarity\":\"l2_norm\"}}}", 1);
        var bad = java.util.Set.of(3, 4, 5, 11);
        es.bulk(index, 20, i -> {
            Map<String, Object> d = doc(i);
            if (bad.contains(i)) {
                d.remove("v");
            }
            return d;
        });
        try (EsSource source = EsSource.builder().connection(es.connection()).index(index).pageSize(1)
                .dynamicField(false).nullableFields(false).badVectors(EsSource.BadVectors.SKIP)
                .field(io.milvus.migration.spi.FieldSchema.builder("kw", io.milvus.migration.spi.DataType.VARCHAR)
                        .maxLength(64).build())
                .build();
             var target = MilvusTarget.builder().uri(uri).bulkImport(false).dynamicField(false).build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).build().run();
            assertThat(report.rowsRead()).isEqualTo(16);
            assertThat(report.rowsLoaded()).isEqualTo(16);
            assertThat(report.rowsSkipped()).isEqualTo(4);
            assertThat(report.skipped()).extracting(io.milvus.migration.spi.SkippedRow::id)
                    .containsExactlyInAnyOrderElementsOf(bad.stream().map(i -> index + "/doc-" + i).toList());
            assertThat(report.skipped()).allSatisfy(s -> assertThat(s.reason()).contains("v"));
            var got = query(index);
            assertThat(got.keySet()).hasSize(16).doesNotContain("doc-3", "doc-4", "doc-5", "doc-11");
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(index).build());
            es.delete(index);
        }
    }

    private static Map<String, Map<String, Object>> query(String collection) {
        var out = new HashMap<String, Map<String, Object>>();
        R<io.milvus.grpc.QueryResults> r = client.query(QueryParam.newBuilder().withCollectionName(collection)
                .withExpr("n >= 0").withOutFields(List.of("*")).withLimit(16384L)
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        assertThat(r.getStatus()).as("query of %s: %s", collection, r.getException()).isEqualTo(R.Status.Success.getCode());
        for (QueryResultsWrapper.RowRecord rec : new QueryResultsWrapper(r.getData()).getRowRecords()) {
            var row = new HashMap<>(rec.getFieldValues());
            if (out.put((String) row.get("_id"), row) != null) {
                throw new AssertionError("id " + row.get("_id") + " twice in " + collection);
            }
        }
        return out;
    }
}
