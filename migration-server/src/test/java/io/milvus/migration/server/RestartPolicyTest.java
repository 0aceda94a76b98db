package io.milvus.migration.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.spi.CheckpointStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs the server's store says were queued or running when it stopped (as a killed server leaves them): resumed on
 * start by default, or marked INTERRUPTED and resumed on request.
 */
class RestartPolicyTest {
    @TempDir
    Path dir;

    /** The store as a server killed while running a dump job leaves it. */
    private void killedWhileRunning(Path db, String id) throws Exception {
        var request = Map.of("verb", "DUMP", "config", MigrationServerTest.dumpConfig("flat_l2", dir.resolve(id)),
                "submitted", "2026-01-01T00:00:00Z", "origin", "v2", "requestId", "");
        var status = Map.of("state", "RUNNING", "code", "", "error", "", "updated", "2026-01-01T00:00:01Z");
        try (CheckpointStore store = CheckpointStores.sqlite(db)) {
            store.write(id, List.of(
                    new CheckpointStore.Entry(JobService.KIND, "request", Http.JSON.writeValueAsString(request)),
                    new CheckpointStore.Entry(JobService.KIND, "status", Http.JSON.writeValueAsString(status))));
        }
    }

    @Test
    void byDefaultAJobThatWasRunningIsResumedOnStart() throws Exception {
        Path db = dir.resolve("resume.db");
        killedWhileRunning(db, "was-running");
        try (MigrationServer server = MigrationServer.builder().port(0).token("t-resume").checkpointFile(db).build()
                .start()) {
            JsonNode job = new Http(server.url(), "t-resume").awaitFinal("was-running", Duration.ofSeconds(60));
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("rowsRead").asLong()).isEqualTo(1000);
        }
    }

    @Test
    void markedInterruptedItWaitsForResume() throws Exception {
        Path db = dir.resolve("mark.db");
        killedWhileRunning(db, "was-running");
        try (MigrationServer server = MigrationServer.builder().port(0).token("t-mark").checkpointFile(db)
                .onRestart(MigrationServer.OnRestart.MARK_INTERRUPTED).build().start()) {
            var http = new Http(server.url(), "t-mark");
            JsonNode job = http.get("/api/v2/jobs/was-running").json();
            assertThat(job.get("state").asText()).isEqualTo("INTERRUPTED");
            assertThat(job.get("resumable").asBoolean()).isTrue();
            assertThat(job.get("error").get("message").asText()).contains("resume it");
            assertThat(http.get("/api/v2/jobs?state=INTERRUPTED").json().get("jobs")).hasSize(1);
            assertThat(http.post("/api/v2/jobs/was-running/resume", "application/json", "").status()).isEqualTo(202);
            JsonNode done = http.awaitFinal("was-running", Duration.ofSeconds(60));
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        }
    }
}
