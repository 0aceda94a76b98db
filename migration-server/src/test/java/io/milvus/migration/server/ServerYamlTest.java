package io.milvus.migration.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.yaml}: every key maps onto the builder; a bad key or value names it and never the token. */
class ServerYamlTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("server.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void everyKeyTakesEffect() throws Exception {
        Files.writeString(dir.resolve("migration.yaml"), """
                source: {mode: local, local: {faissFile: /data/a.index}}
                target: {mode: local, local: {outputDir: /data/out}, milvus2x: {endpoint: 127.0.0.1:19530}}
                """);
        Path file = write("""
                host: 127.0.0.1
                port: 0
                token: yaml-token-77
                maxConcurrentJobs: 3
                maxBodyKB: 16
                onRestart: interrupt
                migrationConfig: migration.yaml
                checkpoint: {mode: sqlite, sqliteFile: %s}
                """.formatted(dir.resolve("server-jobs.db")));
        try (MigrationServer server = MigrationServer.builder(file).build().start()) {
            assertThat(server.toString()).doesNotContain("yaml-token-77");
            var http = new Http(server.url(), "yaml-token-77");
            assertThat(http.get("/api/v2/jobs").status()).isEqualTo(200);
            assertThat(http.post("/api/v2/jobs", "application/yaml", "a: '" + "x".repeat(17 * 1024) + "'").status())
                    .isEqualTo(413);
            // /api/v1 without a config in the body runs the server's migrationConfig: here a missing Faiss file
            var reply = http.post("/api/v1/dump", "application/json", "{\"async\": false}").json();
            assertThat(reply.get("code").asInt()).isEqualTo(500);
            assertThat(reply.get("msg").asText()).contains("/data/a.index");
        }
        assertThat(dir.resolve("server-jobs.db")).exists();
    }

    @Test
    void badKeysAndValuesAreNamed() throws Exception {
        assertInvalid("prot: 8080\n", "'prot'");
        assertInvalid("port: http\n", "'port'");
        assertInvalid("onRestart: later\n", "'onRestart'");
        assertInvalid("allowLoopbackWithoutToken: maybe\n", "'allowLoopbackWithoutToken'");
        assertInvalid("migrationConfig: absent.yaml\n", "'migrationConfig'");
        assertInvalid("token: [secret-in-a-list\n", "cannot read");
        assertThatThrownBy(() -> MigrationServer.builder(write("port: 0\n")).build())
                .hasMessageContaining("token"); // unless MIGRATION_SERVER_TOKEN is set, which the build does not do
    }

    private void assertInvalid(String yaml, String named) throws Exception {
        Path file = write(yaml + "token: t0ken-value\n");
        assertThatThrownBy(() -> MigrationServer.builder(file)).isInstanceOfSatisfying(MigrationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG)).hasMessageContaining(named)
                .hasMessageNotContaining("t0ken-value").hasMessageNotContaining("secret-in-a-list");
    }
}
