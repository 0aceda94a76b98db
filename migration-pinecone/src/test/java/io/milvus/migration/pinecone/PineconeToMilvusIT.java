package io.milvus.migration.pinecone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.storage.LocalStorage;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.partition.ShowPartitionsParam;
import io.milvus.response.QueryResultsWrapper;
import io.pinecone.proto.Vector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Pinecone index, served by {@link PineconeSpecStub} (a stub following Pinecone's published API: Pinecone itself
 * is not tested here), migrated into the real Milvus 2.3.5 ({@code MILVUS_URI}); every row read back from its
 * partition and compared field by field, metadata in typed fields and the dynamic field. A sparse index is refused
 * by that server before anything is created. Fails (never skips) without Milvus.
 */
class PineconeToMilvusIT {
    @TempDir
    Path staging;

    @Test
    void anInterruptedMigrationResumesAndEveryRecordArrivesOnceInThePartitionOfItsNamespace() throws Exception {
        String uri = milvusUri();
        String collection = "pinecone_it_" + Long.toHexString(System.nanoTime());
        var counts = new LinkedHashMap<String, Integer>();
        counts.put("", 60);
        counts.put("books", 45);
        counts.put("tenant-2", 15);
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        var checkpoints = io.milvus.migration.checkpoint.CheckpointStores.sqlite(staging.resolve("jobs.db"));
        try (var fx = new PineconeFixture("it-index", "euclidean", "dense", 0, counts)) {
            // run 1: the data plane fails in the middle of namespace books (3 sampling fetches, 6 batches of
            // the default namespace, 3 of books); the job stops with SOURCE_IO
            fx.stub.failFetchesAfter(12);
            try (var source = source(fx, collection); var target = target(uri)) {
                assertThatThrownBy(() -> migration(source, target, checkpoints).run())
                        .isInstanceOf(MigrationException.class).hasMessageContaining("namespace 'books'")
                        .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.SOURCE_IO);
            }
            fx.stub.heal();
            fx.stub.fetchSizes.clear();
            fx.stub.listRequests.clear();
            // run 2, as another process would: a new source resumes the job from its stored positions
            try (var source = source(fx, collection); var target = target(uri)) {
                MigrationReport report = migration(source, target, checkpoints).run();
                assertThat(report.rowsLoaded()).isEqualTo(120);
            }
            // the resumed run listed books from a stored page token (inside the namespace), and asked nothing of
            // the default namespace but its sampled first page
            var books = fx.stub.listRequests.stream().filter(r -> r.getNamespace().equals("books")).toList();
            assertThat(books).hasSizeGreaterThanOrEqualTo(2);
            assertThat(books.get(1).getPaginationToken()).isNotEmpty();
            assertThat(fx.stub.listRequests.stream().filter(r -> r.getNamespace().equals("__default__")))
                    .hasSize(1);
            var count = check(client.query(QueryParam.newBuilder().withCollectionName(collection).withExpr("")
                    .withOutFields(List.of("count(*)")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
            assertThat(new QueryResultsWrapper(count).getRowRecords().get(0).get("count(*)")).isEqualTo(120L);

            var partitions = check(client.showPartitions(ShowPartitionsParam.newBuilder()
                    .withCollectionName(collection).build())).getPartitionNamesList();
            assertThat(partitions).contains("_default", "books", "tenant_2");
            var expected = Map.of("_default", "", "books", "books", "tenant_2", "tenant-2");
            for (var e : expected.entrySet()) {
                var rows = new HashMap<String, QueryResultsWrapper.RowRecord>();
                var r = check(client.query(QueryParam.newBuilder().withCollectionName(collection)
                        .withPartitionNames(List.of(e.getKey())).withExpr("id != \"\"")
                        .withOutFields(List.of("*")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
                for (var row : new QueryResultsWrapper(r).getRowRecords()) {
                    assertThat(rows.put((String) row.get("id"), row)).isNull();
                }
                Map<String, Vector> records = fx.records.get(e.getValue());
                assertThat(rows.keySet()).as("partition %s", e.getKey())
                        .containsExactlyInAnyOrderElementsOf(records.keySet());
                rows.forEach((id, row) -> {
                    Vector v = records.get(id);
                    var values = new ArrayList<Float>(v.getValuesList());
                    assertThat(row.get("values")).as("values of %s", id).isEqualTo(values);
                    var md = v.getMetadata().getFieldsMap();
                    assertThat(row.get("title")).isEqualTo(md.get("title").getStringValue());
                    assertThat(row.get("year")).isEqualTo(md.get("year").getNumberValue());
                    assertThat(row.get("draft")).isEqualTo(md.get("draft").getBoolValue());
                    assertThat(row.get("tags")).isEqualTo(md.get("tags").getListValue().getValuesList().stream()
                            .map(com.google.protobuf.Value::getStringValue).toList());
                    // the dynamic field's keys: score always, note on some records
                    assertThat(((Number) row.get("score")).doubleValue()).isEqualTo(md.get("score").getNumberValue());
                    if (md.containsKey("note")) {
                        assertThat(row.get("note")).isEqualTo("only on some");
                    } else {
                        assertThat(row.getFieldValues()).doesNotContainKey("note");
                    }
                });
            }
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
            client.close();
        }
    }

    @Test
    void aSparseIndexIsRefusedByMilvus235BeforeAnythingIsCreated() throws Exception {
        String uri = milvusUri();
        String collection = "pinecone_it_sparse_" + Long.toHexString(System.nanoTime());
        var client = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        try (var fx = new PineconeFixture("sparse-it", "dotproduct", "sparse", 0, Map.of("", 10));
             var source = fx.source().collection(collection).build();
             var target = MilvusTarget.builder().uri(uri).bulkImport(false).build()) {
            assertThatThrownBy(() -> Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).build().run())
                    .isInstanceOf(MigrationException.class).hasMessageContaining("sparse_values")
                    .extracting(e -> ((MigrationException) e).code()).isEqualTo(ErrorCode.TARGET_REJECTED);
            assertThat(check(client.hasCollection(HasCollectionParam.newBuilder().withCollectionName(collection)
                    .build()))).isFalse();
        } finally {
            client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
            client.close();
        }
    }

    private static PineconeSource source(PineconeFixture fx, String collection) {
        return fx.source().collection(collection).pageSize(25).nullableFields(false)
                .metadataField("title", PineconeSource.MetadataType.STRING)
                .metadataField("year", PineconeSource.MetadataType.NUMBER)
                .metadataField("draft", PineconeSource.MetadataType.BOOLEAN)
                .metadataField("tags", PineconeSource.MetadataType.STRING_LIST).build();
    }

    private static MilvusTarget target(String uri) {
        return MilvusTarget.builder().uri(uri).bulkImport(false).loadCollection(true).build();
    }

    private Migration migration(PineconeSource source, MilvusTarget target,
                                io.milvus.migration.spi.CheckpointStore checkpoints) {
        // batches of about 10 rows (of pages of 25 ids), one namespace at a time
        return Migration.builder().source(source).target(target).staging(LocalStorage.at(staging)).parallelism(1)
                .batchBytes(3000).jobId("pinecone-it").checkpoints(checkpoints).build();
    }

    private static String milvusUri() {
        String uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start scripts/milvus-server.sh and export its env");
        }
        return uri;
    }

    private static <T> T check(R<T> r) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(r.getMessage());
        }
        return r.getData();
    }
}
