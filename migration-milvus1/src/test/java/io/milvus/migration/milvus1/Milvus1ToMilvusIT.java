package io.milvus.migration.milvus1;

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
import io.milvus.param.partition.ShowPartitionsParam;
import io.milvus.response.QueryResultsWrapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A built Milvus 1.x data directory migrated into the real Milvus ({@code MILVUS_URI}, from
 * {@code scripts/milvus-server.sh}) by bulk import and by insert; every live row read back bit for bit, partitions
 * checked, deleted, stale and dropped rows absent. Fails (never skips) without {@code MILVUS_URI}.
 */
class Milvus1ToMilvusIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String uri;
    private static MilvusServiceClient client;

    @TempDir
    Path data;
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

    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = {"bulk", "insert"})
    void everyLiveRowArrivesInItsPartitionAndNothingElse(String mode) {
        String p = "m1_" + mode + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_";
        Milvus1Fixture fx = Milvus1Fixture.standard(data, p);
        List<String> floats = List.of(p + "flt", p + "ip");
        List<String> binaries = List.of(p + "bin", p + "tan");
        try {
            migrate(fx, floats, "FLAT", mode);
            migrate(fx, binaries, "BIN_FLAT", mode);
            assertThat(client.hasCollection(io.milvus.param.collection.HasCollectionParam.newBuilder()
                    .withCollectionName(p + "dropped").build()).getData()).as("dropped collection").isFalse();

            assertMigrated(client, fx, p);
        } finally {
            for (String c : List.of(p + "flt", p + "ip", p + "bin", p + "tan", p + "dropped")) {
                client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c).build());
            }
        }
    }

    @Test
    void theCollectionGetsTheIndexItHadInMilvus1() {
        String p = "m1_index_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_";
        var fx = new Milvus1Fixture(data);
        fx.table(p + "ivf", Milvus1Fixture.NORMAL, 16, Milvus1Fixture.IP, "", "", 2, "{\"nlist\": 8}");
        fx.segment(p + "ivf", "1", Milvus1Fixture.RAW, 100, 300, new int[] {3}, p + "ivf", "");
        fx.table(p + "hnsw", Milvus1Fixture.NORMAL, 16, Milvus1Fixture.L2, "", "", 11,
                "{\"M\": 12, \"efConstruction\": 80}");
        fx.segment(p + "hnsw", "2", Milvus1Fixture.RAW, 1000, 200, new int[] {}, p + "hnsw", "");
        fx.table(p + "bin", Milvus1Fixture.NORMAL, 64, Milvus1Fixture.HAMMING, "", "", 10, "{\"nlist\": 4}");
        fx.segment(p + "bin", "3", Milvus1Fixture.RAW, 5000, 100, new int[] {}, p + "bin", "");
        fx.writeCatalogue();
        try (var source = Milvus1Source.builder().directory(fx.root).build();
             var target = MilvusTarget.builder().uri(uri).build()) {   // no index settings: the source's own
            Migration.builder().source(source).target(target).staging(LocalStorage.at(staging)).build().run();
            assertIndex(p + "ivf", "IVF_FLAT", "IP", Map.of("nlist", "8"));
            assertIndex(p + "hnsw", "HNSW", "L2", Map.of("M", "12", "efConstruction", "80"));
            assertIndex(p + "bin", "BIN_IVF_FLAT", "HAMMING", Map.of("nlist", "4"));
            assertThat(query(client, p + "ivf", null, "id >= 0", false)).hasSize(299);
        } finally {
            for (String c : List.of(p + "ivf", p + "hnsw", p + "bin")) {
                client.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c).build());
            }
        }
    }

    private static void assertIndex(String collection, String type, String metric, Map<String, String> params) {
        var r = client.describeIndex(io.milvus.param.index.DescribeIndexParam.newBuilder()
                .withCollectionName(collection).withFieldName("vector").build());
        assertThat(r.getStatus()).as("describe index of %s", collection).isEqualTo(R.Status.Success.getCode());
        var index = new io.milvus.response.DescIndexResponseWrapper(r.getData()).getIndexDescByFieldName("vector");
        assertThat(index.getIndexType().name()).as("index of %s", collection).isEqualTo(type);
        assertThat(index.getMetricType().name()).as("metric of %s", collection).isEqualTo(metric);
        params.forEach((k, v) -> assertThat(index.getExtraParam()).as("params of %s", collection)
                .contains("\"" + k + "\":\"" + v + "\""));
    }

    /**
     * Checks that the standard scenario with prefix {@code p} is in Milvus: every live row bit for bit in its
     * partition; deleted, stale and dropped rows absent.
     */
    static void assertMigrated(MilvusServiceClient client, Milvus1Fixture fx, String p) {
        List<String> binaries = List.of(p + "bin", p + "tan");
        for (String c : List.of(p + "flt", p + "ip", p + "bin", p + "tan")) {
            boolean binary = binaries.contains(c);
            Map<Long, byte[]> expected = fx.expectedRows(c);
            Map<Long, byte[]> got = query(client, c, null, "id >= 0", binary);
            assertThat(got.keySet()).as("ids of %s", c).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((id, v) -> assertThat(got.get(id)).as("vector of id %d in %s", id, c).isEqualTo(v));
            assertThat(query(client, c, null, "id in " + new ArrayList<>(fx.absent), binary))
                    .as("deleted, stale and dropped ids in %s", c).isEmpty();
        }
        assertThat(partitions(client, p + "flt")).contains("_default", "tag_a").doesNotContain("tag_b");
        assertThat(partitions(client, p + "bin")).contains("_default", "bin_p");
        assertThat(query(client, p + "flt", "tag_a", "id >= 0", false).keySet())
                .containsExactlyInAnyOrderElementsOf(fx.expected.get(p + "flt").get("tag_a").keySet());
        assertThat(query(client, p + "flt", "_default", "id >= 0", false).keySet())
                .containsExactlyInAnyOrderElementsOf(fx.expected.get(p + "flt").get("").keySet());
        assertThat(query(client, p + "bin", "bin_p", "id >= 0", true).keySet())
                .containsExactlyInAnyOrderElementsOf(fx.expected.get(p + "bin").get("bin_p").keySet());
        assertThat(query(client, p + "bin", "_default", "id >= 0", true).keySet())
                .containsExactlyInAnyOrderElementsOf(fx.expected.get(p + "bin").get("").keySet());
    }

    private void migrate(Milvus1Fixture fx, List<String> collections, String index, String mode) {
        long expectedRows = collections.stream().mapToLong(c -> fx.expectedRows(c).size()).sum();
        try (var source = Milvus1Source.builder().directory(fx.root).collections(collections).build();
             var target = MilvusTarget.builder().uri(uri).createIndex(index).loadCollection(true)
                     .bulkImport(mode.equals("bulk")).insertBytes(2 << 10).build()) {
            MigrationReport report = Migration.builder().source(source).target(target)
                    .staging(LocalStorage.at(staging)).parallelism(3).batchBytes(1 << 10).maxFileBytes(4 << 10)
                    .build().run();
            assertThat(report.rowsRead()).isEqualTo(expectedRows);
            assertThat(report.rowsLoaded()).isEqualTo(expectedRows);
            assertThat(report.collections()).containsExactlyElementsOf(collections);
        }
    }

    private static List<String> partitions(MilvusServiceClient client, String collection) {
        var r = client.showPartitions(ShowPartitionsParam.newBuilder().withCollectionName(collection).build());
        assertThat(r.getStatus()).isEqualTo(R.Status.Success.getCode());
        return r.getData().getPartitionNamesList();
    }

    @SuppressWarnings("unchecked")
    static Map<Long, byte[]> query(MilvusServiceClient client, String collection, String partition, String expr,
                                   boolean binary) {
        var b = QueryParam.newBuilder().withCollectionName(collection).withExpr(expr)
                .withOutFields(List.of("id", "vector")).withLimit(16384L)
                .withConsistencyLevel(ConsistencyLevelEnum.STRONG);
        if (partition != null) {
            b.withPartitionNames(List.of(partition));
        }
        R<io.milvus.grpc.QueryResults> r = client.query(b.build());
        if (r.getStatus() != R.Status.Success.getCode()) {
            throw new IllegalStateException("query of " + collection + " failed: " + r.getMessage());
        }
        var out = new HashMap<Long, byte[]>();
        var w = new QueryResultsWrapper(r.getData());
        List<Long> ids = (List<Long>) w.getFieldWrapper("id").getFieldData();
        List<?> vectors = w.getFieldWrapper("vector").getFieldData();
        for (int i = 0; i < ids.size(); i++) {
            byte[] bytes;
            if (binary) {
                ByteBuffer v = ((ByteBuffer) vectors.get(i)).duplicate();
                v.clear();
                bytes = new byte[v.remaining()];
                v.get(bytes);
            } else {
                List<Float> f = (List<Float>) vectors.get(i);
                ByteBuffer v = ByteBuffer.allocate(f.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
                f.forEach(v::putFloat);
                bytes = v.array();
            }
            if (out.put(ids.get(i), bytes) != null) {
                throw new IllegalStateException("id " + ids.get(i) + " returned twice by " + collection);
            }
        }
        return out;
    }
}
