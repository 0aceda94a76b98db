package io.milvus.migration.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.faiss.FaissFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server over real HTTP without a Milvus: auth, typed 4xx for bad input, the Go tool's reply shape, the OpenAPI
 * description and page, dump jobs (which need no target) kept across a restart, and secrets masked everywhere.
 */
class MigrationServerTest {
    static final String TOKEN = "unit-test-token-5b1e";
    static final String MILVUS_PASSWORD = "Milv-PW-9f2c41";
    static final String S3_SECRET = "S3-SK-77aa03bd";
    static final String S3_ACCESS = "AKIA-c0ffee42";

    @TempDir
    static Path dir;
    static MigrationServer server;
    static Http http;
    static final List<String> replies = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = newServer().start();
        http = new Http(server.url(), TOKEN);
    }

    static MigrationServer newServer() {
        return MigrationServer.builder().port(0).token(TOKEN).maxBodyBytes(64 * 1024)
                .checkpointFile(dir.resolve("jobs.db")).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The Go tool's Faiss config for a dump of a fixture into {@code out}. */
    static String dumpConfig(String fixture, Path out) {
        return """
                dumper:
                  worker: {workMode: faiss, limit: 2}
                source:
                  mode: local
                  local: {faissFile: %s}
                target:
                  mode: local
                  local: {outputDir: %s}
                  milvus2x: {endpoint: 127.0.0.1:1, username: root, password: %s}
                  create:
                    collection: {name: unit_dump}
                """.formatted(FaissFixtures.index(fixture), out, MILVUS_PASSWORD);
    }

    private static Http.Reply seen(Http.Reply r) {
        replies.add(r.body());
        return r;
    }

    @Test
    void aTokenIsRequiredUnlessLoopbackOnlyIsChosenOnALoopbackHost() {
        assertThatThrownBy(() -> MigrationServer.builder().build()).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG)).hasMessageContaining("token");
        assertThatThrownBy(() -> MigrationServer.builder().host("0.0.0.0").allowLoopbackWithoutToken(true).build())
                .hasMessageContaining("not a loopback address");
        assertThat(MigrationServer.builder().allowLoopbackWithoutToken(true).build()).isNotNull();
        assertThat(MigrationServer.builder().token("abc-secret").build().toString()).doesNotContain("abc-secret");
    }

    @Test
    void withoutATokenOnLoopbackRequestsNeedNone() {
        try (MigrationServer open = MigrationServer.builder().port(0).allowLoopbackWithoutToken(true)
                .checkpointFile(dir.resolve("open.db")).build().start()) {
            assertThat(new Http(open.url(), null).get("/api/v2/jobs").status()).isEqualTo(200);
        }
    }

    @Test
    void healthyAnswersAsTheGoTool() {
        Http.Reply r = new Http(server.url(), null).send(new Http(server.url(), null).request("/api/v1/healthy")
                .header("RequestId", "req-7").GET());
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("code").asInt()).isZero();
        assertThat(j.get("msg").asText()).isEqualTo("success");
        assertThat(j.get("data").asText()).isEqualTo("ok");
        assertThat(j.get("requestId").asText()).isEqualTo("req-7");
    }

    @Test
    void everyApiCallButHealthyAndTheDescriptionNeedsTheToken() {
        var anonymous = new Http(server.url(), null);
        var wrong = new Http(server.url(), "not-the-token");
        for (String path : List.of("/api/v2/jobs", "/api/v2/jobs/x", "/api/v1/get_job?jobId=x",
                "/api/v2/jobs/x/events")) {
            for (Http h : List.of(anonymous, wrong)) {
                Http.Reply r = h.get(path);
                assertThat(r.status()).as(path).isEqualTo(401);
                assertThat(r.json().get("code").asText()).isIn("UNAUTHORIZED", "401");
            }
        }
        assertThat(anonymous.post("/api/v2/jobs", "application/yaml", "a: b").status()).isEqualTo(401);
        assertThat(anonymous.post("/api/v1/start", "application/json", "{}").json().get("code").asInt())
                .isEqualTo(401);
        assertThat(anonymous.get("/api/v2/openapi.json").status()).isEqualTo(200);
        assertThat(anonymous.get("/").status()).isEqualTo(200);
    }

    @Test
    void aBadConfigIsA400NamingTheKeyAndNothingStarts() {
        Http.Reply missing = seen(http.post("/api/v2/jobs", "application/yaml", "source: {mode: local}\n"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("code").asText()).isEqualTo("INVALID_CONFIG");
        assertThat(missing.json().get("message").asText()).contains("'target'");

        String badLimit = dumpConfig("flat_l2", dir.resolve("x")).replace("limit: 2", "limit: many");
        Http.Reply r = seen(http.post("/api/v2/jobs", "application/yaml", badLimit));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("'dumper.worker.limit'").contains("whole number");

        String unknown = dumpConfig("flat_l2", dir.resolve("x")).replace("workMode: faiss", "workMode: faiss, speed: 9");
        assertThat(seen(http.post("/api/v2/jobs", "application/yaml", unknown)).json().get("message").asText())
                .contains("'dumper.worker.speed'").contains("not a known setting");

        Http.Reply json = seen(http.post("/api/v2/jobs", "application/json", """
                {"dumper": {"worker": {"workMode": "faiss"}}, "source": {"mode": "tape"},
                 "target": {"mode": "local", "local": {"outputDir": "/tmp/x"}, "milvus2x": {"endpoint": "h:1"}}}"""));
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.json().get("message").asText()).contains("'source.mode'");

        Http.Reply malformed = seen(http.post("/api/v2/jobs", "application/json", "{\"source\": "));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asText()).isEqualTo("INVALID_CONFIG");

        Http.Reply checkpoint = seen(http.post("/api/v2/jobs", "application/yaml", dumpConfig("flat_l2",
                dir.resolve("x")) + "checkpoint: {mode: sqlite, sqliteFile: /tmp/other.db}\n"));
        assertThat(checkpoint.status()).isEqualTo(400);
        assertThat(checkpoint.json().get("message").asText()).contains("'checkpoint'");

        Http.Reply badId = seen(http.post("/api/v2/jobs?jobId=..bad", "application/yaml", dumpConfig("flat_l2",
                dir.resolve("x"))));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().get("message").asText()).contains("jobId");

        assertThat(http.post("/api/v2/jobs?verb=copy", "application/yaml", "a: b").json().get("message").asText())
                .contains("verb");
        assertThat(http.post("/api/v2/jobs", "application/yaml", "").status()).isEqualTo(400);
        assertThat(http.get("/api/v2/jobs").json().get("jobs").toString()).doesNotContain("..bad");
    }

    @Test
    void checkingAConfigDoesNoIo() throws Exception {
        // neither the file nor the S3 server exists: the check passes at once, the job fails when it runs
        String config = """
                dumper:
                  worker: {workMode: faiss}
                source:
                  mode: local
                  local: {faissFile: %s}
                target:
                  mode: remote
                  remote: {outputDir: out, cloud: aws, endpoint: 'http://127.0.0.1:1', region: us-east-1,
                           bucket: b, ak: %s, sk: %s, useSSL: false, checkBucket: true}
                  milvus2x: {endpoint: 127.0.0.1:1, password: %s}
                """.formatted(dir.resolve("absent.index"), S3_ACCESS, S3_SECRET, MILVUS_PASSWORD);
        long t0 = System.nanoTime();
        Http.Reply r = seen(http.post("/api/v2/jobs?jobId=no-io&verb=dump", "application/yaml", config));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        JsonNode job = http.awaitFinal("no-io", Duration.ofSeconds(60));
        seen(http.get("/api/v2/jobs/no-io"));
        assertThat(job.get("state").asText()).isEqualTo("FAILED");
        assertThat(job.get("error").get("code").asText()).isEqualTo("SOURCE_IO");
        assertThat(job.get("error").get("message").asText()).contains("absent.index");
        assertThat(job.get("config").get("target").get("remote").get("sk").asText()).isEqualTo("***");
        assertThat(job.get("config").get("target").get("remote").get("ak").asText()).isEqualTo("***");
        assertThat(job.get("config").get("target").get("milvus2x").get("password").asText()).isEqualTo("***");
        assertThat(job.get("resumable").asBoolean()).isTrue();
        seen(http.get("/api/v2/jobs"));
        seen(http.get("/api/v1/get_job?jobId=no-io"));
        seen(http.get("/api/v2/jobs/no-io/events"));
        assertNoSecrets();
    }

    @Test
    void unknownJobsAre404AndOtherPathsToo() {
        assertThat(http.get("/api/v2/jobs/nope").status()).isEqualTo(404);
        assertThat(http.get("/api/v2/jobs/nope").json().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(http.post("/api/v2/jobs/nope/cancel", "application/json", "").status()).isEqualTo(404);
        assertThat(http.post("/api/v2/jobs/nope/resume", "application/json", "").status()).isEqualTo(404);
        assertThat(http.get("/api/v2/jobs/nope/events").status()).isEqualTo(404);
        Http.Reply v1 = http.get("/api/v1/get_job?jobId=nope");
        assertThat(v1.status()).isEqualTo(404);
        assertThat(v1.json().get("msg").asText()).contains("nope");
        assertThat(http.get("/api/v1/get_job").json().get("msg").asText()).contains("jobId");
        assertThat(http.get("/api/v3/else").status()).isEqualTo(404);
        assertThat(http.get("/api/v2/jobs/a%2Fb").status()).isBetween(400, 404);
    }

    @Test
    void wrongMethodsAre405AndLargeBodies413() {
        Http.Reply r = http.send("DELETE", "/api/v2/jobs", null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(http.send("PUT", "/api/v2/jobs/x/cancel", "{}").status()).isEqualTo(405);
        Http.Reply big = http.post("/api/v2/jobs", "application/yaml", "a: '" + "x".repeat(70_000) + "'");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void goToolBodiesThatAreWrongAre400InItsShape() {
        for (String body : List.of("{\"async\": \"yes\"}", "[1]", "{\"requestId\": 5}", "{\"async\": true",
                "{\"collectionNames\": \"a\"}", "{\"config\": 7}")) {
            Http.Reply r = http.post("/api/v1/start", "application/json", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("code").asInt()).as(body).isEqualTo(400);
            assertThat(r.json().has("msg")).isTrue();
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(http.post("/api/v1/dump", "application/json", "{\"async\": true}").json().get("msg").asText())
                .contains("config");
    }

    @Test
    void theDescriptionAndThePageAreServed() throws IOException {
        JsonNode spec = new Http(server.url(), null).get("/api/v2/openapi.json").json();
        assertThat(spec.get("openapi").asText()).startsWith("3.");
        assertThat(spec.get("paths").fieldNames()).toIterable().contains("/api/v1/healthy", "/api/v1/start",
                "/api/v1/dump", "/api/v1/load", "/api/v1/get_job", "/api/v2/jobs", "/api/v2/jobs/{id}",
                "/api/v2/jobs/{id}/cancel", "/api/v2/jobs/{id}/resume", "/api/v2/jobs/{id}/events");
        Http.Reply page = http.get("/");
        assertThat(page.type()).startsWith("text/html");
        assertThat(page.body()).contains("Milvus migration jobs").contains("/api/v2/jobs");
    }

    @Test
    void aDumpJobSucceedsAndIsStillListedAfterARestart() throws Exception {
        Path out = dir.resolve("dump-out");
        Http.Reply r = seen(http.post("/api/v2/jobs?jobId=dump-1&verb=dump", "application/yaml",
                dumpConfig("flat_l2", out)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("state").asText()).isIn("QUEUED", "RUNNING");
        JsonNode job = http.awaitFinal("dump-1", Duration.ofSeconds(60));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("verb").asText()).isEqualTo("DUMP");
        assertThat(job.get("progress").asInt()).isEqualTo(100);
        assertThat(job.get("rowsRead").asLong()).as(job.toString()).isEqualTo(1000);
        assertThat(out.resolve("manifest.json")).exists();

        assertThat(http.post("/api/v2/jobs?jobId=dump-1&verb=dump", "application/yaml",
                dumpConfig("flat_l2", out)).status()).isEqualTo(409);
        assertThat(http.post("/api/v2/jobs/dump-1/resume", "application/json", "").status()).isEqualTo(409);
        assertThat(http.post("/api/v2/jobs/dump-1/cancel", "application/json", "").status()).isEqualTo(409);
        String events = http.get("/api/v2/jobs/dump-1/events").body();
        assertThat(events).contains("event: job").contains("event: end").contains("SUCCEEDED");

        server.close();
        server = newServer().start();
        http = new Http(server.url(), TOKEN);
        JsonNode again = http.get("/api/v2/jobs/dump-1").json();
        assertThat(again.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(http.get("/api/v2/jobs?state=SUCCEEDED").json().get("jobs").toString()).contains("dump-1");
        assertThat(http.get("/api/v2/jobs?state=running").json().get("jobs").toString()).doesNotContain("dump-1");
        JsonNode v1 = http.get("/api/v1/get_job?jobId=dump-1").json().get("data");
        assertThat(v1.get("jobStatus").asText()).isEqualTo("success");
        assertThat(v1.get("jobProcess").asInt()).isEqualTo(100);
        assertThat(v1.get("totalTasks").asInt()).isEqualTo(v1.get("finishTasks").asInt()).isPositive();
        assertNoSecrets();
    }

    /** No reply seen so far, nor the server's log, shows a secret of a submitted config. */
    static void assertNoSecrets() throws IOException {
        for (String body : replies) {
            assertThat(body).doesNotContain(MILVUS_PASSWORD).doesNotContain(S3_SECRET).doesNotContain(S3_ACCESS)
                    .doesNotContain(TOKEN);
        }
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/server-tests.log"));
        assertThat(log).as("the tests' log file (slf4j-simple, set in the pom)").exists();
        assertThat(Files.readString(log)).doesNotContain(MILVUS_PASSWORD).doesNotContain(S3_SECRET)
                .doesNotContain(S3_ACCESS).doesNotContain(TOKEN).contains("job ");
    }
}
