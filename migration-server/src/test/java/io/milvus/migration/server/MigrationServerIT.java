package io.milvus.migration.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.response.GetCollStatResponseWrapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server in this JVM against the real test Milvus (MILVUS_URI, from scripts/milvus-server.sh): jobs through
 * /api/v2 and the Go tool's /api/v1 bodies land exactly the source's rows; cancel and resume; events; four jobs at
 * once while 200 status requests come in.
 */
class MigrationServerIT {
    static final String TOKEN = "it-token-31d9a7";
    static final int BIG_ROWS = 120_000;

    @TempDir
    static Path dir;
    static MigrationServer server;
    static Http http;
    static MilvusServiceClient milvus;
    static String uri;
    static Path bigIndex;
    static final List<String> collections = new ArrayList<>();
    static final String run = Long.toString(ProcessHandle.current().pid());

    @BeforeAll
    static void start() throws Exception {
        uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        server = MigrationServer.builder().port(0).token(TOKEN).maxConcurrentJobs(4)
                .checkpointFile(dir.resolve("jobs.db")).build().start();
        http = new Http(server.url(), TOKEN);
        bigIndex = dir.resolve("big.index");
        var p = new ProcessBuilder("bash", FaissFixtures.repoRoot().resolve("scripts/faiss-fixtures.sh").toString(),
                "--bench", Integer.toString(BIG_ROWS), "32", bigIndex.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (milvus != null) {
            for (String c : collections) {
                milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c).build());
            }
            milvus.close();
        }
    }

    /** A Go tool config of a Faiss file into a new collection; bulk files in small groups so that jobs take a while. */
    static String config(Path index, String collection, Path out) {
        collections.add(collection);
        return """
                dumper:
                  worker: {workMode: faiss, limit: 2, writer: {maxFileSize: 1}}
                loader:
                  worker: {limit: 2, maxStagedSize: 4}
                source:
                  mode: local
                  local: {faissFile: %s}
                target:
                  mode: local
                  local: {outputDir: %s}
                  milvus2x: {endpoint: '%s'}
                  create:
                    collection: {name: %s, shardsNum: 1}
                """.formatted(index, out, uri, collection);
    }

    static long rows(String collection) {
        var r = milvus.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(collection).withFlush(true).build());
        assertThat(r.getException()).isNull();
        return new GetCollStatResponseWrapper(r.getData()).getRowCount();
    }

    @Test
    void aJobThroughV2LandsExactlyTheRowsWithSplitsGroupsImportIdsAndEvents() throws Exception {
        String collection = "srv_v2_" + run;
        String id = "v2-" + run;
        Http.Reply r = http.post("/api/v2/jobs?jobId=" + id, "application/yaml",
                config(FaissFixtures.index("idmap_ivfflat"), collection, dir.resolve("v2")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        // the event stream, read while the job runs
        CompletableFuture<HttpResponse<Stream<String>>> events = HttpClient.newHttpClient().sendAsync(
                http.request("/api/v2/jobs/" + id + "/events").GET().build(), HttpResponse.BodyHandlers.ofLines());
        JsonNode job = http.awaitFinal(id, Duration.ofSeconds(120));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(rows(collection)).isEqualTo(1500);
        assertThat(job.get("progress").asInt()).isEqualTo(100);
        assertThat(job.get("rowsImported").asLong()).isEqualTo(1500);
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(job.get("collections").get(0).get("completed").asBoolean()).isTrue();
        assertThat(job.get("splits")).isNotEmpty().allMatch(s -> s.get("done").asBoolean());
        assertThat(job.get("groups")).isNotEmpty().allMatch(g -> g.get("state").asText().equals("COMMITTED")
                && !g.get("importId").asText().isEmpty());
        assertThat(job.get("elapsedMs").asLong()).isPositive();

        String stream = events.get(60, TimeUnit.SECONDS).body().collect(Collectors.joining("\n"));
        assertThat(stream).startsWith("event: job").contains("event: progress").contains("\"stage\":\"IMPORT\"")
                .contains("event: end").contains("SUCCEEDED");
        assertThat(http.get("/api/v2/jobs?state=SUCCEEDED").json().get("jobs").toString()).contains(id);
    }

    @Test
    void theGoToolsBodiesDumpLoadAndGetJob() throws Exception {
        String collection = "srv_v1_" + run;
        String yaml = config(FaissFixtures.index("idmap_ivfflat"), collection, dir.resolve("v1"));
        String body = Http.JSON.writeValueAsString(Map.of("requestId", "req-1", "async", false,
                "collectionNames", List.of(), "config", yaml));
        Http.Reply dump = http.post("/api/v1/dump", "application/json", body);
        assertThat(dump.status()).isEqualTo(200);
        assertThat(dump.json().get("code").asInt()).as(dump.body()).isZero();
        assertThat(dump.json().get("requestId").asText()).isEmpty(); // the Go tool takes it from the header
        String dumpId = dump.json().get("data").get("jobId").asText();
        assertThat(dumpId).startsWith("dump_");
        assertThat(http.get("/api/v1/get_job?jobId=" + dumpId).json().get("data").get("jobStatus").asText())
                .isEqualTo("success");

        String async = Http.JSON.writeValueAsString(Map.of("async", true, "config", yaml));
        Http.Reply load = http.send(http.request("/api/v1/load").header("RequestId", "req-2")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(async)));
        assertThat(load.json().get("code").asInt()).as(load.body()).isZero();
        assertThat(load.json().get("requestId").asText()).isEqualTo("req-2");
        String loadId = load.json().get("data").get("jobId").asText();
        JsonNode data = null;
        for (int i = 0; i < 600; i++) {
            data = http.get("/api/v1/get_job?jobId=" + loadId).json().get("data");
            if (!data.get("jobStatus").asText().equals("running") && !data.get("jobStatus").asText().equals("init")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(data.get("jobStatus").asText()).as(data.toString()).isEqualTo("success");
        assertThat(data.get("jobProcess").asInt()).isEqualTo(100);
        assertThat(data.get("msg").asText()).isEmpty();
        assertThat(data.fieldNames()).toIterable().containsExactly("jobId", "jobStatus", "jobProcess", "msg",
                "totalTasks", "finishTasks");
        assertThat(rows(collection)).isEqualTo(1500);
    }

    @Test
    void aCancelledJobIsResumableAndThenArrivesExactly() throws Exception {
        String collection = "srv_cancel_" + run;
        String id = "cancel-" + run;
        assertThat(http.post("/api/v2/jobs?jobId=" + id, "application/yaml",
                config(bigIndex, collection, dir.resolve("cancel"))).status()).isEqualTo(201);
        http.await(id, j -> j.get("rowsImported").asLong() > 0, Duration.ofSeconds(120));
        Http.Reply cancel = http.post("/api/v2/jobs/" + id + "/cancel", "application/json", "");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
        JsonNode stopped = http.awaitFinal(id, Duration.ofSeconds(120));
        assertThat(stopped.get("state").asText()).as(stopped.toString()).isEqualTo("CANCELLED");
        assertThat(stopped.get("resumable").asBoolean()).isTrue();
        assertThat(stopped.get("rowsImported").asLong()).isLessThan(BIG_ROWS);
        assertThat(http.post("/api/v2/jobs/" + id + "/cancel", "application/json", "").status()).isEqualTo(409);

        Http.Reply resume = http.post("/api/v2/jobs/" + id + "/resume", "application/json", "");
        assertThat(resume.status()).as(resume.body()).isEqualTo(202);
        JsonNode done = http.awaitFinal(id, Duration.ofSeconds(240));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(rows(collection)).isEqualTo(BIG_ROWS);
    }

    @Test
    void fourJobsAtOnceWhile200StatusRequestsAreAnswered() throws Exception {
        var ids = new ArrayList<String>();
        var names = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            String id = "four-" + i + "-" + run;
            String collection = "srv_four_" + i + "_" + run;
            ids.add(id);
            names.add(collection);
            Http.Reply r = http.post("/api/v2/jobs?jobId=" + id, "application/yaml",
                    config(FaissFixtures.index("idmap_ivfflat"), collection, dir.resolve("four-" + i)));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        http.await(ids.get(0), j -> j.get("state").asText().equals("RUNNING"), Duration.ofSeconds(60));
        var client = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newFixedThreadPool(32)).build();
        var replies = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            String path = switch (i % 4) {
                case 0 -> "/api/v2/jobs";
                case 1 -> "/api/v1/get_job?jobId=" + ids.get(i % 4);
                default -> "/api/v2/jobs/" + ids.get(i % 4);
            };
            replies.add(client.sendAsync(http.request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(replies).allSatisfy(f -> assertThat(f.join().statusCode()).as(f.join().body()).isEqualTo(200));
        boolean sawRunning = replies.stream().anyMatch(f -> f.join().body().contains("\"RUNNING\"")
                || f.join().body().contains("\"running\""));
        assertThat(sawRunning).as("status requests answered while jobs ran (%d ms)", ms).isTrue();
        for (int i = 0; i < 4; i++) {
            JsonNode job = http.awaitFinal(ids.get(i), Duration.ofSeconds(240));
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(rows(names.get(i))).isEqualTo(1500);
        }
        System.err.printf("200 status requests answered in %d ms while 4 jobs ran%n", ms);
    }
}
