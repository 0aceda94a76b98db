package io.milvus.migration.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.response.GetCollStatResponseWrapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job page in a real browser (Debian's chromium headless, driven by npm playwright-core; scripts/browser.sh
 * installs both) against a server in this JVM and the real test Milvus. Keeps target/job-page.png.
 */
class JobPageBrowserIT {
    private static final String TOKEN = "page-token-0c7d55";
    private static final String PASSWORD = "Page-PW-4a91e2";

    @TempDir
    Path dir;

    @Test
    void submitWatchCancelAndResumeInTheBrowser() throws Exception {
        String uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        Path repo = FaissFixtures.repoRoot();
        run(dir.resolve("install.log"), "bash", repo.resolve("scripts/browser.sh").toString(), "install");
        String pid = Long.toString(ProcessHandle.current().pid());
        String ok = "page_ok_" + pid;
        String cancelled = "page_cancel_" + pid;
        Path screenshot = Path.of("target/job-page.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        var milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        try (MigrationServer server = MigrationServer.builder().port(0).token(TOKEN).maxConcurrentJobs(1)
                     .checkpointFile(dir.resolve("jobs.db")).build().start()) {
            try {
                var pb = new ProcessBuilder("node", repo.resolve("migration-server/src/test/browser/job-page.cjs")
                        .toString()).redirectErrorStream(true).redirectOutput(dir.resolve("page.log").toFile());
                var env = pb.environment();
                env.put("BASE_URL", server.url());
                env.put("TOKEN", TOKEN);
                env.put("CONFIG_OK", config(FaissFixtures.index("idmap_ivfflat"), ok, uri));
                env.put("CONFIG_CANCEL", config(FaissFixtures.index("flat_l2"), cancelled, uri));
                env.put("SECRET", PASSWORD);
                env.put("SCREENSHOT", screenshot.toString());
                env.put("CHROMIUM", "/usr/bin/chromium");
                env.put("PLAYWRIGHT_CORE", repo.resolve(".peers/playwright/node_modules/playwright-core").toString());
                Process node = pb.start();
                assertThat(node.waitFor(300, TimeUnit.SECONDS)).as("the browser test ends").isTrue();
                String log = Files.readString(dir.resolve("page.log"));
                assertThat(node.exitValue()).as(log).isZero();
                assertThat(log).contains("page-cancel is CANCELLED").contains("page-ok is SUCCEEDED at 100 %")
                        .contains("page-cancel is SUCCEEDED after resume");
                assertThat(screenshot).exists().isNotEmptyFile();
                assertThat(count(milvus, ok)).isEqualTo(1500);
                assertThat(count(milvus, cancelled)).isEqualTo(1000);
                Path serverLog = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/server-its.log"));
                assertThat(Files.readString(serverLog)).contains("page-ok").doesNotContain(PASSWORD)
                        .doesNotContain(TOKEN);
            } finally {
                for (String c : new String[] {ok, cancelled}) {
                    milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(c).build());
                }
                milvus.close();
            }
        }
    }

    private static String config(Path index, String collection, String uri) {
        return """
                dumper:
                  worker: {workMode: faiss}
                source:
                  mode: local
                  local: {faissFile: %s}
                target:
                  mode: local
                  local: {outputDir: %s}
                  milvus2x: {endpoint: '%s', username: root, password: %s}
                  create:
                    collection: {name: %s, shardsNum: 1}
                """.formatted(index, Path.of("target", collection).toAbsolutePath(), uri, PASSWORD, collection);
    }

    private static long count(MilvusServiceClient milvus, String collection) {
        var r = milvus.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(collection).withFlush(true).build());
        return new GetCollStatResponseWrapper(r.getData()).getRowCount();
    }

    private static void run(Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    }
}
