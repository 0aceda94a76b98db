package io.milvus.migration.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.migration.BulkFormat;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.Transforms;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.milvus2.MilvusTarget;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.CheckpointStore;
import io.milvus.migration.spi.IndexSpec;
import io.milvus.migration.spi.Position;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weaviate classes migrated into the real Milvus 2.3.5 ({@code MILVUS_URI}) with the indexes Weaviate had; every row
 * read back and compared field by field; tenants into partitions; a job stopped in the middle of a split resumed
 * from its position. Milvus 2.3 takes one vector field and no nullable fields, so the source carries one of the
 * named vectors and non-nullable fields (every field kind, and several vectors, are read in WeaviateSourceIT).
 * Parquet files: Milvus 2.3.5's row-JSON import reads the elements of an Array of Double as float32. Fails (never
 * skips) without either server.
 */
class WeaviateToMilvusIT {
    private static final List<String> FIELDS = List.of("id", "title_vec", "title", "tags", "n", "ns", "score",
            "scores", "ok", "oks", "day", "days", "ref", "refs", "loc", "phone", "data", "meta", "items", "other");
    private static WeaviateFixture fx;
    private static WeaviateFixture.Every every;
    private static String uri;
    private static MilvusServiceClient milvus;
    private final List<String> collections = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        uri = System.getenv("MILVUS_URI");
        if (uri == null || uri.isBlank()) {
            throw new IllegalStateException("MILVUS_URI is not set: start scripts/milvus-server.sh and export its env");
        }
        fx = new WeaviateFixture();
        every = fx.every(150);
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterAll
    static void close() {
        if (fx != null) {
            fx.close();
        }
        if (milvus != null) {
            milvus.close();
        }
    }

    @org.junit.jupiter.api.AfterEach
    void dropCollections() {
        collections.forEach(c -> milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c)
                .build()));
    }

    @Test
    void everyObjectArrivesWithEveryFieldAndTheHnswIndexAndTenantsInPartitions() {
        var tenants = fx.tenants(20);
        String name = milvusName(every.name());
        String mt = milvusName(tenants.name());
        try (var source = fx.source().collections(List.of(every.name(), tenants.name())).vectors(List.of("title_vec",
                "vector")).nullableFields(false).partRows(50).build();
             var target = MilvusTarget.builder().uri(uri).loadCollection(true).build()) {
            MigrationReport report = Migration.builder().source(source).target(target).transform(LOWER_CASE)
                    .bulkFormat(BulkFormat.PARQUET).staging(LocalStorage.at(dir)).build().run();
            assertThat(report.rowsLoaded()).isEqualTo(150 + tenants.total());
            assertThat(report.collections()).containsExactlyInAnyOrder(name, mt);
        }
        var index = new DescIndexResponseWrapper(check(milvus.describeIndex(DescribeIndexParam.newBuilder()
                .withCollectionName(name).withFieldName("title_vec").build()))).getIndexDescByFieldName("title_vec");
        assertThat(index.getIndexType().name()).isEqualTo("HNSW");
        assertThat(index.getMetricType().name()).isEqualTo("COSINE");
        assertThat(index.getExtraParam()).contains("\"M\":\"16\"").contains("\"efConstruction\":\"64\"");

        Map<String, QueryResultsWrapper.RowRecord> rows = query(name, FIELDS, List.of());
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(every.objects().keySet());
        rows.forEach(WeaviateToMilvusIT::assertEveryField);

        tenants.objects().forEach((t, objects) -> {
            var inPartition = query(mt, List.of("id", "vector", "title", "n"), List.of(t));
            assertThat(inPartition.keySet()).as("partition %s", t)
                    .containsExactlyInAnyOrderElementsOf(objects.keySet());
            inPartition.forEach((id, row) -> {
                var o = objects.get(id);
                assertThat(row.get("title")).isEqualTo(o.path("properties").path("title").asText());
                assertThat(row.get("n")).isEqualTo(o.path("properties").path("n").asLong());
                var v = new ArrayList<Float>();
                o.path("vector").forEach(x -> v.add(x.floatValue()));
                assertThat(row.get("vector")).isEqualTo(v);
                assertThat(row.getFieldValues().keySet()).containsExactlyInAnyOrder("id", "vector", "title", "n");
            });
        });
    }

    @Test
    void severalNamedVectorsAreRefusedByMilvus23BeforeAnythingIsCreated() {
        String name = milvusName("weaviate_three_" + fx.unique);
        try (var source = fx.source().collections(List.of(every.name())).nullableFields(false).build();
             var target = MilvusTarget.builder().uri(uri).build()) {
            assertThatThrownBy(() -> Migration.builder().source(source).target(target)
                    .transform(Transforms.renameCollection(name)).bulkFormat(BulkFormat.PARQUET)
                    .staging(LocalStorage.at(dir)).build().run())
                    .isInstanceOf(MigrationException.class).hasMessageContaining("3 vector fields")
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.TARGET_REJECTED));
        }
        assertThat(check(milvus.hasCollection(io.milvus.param.collection.HasCollectionParam.newBuilder()
                .withCollectionName(name).build()))).isFalse();
    }

    @Test
    void aJobStoppedInsideASplitResumesThereAndLoadsEveryObjectOnce() {
        String name = milvusName("weaviate_resume_" + fx.unique);
        CheckpointStore store = CheckpointStores.sqlite(dir.resolve("checkpoints.db"));
        String jobId = "weaviate-resume-" + fx.unique;
        var opened = new CopyOnWriteArrayList<Position>();
        try (var source = fx.source().collections(List.of(every.name())).vectors(List.of("title_vec"))
                .nullableFields(false).partRows(1000).pageSize(40).build();
             var target = MilvusTarget.builder().uri(uri).loadCollection(true).build()) {
            // one split of 150 objects, batches of 40, about one file group each; the first run fails at batch 3
            // once a group is imported (so that the job has a position inside the split to resume from)
            var imported = new CountDownLatch(1);
            assertThatThrownBy(() -> job(new Stopping(source, 2, imported, opened), target, store, jobId, name)
                    .listener(e -> {
                        if (e.groupsImported() > 0) {
                            imported.countDown();
                        }
                    }).build().run())
                    .isInstanceOf(MigrationException.class).hasMessageContaining("stopped for the test");
            assertThat(opened).hasSize(1);
            assertThat(opened.get(0).isStart()).isTrue();
            job(new Stopping(source, Integer.MAX_VALUE, null, opened), target, store, jobId, name).build().run();
        }
        assertThat(opened).hasSize(2);
        Position resumed = opened.get(1);
        assertThat(resumed.isStart()).as("resumed inside the split: %s", resumed).isFalse();
        assertThat(resumed.rowsRead()).isBetween(40L, 80L);
        assertThat(every.objects()).containsKey(resumed.cursor());
        var rows = query(name, FIELDS, List.of());
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(every.objects().keySet());
        rows.forEach(WeaviateToMilvusIT::assertEveryField);
    }

    private Migration.Builder job(Source source, MilvusTarget target, CheckpointStore store, String jobId,
                                  String name) {
        return Migration.builder().source(source).target(target).transform(Transforms.renameCollection(name))
                .bulkFormat(BulkFormat.PARQUET).staging(LocalStorage.at(dir.resolve("staging"))).jobId(jobId)
                .checkpoints(store).parallelism(1).maxFileBytes(320 << 10);
    }

    /** The Milvus collection of a Weaviate class: its name in lower case (weaviate_..., as this branch's). */
    private String milvusName(String className) {
        String name = className.toLowerCase(java.util.Locale.ROOT);
        collections.add(name);
        return name;
    }

    /** Names each collection after its class in lower case. */
    private static final io.milvus.migration.spi.Transform LOWER_CASE = new io.milvus.migration.spi.Transform() {
        @Override
        public io.milvus.migration.spi.CollectionSchema apply(io.milvus.migration.spi.CollectionSchema schema) {
            return schema.withName(schema.name().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public Batch apply(Batch batch) {
            return batch;
        }

        @Override
        public boolean passesColumnsThrough() {
            return true;
        }
    };

    /** Every field of a Milvus row of {@link WeaviateFixture#every} equals what was added to Weaviate. */
    static void assertEveryField(String id, QueryResultsWrapper.RowRecord row) {
        var v = new ArrayList<Float>();
        for (float f : every.vector(id, "title_vec")) {
            v.add(f);
        }
        assertThat(row.get("title_vec")).as("title_vec of %s", id).isEqualTo(v);
        WeaviateSourceIT.assertScalars(every, id, row::get);
        WeaviateSourceIT.assertJson(every, id, String.valueOf(row.get("loc")), String.valueOf(row.get("phone")),
                String.valueOf(row.get("meta")), (String) row.get("items"), (String) row.get("other"));
        assertThat(row.getFieldValues().keySet()).containsExactlyInAnyOrderElementsOf(FIELDS);
    }

    private static Map<String, QueryResultsWrapper.RowRecord> query(String collection, List<String> fields,
                                                                     List<String> partitions) {
        var rows = new HashMap<String, QueryResultsWrapper.RowRecord>();
        var r = check(milvus.query(QueryParam.newBuilder().withCollectionName(collection).withExpr("id != \"\"")
                .withPartitionNames(partitions).withOutFields(fields)
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
        for (var row : new QueryResultsWrapper(r).getRowRecords()) {
            assertThat(rows.put((String) row.get("id"), row)).as("id %s once", row.get("id")).isNull();
        }
        return rows;
    }

    private static <T> T check(R<T> r) {
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException(r.getMessage());
        }
        return r.getData();
    }

    /**
     * The source, with readers that fail after {@code batches} batches (once {@code imported} is counted down, if
     * given); records the positions splits open at.
     */
    private record Stopping(Source source, int batches, CountDownLatch imported, List<Position> opened)
            implements Source {
        @Override
        public String describe() {
            return source.describe();
        }

        @Override
        public List<SourceCollection> collections() {
            return source.collections();
        }

        @Override
        public List<Split> splits(SourceCollection collection) {
            return source.splits(collection);
        }

        @Override
        public SplitReader open(Split split) {
            return open(split, Position.start(split.id()));
        }

        @Override
        public SplitReader open(Split split, Position from) {
            opened.add(from);
            SplitReader reader = source.open(split, from);
            var count = new AtomicInteger();
            return new SplitReader() {
                @Override
                public Optional<Batch> next(int maxRows) {
                    if (count.incrementAndGet() > batches) {
                        try {
                            if (imported != null && !imported.await(60, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("no file group was imported within 60 s");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new MigrationException(ErrorCode.SOURCE_IO, "stopped for the test");
                    }
                    return reader.next(maxRows);
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }

        @Override
        public List<IndexSpec> suggestedIndexes(SourceCollection collection) {
            return source.suggestedIndexes(collection);
        }

        @Override
        public void close() {
            // the test closes the wrapped source
        }
    }
}
