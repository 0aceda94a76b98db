package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.grpc.DataType;
import io.milvus.grpc.QueryResults;
import io.milvus.param.ConnectParam;
import io.milvus.param.IndexType;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.collection.CreateCollectionParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.FieldType;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.InsertParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.index.CreateIndexParam;
import io.milvus.param.partition.CreatePartitionParam;
import io.milvus.response.GetCollStatResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar copying a collection between two real Milvus 2.3.5 servers (source {@code MILVUS_SOURCE_URI}, target
 * {@code MILVUS_URI}) with the Go tool's {@code milvus2x} config, by insert, killed with SIGKILL in the middle and
 * started again with the same job: the copy continues after the last key each split recorded, and the target holds
 * every source row once, every vector bit for bit.
 */
class Milvus2KillAndResumeIT {
    private static final int ROWS = 120_000;
    private static final int DIM = 16;

    @TempDir
    Path dir;
    private MilvusServiceClient src;
    private MilvusServiceClient dst;
    private String name;

    @BeforeEach
    void connect() {
        String s = System.getenv("MILVUS_SOURCE_URI");
        String d = System.getenv("MILVUS_URI");
        assertThat(s).as("MILVUS_SOURCE_URI (the source Milvus, started by scripts/test.sh)").isNotBlank();
        assertThat(d).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        src = new MilvusServiceClient(ConnectParam.newBuilder().withUri(s).build());
        dst = new MilvusServiceClient(ConnectParam.newBuilder().withUri(d).build());
        name = "kill_m2_" + ProcessHandle.current().pid();
    }

    @AfterEach
    void dropAndClose() {
        src.dropCollection(DropCollectionParam.newBuilder().withCollectionName(name).build());
        dst.dropCollection(DropCollectionParam.newBuilder().withCollectionName(name + "_copy").build());
        src.close();
        dst.close();
    }

    @Test
    void aCopyKilledInTheMiddleResumesAfterTheLastKeys() throws Exception {
        Map<Long, float[]> expected = fixture();
        Path config = dir.resolve("migration.yaml");
        Files.writeString(config, """
                dumper:
                  worker:
                    workMode: milvus2x
                    limit: 2
                    reader:
                      bufferSize: 500
                meta:
                  mode: config
                  version: 2.3.5
                  collection: %s
                  milvus:
                    collection: %s_copy
                source:
                  milvus2x:
                    endpoint: %s
                    grpc:
                      maxCallRecvMsgSize: 67108864
                target:
                  milvus2x:
                    endpoint: %s
                    writeMode: insert
                checkpoint:
                  mode: sqlite
                  sqliteFile: %s
                """.formatted(name, name, System.getenv("MILVUS_SOURCE_URI"), System.getenv("MILVUS_URI"),
                dir.resolve("jobs.db")));
        String job = "m2-kill-" + ProcessHandle.current().pid();
        String copy = name + "_copy";

        Process first = CliJar.start(dir, dir.resolve("run-1.log"), "start", "-c", config.toString(), "--job", job);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && first.isAlive() && !exists(copy)) {
            Thread.sleep(50);
        }
        Thread.sleep(1_500); // rows are being inserted now
        assertThat(first.isAlive()).as("the first run is still copying: %s",
                Files.readString(dir.resolve("run-1.log"))).isTrue();
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long atKill = rows(copy);
        assertThat(atKill).as("killed in the middle").isBetween(1L, ROWS - 1L);

        Process second = CliJar.start(dir, dir.resolve("run-2.log"), "start", "-c", config.toString(), "--job", job);
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("run-2.log"));
        assertThat(second.exitValue()).as(output).isZero();
        assertExactly(copy, expected);
    }

    /** 120,000 rows in the default partition and p1, inserted in batches of 10,000, indexed and loaded. */
    private Map<Long, float[]> fixture() {
        check(src.createCollection(CreateCollectionParam.newBuilder().withCollectionName(name).withFieldTypes(List.of(
                FieldType.newBuilder().withName("id").withDataType(DataType.Int64).withPrimaryKey(true).build(),
                FieldType.newBuilder().withName("vector").withDataType(DataType.FloatVector).withDimension(DIM)
                        .build())).build()));
        check(src.createPartition(CreatePartitionParam.newBuilder().withCollectionName(name).withPartitionName("p1")
                .build()));
        var random = new Random(5);
        var expected = new HashMap<Long, float[]>();
        for (int from = 0; from < ROWS; from += 10_000) {
            var ids = new ArrayList<Long>();
            var vectors = new ArrayList<List<Float>>();
            for (int r = from; r < from + 10_000; r++) {
                long id = r * 7L - 300_000; // negative and positive keys
                float[] v = new float[DIM];
                var list = new ArrayList<Float>(DIM);
                for (int i = 0; i < DIM; i++) {
                    v[i] = random.nextFloat();
                    list.add(v[i]);
                }
                ids.add(id);
                vectors.add(list);
                expected.put(id, v);
            }
            check(src.insert(InsertParam.newBuilder().withCollectionName(name)
                    .withPartitionName(from % 20_000 == 0 ? "_default" : "p1")
                    .withFields(List.of(new InsertParam.Field("id", ids), new InsertParam.Field("vector", vectors)))
                    .build()));
        }
        check(src.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("vector")
                .withIndexType(IndexType.IVF_FLAT).withMetricType(MetricType.L2).withExtraParam("{\"nlist\":32}")
                .withSyncMode(false).build()));
        check(src.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).withSyncLoad(true)
                .build()));
        return expected;
    }

    private boolean exists(String collection) {
        R<Boolean> r = dst.hasCollection(HasCollectionParam.newBuilder().withCollectionName(collection).build());
        return r.getData() != null && r.getData();
    }

    /** Rows the target holds, flushed first (upserts counted as they are until compaction). */
    private long rows(String collection) {
        var stats = dst.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(collection).withFlush(true).build());
        return stats.getData() == null ? 0 : new GetCollStatResponseWrapper(stats.getData()).getRowCount();
    }

    /** count(*) is the number of distinct keys held (a key written twice would count twice); every vector equal. */
    private void assertExactly(String collection, Map<Long, float[]> expected) {
        check(dst.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(collection).withSyncLoad(true)
                .build()));
        R<QueryResults> count = dst.query(QueryParam.newBuilder().withCollectionName(collection).withExpr("")
                .withOutFields(List.of("count(*)")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        check(count);
        assertThat(((Number) new QueryResultsWrapper(count.getData()).getFieldWrapper("count(*)").getFieldData()
                .get(0)).longValue()).as("rows in the target, a duplicate counted twice").isEqualTo(ROWS);
        var ids = new ArrayList<>(expected.keySet());
        int found = 0;
        for (int from = 0; from < ids.size(); from += 8000) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 8000));
            R<QueryResults> r = dst.query(QueryParam.newBuilder().withCollectionName(collection)
                    .withExpr("id in " + chunk).withOutFields(List.of("id", "vector"))
                    .withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
            check(r);
            for (var row : new QueryResultsWrapper(r.getData()).getRowRecords()) {
                long id = (Long) row.get("id");
                @SuppressWarnings("unchecked")
                List<Float> got = (List<Float>) row.get("vector");
                float[] want = expected.get(id);
                for (int i = 0; i < DIM; i++) {
                    assertThat(Float.floatToRawIntBits(got.get(i))).as("id %d float %d", id, i)
                            .isEqualTo(Float.floatToRawIntBits(want[i]));
                }
                found++;
            }
        }
        assertThat(found).isEqualTo(ROWS);
    }


    private static void check(R<?> r) {
        assertThat(r.getStatus()).as("%s", r.getException() == null ? "status " + r.getStatus()
                : r.getException().getMessage()).isEqualTo(R.Status.Success.getCode());
    }
}
