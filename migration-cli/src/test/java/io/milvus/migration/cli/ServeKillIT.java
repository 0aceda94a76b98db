package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.response.GetCollStatResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar migration-cli.jar serve} killed with SIGKILL while a job imports into the real Milvus, then
 * started again in the same directory: the job is resumed and the collection holds exactly the source's rows.
 */
class ServeKillIT {
    private static final Path JAR = Path.of("target/migration-cli.jar").toAbsolutePath();
    private static final String TOKEN = "kill-it-token-8e21";
    private static final int ROWS = 120_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private MilvusServiceClient milvus;
    private String uri;
    private final String collection = "serve_kill_" + ProcessHandle.current().pid();
    private Process server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void connect() {
        uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
        milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
        milvus.close();
    }

    @Test
    void aServerKilledMidJobResumesItAfterARestartAndTheRowsArriveExactly() throws Exception {
        Path index = dir.resolve("big.index");
        var p = new ProcessBuilder("bash", FaissFixtures.repoRoot().resolve("scripts/faiss-fixtures.sh").toString(),
                "--bench", Integer.toString(ROWS), "32", index.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        String config = """
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
                """.formatted(index, dir.resolve("out"), uri, collection);

        String base = serve("serve-1.log");
        HttpResponse<String> submitted = http.send(request(base, "/api/v2/jobs?jobId=killed")
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(config)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        JsonNode before = await(base, j -> j.get("rowsImported").asLong() > 0, Duration.ofSeconds(120));
        assertThat(before.get("rowsImported").asLong()).isLessThan(ROWS);
        server.destroyForcibly(); // SIGKILL, mid-job
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        base = serve("serve-2.log");
        JsonNode done = await(base, j -> !j.get("state").asText().equals("RUNNING")
                && !j.get("state").asText().equals("QUEUED"), Duration.ofSeconds(240));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempts").asInt()).as("resumed, not restarted").isEqualTo(2);
        assertThat(done.get("rowsImported").asLong()).isEqualTo(ROWS);
        var stats = milvus.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(collection).withFlush(true).build());
        assertThat(new GetCollStatResponseWrapper(stats.getData()).getRowCount()).isEqualTo(ROWS);
        assertThat(Files.readString(dir.resolve("serve-2.log"))).doesNotContain(TOKEN);
    }

    /** Starts the jar's server on a free port in {@code dir}; returns its base URL once it listens. */
    private String serve(String log) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(List.of("java", "-jar", JAR.toString(), "serve", "--port", "0"))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        pb.environment().put("MIGRATION_SERVER_TOKEN", TOKEN);
        server = pb.start();
        Pattern listening = Pattern.compile("listening on (http://\\S+)");
        for (int i = 0; i < 300; i++) {
            Matcher m = listening.matcher(Files.readString(dir.resolve(log)));
            if (m.find()) {
                return m.group(1);
            }
            assertThat(server.isAlive()).as(Files.readString(dir.resolve(log))).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not start: " + Files.readString(dir.resolve(log)));
    }

    private HttpRequest.Builder request(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(60));
    }

    private JsonNode await(String base, Predicate<JsonNode> until, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = http.send(request(base, "/api/v2/jobs/killed").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                job = JSON.readTree(r.body());
                if (until.test(job)) {
                    return job;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job did not get there within " + timeout + "; last: " + job);
    }
}
