package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.response.GetCollStatResponseWrapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, {@code migration-cli/target/migration-cli.jar}, against the real test Milvus. */
class MigrationCliJarIT {
    private static final Path JAR = Path.of("target/migration-cli.jar").toAbsolutePath();

    @TempDir
    Path dir;
    private MilvusServiceClient milvus;
    private String uri;
    private final String collection = "cli_jar_" + ProcessHandle.current().pid();

    @BeforeEach
    void connect() {
        uri = System.getenv("MILVUS_URI");
        assertThat(uri).as("MILVUS_URI (start the test Milvus: scripts/milvus-server.sh start)").isNotBlank();
        milvus = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
    }

    @AfterEach
    void dropAndClose() {
        milvus.dropCollection(DropCollectionParam.newBuilder().withCollectionName(collection).build());
        milvus.close();
    }

    @Test
    void startMigratesTheOldToolsYamlIntoMilvus() throws Exception {
        Path config = config("idmap_ivfflat").write(dir);
        Result r = jar("start", "--config", config.toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("1500 rows loaded");
        assertThat(rows()).isEqualTo(1500);
    }

    @Test
    void outputIsQuietPlainAndTheLibraryLogIsInLogsMigrationLog() throws Exception {
        Path config = config("idmap_ivfflat").write(dir);
        Result r = jar("start", "-c", config.toString());

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).as("no escape sequences when not on a terminal").doesNotContain("\u001b")
                .doesNotContain("\r");
        assertThat(r.output.lines()).as(r.output).hasSizeLessThanOrEqualTo(8)
                .noneMatch(l -> l.contains("io.milvus.") || l.contains("SLF4J") || l.contains(" INFO "))
                .last().asString().startsWith("start finished: 1500 rows read, 1500 rows loaded");
        assertThat(Files.readString(dir.resolve("logs/migration.log")))
                .startsWith("---- migration-cli start -c ").contains("INFO ").contains("io.milvus.migration.");
    }

    @Test
    void verboseShowsTheLibraryLogOnTheConsole() throws Exception {
        Path config = config("idmap_ivfflat").write(dir);
        Result r = jar("dump", "--verbose", "--config=" + config);

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains(" INFO ").contains("io.milvus.migration.").doesNotContain("\u001b");
        assertThat(dir.resolve("logs")).doesNotExist();
    }

    @Test
    void helpAndUsageErrorsFromTheJar() throws Exception {
        Result help = jar("load", "--help");
        assertThat(help.exit).isZero();
        assertThat(help.output).contains("-c, --config FILE").contains("default: configs/migration.yaml");

        Result bad = jar("load", "--cfg", "x.yaml");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.output).contains("unknown option '--cfg' for load");
    }

    /**
     * After a successful start, outputDir holds nothing: no staged files and no empty run directory. Fails while
     * DefaultMigrationEngine leaves its empty {@code run-<time>-<hex>/} behind (the engine rewrite removes it).
     */
    @Test
    void startLeavesNothingInOutputDir() throws Exception {
        Path config = config("idmap_ivfflat").write(dir);
        Result r = jar("start", "--config", config.toString());
        assertThat(r.exit).as(r.output).isZero();

        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (var left = Files.list(out)) {
                assertThat(left.map(p -> dir.relativize(p).toString())).as("left in outputDir").isEmpty();
            }
        }
    }

    @Test
    void dumpThenLoadGoThroughTheOutputDir() throws Exception {
        Path config = config("ivfflat_l2").write(dir);
        Result dump = jar("dump", "--config", config.toString());
        assertThat(dump.exit).as(dump.output).isZero();
        assertThat(dir.resolve("out/manifest.json")).exists();

        Result load = jar("load", "--config=" + config);
        assertThat(load.exit).as(load.output).isZero();
        assertThat(rows()).isEqualTo(3000);
    }

    private YamlConfig config(String fixture) {
        return YamlConfig.faiss(fixture, dir.resolve("out"))
                .set("target.create.collection.name", collection)
                .set("target.create.collection.shardsNum", 1)
                .set("target.milvus2x.endpoint", uri)
                .remove("target.milvus2x.username")
                .remove("target.milvus2x.password");
    }

    private long rows() {
        var r = milvus.getCollectionStatistics(GetCollectionStatisticsParam.newBuilder()
                .withCollectionName(collection).withFlush(true).build());
        return new GetCollStatResponseWrapper(r.getData()).getRowCount();
    }

    private record Result(int exit, String output) {
    }

    private Result jar(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the runnable jar built by mvn package").exists();
        Path log = dir.resolve("cli.log");
        var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        // the temporary directory as working directory: logs/migration.log goes there
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 5 minutes:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
