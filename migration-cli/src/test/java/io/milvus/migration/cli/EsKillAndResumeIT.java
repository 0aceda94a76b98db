package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.grpc.QueryResults;
import io.milvus.migration.es.EsFixture;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.response.GetCollStatResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar migrating an Elasticsearch 8.19 index ({@code ES8_URL}) into the real Milvus ({@code MILVUS_URI}) with
 * the Go tool's Elasticsearch config, in two slices read by point-in-time pages, killed with SIGKILL once the first
 * file groups are imported, and started again with the same job: each slice goes on after the last sort values it
 * recorded, and Milvus holds every document once with its vector bit for bit.
 */
class EsKillAndResumeIT {
    private static final int DOCS = 30_000;
    private static final int DIM = 16;

    @TempDir
    Path dir;
    private MilvusServiceClient milvus;
    private EsFixture es;
    private String index;

    @BeforeEach
    void connect() {
        String uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        es = EsFixture.of("es8");
        index = "kill_es_" + ProcessHandle.current().pid();
    }

    @AfterEach
    void dropAndClose() {
        milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(index).build());
        es.delete(index);
        milvus.close();
    }

    @Test
    void aMigrationKilledInsideItsSlicesResumesAfterTheirLastSortValues() throws Exception {
        es.create(index, "{\"dynamic\":false,\"properties\":{\"n\":{\"type\":\"long\"},"
                + "\"v\":{\"type\":\"dense_vector\",\"dims\":" + DIM + ",\"index\":false}}}", 2);
        var expected = new HashMap<String, float[]>();
        es.bulk(index, DOCS, i -> {
            float[] v = vector(i);
            var list = new ArrayList<Float>(DIM);
            for (float f : v) {
                list.add(f);
            }
            expected.put("d" + i, v);
            return Map.of("_id", "d" + i, "n", (long) i, "v", list);
        });
        Path config = dir.resolve("migration.yaml");
        Files.writeString(config, """
                dumper:
                  worker:
                    workMode: elasticsearch
                    limit: 2
                    reader:
                      bufferSize: 500
                    writer:
                      maxFileSize: 1
                meta:
                  mode: config
                  version: 8.19.0
                  index: %s
                  fields:
                    - name: n
                      type: long
                    - name: v
                      type: dense_vector
                      dims: %d
                  milvus:
                    closeDynamicField: true
                source:
                  es:
                    urls:
                      - %s
                target:
                  mode: local
                  local:
                    outputDir: %s
                  milvus2x:
                    endpoint: %s
                checkpoint:
                  mode: sqlite
                  sqliteFile: %s
                """.formatted(index, DIM, System.getenv("ES8_URL"), dir.resolve("stage"),
                System.getenv("MILVUS_URI").replaceFirst("^http://", ""), dir.resolve("jobs.db")));
        String job = "es-kill-" + ProcessHandle.current().pid();

        Process first = CliJar.start(dir, dir.resolve("run-1.log"), "start", "-c", config.toString(), "--job", job);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && first.isAlive() && rows() == 0) {
            Thread.sleep(100);
        }
        assertThat(first.isAlive()).as("the first run is still reading: %s",
                Files.readString(dir.resolve("run-1.log"))).isTrue();
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long atKill = rows();
        assertThat(atKill).as("killed in the middle").isBetween(1L, DOCS - 1L);

        Process second = CliJar.start(dir, dir.resolve("run-2.log"), "start", "-c", config.toString(), "--job", job);
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(dir.resolve("run-2.log"));
        assertThat(second.exitValue()).as(output).isZero();
        assertExactly(expected);
    }

    private static float[] vector(int i) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) Math.sin(i * 0.37 + d) * 100;
        }
        return v;
    }

    /** Rows the target holds, flushed first; 0 before the collection exists. */
    private long rows() {
        R<Boolean> has = milvus.hasCollection(HasCollectionParam.newBuilder().withCollectionName(index).build());
        if (has.getData() == null || !has.getData()) {
            return 0;
        }
        var stats = milvus.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(index).withFlush(true).build());
        return stats.getData() == null ? 0 : new GetCollStatResponseWrapper(stats.getData()).getRowCount();
    }

    /** count(*) counts a document written twice twice; every vector equal bit for bit. */
    private void assertExactly(Map<String, float[]> expected) {
        check(milvus.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(index).withSyncLoad(true)
                .build()));
        R<QueryResults> count = milvus.query(QueryParam.newBuilder().withCollectionName(index).withExpr("")
                .withOutFields(List.of("count(*)")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
        check(count);
        assertThat(((Number) new QueryResultsWrapper(count.getData()).getFieldWrapper("count(*)").getFieldData()
                .get(0)).longValue()).as("documents in Milvus, a duplicate counted twice").isEqualTo(DOCS);
        int found = 0;
        for (long from = 0; from < DOCS; from += 10_000) {
            R<QueryResults> r = milvus.query(QueryParam.newBuilder().withCollectionName(index)
                    .withExpr("n >= " + from + " && n < " + (from + 10_000)).withOutFields(List.of("_id", "v"))
                    .withLimit(16_384L).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build());
            check(r);
            for (var row : new QueryResultsWrapper(r.getData()).getRowRecords()) {
                String id = (String) row.get("_id");
                @SuppressWarnings("unchecked")
                List<Float> got = (List<Float>) row.get("v");
                float[] want = expected.get(id);
                assertThat(want).as("document %s", id).isNotNull();
                for (int i = 0; i < DIM; i++) {
                    assertThat(Float.floatToRawIntBits(got.get(i))).as("%s float %d", id, i)
                            .isEqualTo(Float.floatToRawIntBits(want[i]));
                }
                found++;
            }
        }
        assertThat(found).isEqualTo(DOCS);
    }


    private static void check(R<?> r) {
        assertThat(r.getStatus()).as("%s", r.getException() == null ? "status " + r.getStatus()
                : r.getException().getMessage()).isEqualTo(R.Status.Success.getCode());
    }
}
