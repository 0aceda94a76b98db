package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.QueryResults;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.milvus1.Milvus1Fixture;
import io.milvus.migration.spi.Batch;
import io.milvus.migration.spi.Column;
import io.milvus.migration.spi.Source;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import io.milvus.param.ConnectParam;
import io.milvus.param.IndexType;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.index.CreateIndexParam;
import io.milvus.response.GetCollStatResponseWrapper;
import io.milvus.response.QueryResultsWrapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI jar killed with SIGKILL twenty times at random moments of a {@code start} (reading, staging, submitting,
 * polling, counting), each kill followed by the same command: at the end the real Milvus holds exactly the source's
 * live rows, every vector bit for bit. Once a Faiss IVF index with the SQLite checkpoint store, once a Milvus 1.x
 * directory with the MariaDB one (started by scripts/mariadb-server.sh).
 */
class KillAndResumeIT {
    private static final int KILLS = 20;

    @TempDir
    Path dir;
    private MilvusServiceClient milvus;
    private String uri;
    private final List<String> collections = new ArrayList<>();

    @BeforeEach
    void connect() {
        uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterEach
    void dropAndClose() {
        collections.forEach(c -> milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c)
                .build()));
        milvus.close();
    }

    @Test
    void faissIndexKilledTwentyTimesArrivesExactlyWithSqliteCheckpoints() throws Exception {
        Path index = dir.resolve("ivf.index");
        var p = new ProcessBuilder("bash", repo().resolve("scripts/faiss-fixtures.sh").toString(), "--bench",
                "240000", "32", index.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        String collection = "kill_faiss_" + ProcessHandle.current().pid();
        collections.add(collection);
        Path config = YamlConfig.faiss("ivfflat_l2", dir.resolve("out"))
                .set("source.local.faissFile", index.toString())
                .set("target.create.collection.name", collection)
                .set("target.create.collection.dim", 32)
                .set("target.create.collection.shardsNum", 1)
                .set("target.milvus2x.endpoint", uri)
                .set("dumper.worker.writer.maxFileSize", 1)
                .set("loader.worker.maxStagedSize", 4)
                .set("checkpoint.mode", "sqlite")
                .set("checkpoint.sqliteFile", dir.resolve("jobs.db").toString())
                .remove("target.milvus2x.username")
                .remove("target.milvus2x.password")
                .write(dir);
        Map<Long, float[]> expected;
        try (var source = FaissSource.builder().file(index).collection(collection).build()) {
            expected = rows(source);
        }
        assertThat(expected).hasSize(240_000);
        killAndResume(config, "faiss-kills", collection, expected);
    }

    @Test
    void milvus1DirectoryKilledTwentyTimesArrivesExactlyWithMariadbCheckpoints() throws Exception {
        String url = System.getenv("MILVUS1_MYSQL_URL");
        assertThat(url).as("MILVUS1_MYSQL_URL (start MariaDB: scripts/mariadb-server.sh start)").isNotBlank();
        String collection = "kill_m1_" + ProcessHandle.current().pid();
        collections.add(collection);
        Milvus1Fixture fx = Milvus1Fixture.segments(dir.resolve("m1"), collection, 12, 8000, 32);
        Map<Long, float[]> expected = new HashMap<>();
        fx.expected.get(collection).values().forEach(rows -> rows.forEach((id, bytes) -> {
            float[] v = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            expected.put(id, v);
        }));
        assertThat(expected).hasSize(12 * (8000 - 5));
        String job = "m1-kills-" + ProcessHandle.current().pid();
        Path config = YamlConfig.milvus1(fx.root, dir.resolve("out"))
                .set("target.milvus2x.endpoint", uri)
                .set("dumper.worker.writer.maxFileSize", 1)
                .set("loader.worker.maxStagedSize", 4)
                .set("checkpoint.mode", "mysql")
                .set("checkpoint.mysqlUrl", url)
                .set("checkpoint.mysqlUser", System.getenv("MILVUS1_MYSQL_USER"))
                .set("checkpoint.mysqlPassword", System.getenv("MILVUS1_MYSQL_PASSWORD"))
                .remove("target.milvus2x.username")
                .remove("target.milvus2x.password")
                .write(dir);
        killAndResume(config, job, collection, expected);
    }

    private void killAndResume(Path config, String job, String collection, Map<Long, float[]> expected)
            throws Exception {
        long seed = System.nanoTime();
        var random = new Random(seed);
        int kills = 0;
        int runs = 0;
        var moments = new ArrayList<String>();
        while (kills < KILLS) {
            runs++;
            Process p = CliJar.start(dir, dir.resolve("run-" + runs + ".log"),
                    "start", "--config", config.toString(), "--job", job);
            long wait = 300 + random.nextInt(2200);
            if (p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                String output = Files.readString(dir.resolve("run-" + runs + ".log"));
                assertThat(p.exitValue()).as("run %d (seed %d) ended by itself: %s", runs, seed, output).isZero();
                break; // finished before the next kill: nothing left to interrupt
            }
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            kills++;
            moments.add(wait + "ms");
        }
        Path lastLog = dir.resolve("run-last.log");
        Process last = CliJar.start(dir, lastLog, "start", "--config", config.toString(), "--job", job);
        assertThat(last.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(lastLog);
        assertThat(last.exitValue()).as("final run (seed %d, kills at %s): %s", seed, moments, output).isZero();
        assertThat(kills).as("kills before the job finished (seed %d, at %s)", seed, moments).isEqualTo(KILLS);
        assertExactly(collection, expected);

        Path jobsLog = dir.resolve("jobs.log");
        Process jobs = CliJar.start(dir, jobsLog, "jobs", "--config", config.toString());
        assertThat(jobs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String listed = Files.readString(jobsLog);
        assertThat(listed).as(listed).contains(job + "  RUN  SUCCEEDED")
                .contains("rows read " + expected.size() + ", imported " + expected.size())
                .doesNotContain(String.valueOf(System.getenv("MILVUS1_MYSQL_PASSWORD")));
    }


    private void assertExactly(String collection, Map<Long, float[]> expected) {
        var stats = milvus.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(collection).withFlush(true).build());
        assertThat(new GetCollStatResponseWrapper(stats.getData()).getRowCount()).as("rows, duplicates included")
                .isEqualTo(expected.size());
        // the migration indexed and loaded it the source's way; a collection left without an index gets FLAT
        if (milvus.describeIndex(io.milvus.param.index.DescribeIndexParam.newBuilder().withCollectionName(collection)
                .build()).getStatus() != R.Status.Success.getCode()) {
            check(milvus.createIndex(CreateIndexParam.newBuilder().withCollectionName(collection)
                    .withFieldName("vector").withIndexType(IndexType.FLAT).withMetricType(MetricType.L2)
                    .withSyncMode(true).build()));
        }
        check(milvus.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(collection)
                .withSyncLoad(true).build()));
        var ids = new ArrayList<>(new TreeMap<>(expected).keySet());
        int found = 0;
        for (int from = 0; from < ids.size(); from += 8000) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 8000));
            R<QueryResults> r = milvus.query(QueryParam.newBuilder().withCollectionName(collection)
                    .withExpr("id in " + chunk).withOutFields(List.of("id", "vector"))
                    .withConsistencyLevel(io.milvus.common.clientenum.ConsistencyLevelEnum.STRONG).build());
            check(r);
            var rows = new QueryResultsWrapper(r.getData()).getRowRecords();
            assertThat(rows).as("rows for ids %d..%d", chunk.get(0), chunk.get(chunk.size() - 1))
                    .hasSize(chunk.size());
            for (var row : rows) {
                long id = (Long) row.get("id");
                @SuppressWarnings("unchecked")
                List<Float> got = (List<Float>) row.get("vector");
                float[] want = expected.get(id);
                assertThat(want).as("id %d is one of the source's", id).isNotNull();
                for (int i = 0; i < want.length; i++) {
                    assertThat(Float.floatToRawIntBits(got.get(i))).as("id %d float %d", id, i)
                            .isEqualTo(Float.floatToRawIntBits(want[i]));
                }
                found++;
            }
        }
        assertThat(found).isEqualTo(expected.size());
    }

    private static void check(R<?> r) {
        assertThat(r.getStatus()).as("%s", r.getException() == null ? "status " + r.getStatus()
                : r.getException().getMessage()).isEqualTo(R.Status.Success.getCode());
    }

    /** Every row of a source, read in-process (the source's own tests show it reads as Faiss does). */
    private static Map<Long, float[]> rows(Source source) {
        var out = new HashMap<Long, float[]>();
        for (var c : source.collections()) {
            for (Split s : source.splits(c)) {
                try (SplitReader r = source.open(s)) {
                    Optional<Batch> b;
                    while ((b = r.next(10_000)).isPresent()) {
                        long[] ids = ((Column.Longs) b.get().column("id")).values();
                        var v = (Column.FloatVectors) b.get().column("vector");
                        for (int i = 0; i < ids.length; i++) {
                            out.put(ids[i], java.util.Arrays.copyOfRange(v.values(), i * v.dimension(),
                                    (i + 1) * v.dimension()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/faiss-fixtures.sh"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root").isNotNull();
        return p;
    }
}
