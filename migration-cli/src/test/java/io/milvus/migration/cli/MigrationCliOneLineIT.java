package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.param.ConnectParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.GetCollectionStatisticsParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.dml.DeleteParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.DescIndexResponseWrapper;
import io.milvus.response.GetCollStatResponseWrapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate SOURCE TARGET} and {@code verify} from the packaged jar, against the real test Milvus. */
class MigrationCliOneLineIT {
    private static final Path JAR = Path.of("target/migration-cli.jar").toAbsolutePath();

    @TempDir
    Path dir;
    private MilvusServiceClient milvus;
    private String uri;
    private final String collection = "cli_oneline_" + ProcessHandle.current().pid();

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

    private String target() {
        URI u = URI.create(uri);
        return "milvus://" + u.getHost() + ":" + u.getPort() + "/default/" + collection;
    }

    private String source() {
        return "faiss:" + FaissFixtures.index("ivfflat_l2").toAbsolutePath();
    }

    @Test
    void dryRunPrintsThePlanAndTouchesNothing() throws Exception {
        Path stage = dir.resolve("stage");
        Result r = jar("migrate", source(), target(), "--staging", stage.toUri().toString(), "--dry-run");

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("collection " + collection)
                .contains("id INT64 primary key, vector FLOAT_VECTOR(24, L2)")
                .contains("rows:        3000 in ")
                .contains("file groups: ")
                .contains("IVF_FLAT/L2 {\"nlist\":16}")
                .contains("bulk import of files staged in local:" + stage);
        assertThat(exists()).as("no collection created").isFalse();
        assertThat(stage).as("nothing staged").doesNotExist();
    }

    @Test
    void migrateInOneLineThenVerifyPassesAndFailsNamingADeletedId() throws Exception {
        Result r = jar("migrate", source(), target(), "--staging", dir.resolve("stage").toUri().toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("migrate finished: 3000 rows read, 3000 rows loaded");
        assertThat(rows()).isEqualTo(3000);
        var index = new DescIndexResponseWrapper(milvus.describeIndex(DescribeIndexParam.newBuilder()
                .withCollectionName(collection).withFieldName("vector").build()).getData())
                .getIndexDescByFieldName("vector");
        assertThat(index.getIndexType().name()).isEqualTo("IVF_FLAT");
        assertThat(index.getExtraParam()).contains("\"nlist\":\"16\"");

        Result ok = jar("verify", source(), target());
        assertThat(ok.exit).as(ok.output).isZero();
        assertThat(ok.output).contains(collection + ": rows source 3000, target 3000; sample 1000/1000 equal")
                .contains("verify passed");
        var recall = Pattern.compile("recall@10 ([0-9.]+) over 100 queries").matcher(ok.output);
        assertThat(recall.find()).as(ok.output).isTrue();
        assertThat(Double.parseDouble(recall.group(1))).isGreaterThanOrEqualTo(0.99);

        // the same check from a config of the old tool's form
        Path config = YamlConfig.faiss("ivfflat_l2", dir.resolve("out"))
                .set("target.create.collection.name", collection)
                .set("target.milvus2x.endpoint", uri)
                .remove("target.milvus2x.username")
                .remove("target.milvus2x.password").write(dir);
        Result byConfig = jar("verify", "-c", config.toString(), "--queries", "0");
        assertThat(byConfig.exit).as(byConfig.output).isZero();
        assertThat(byConfig.output).contains("verify passed");

        var deleted = milvus.delete(DeleteParam.newBuilder().withCollectionName(collection).withExpr("id in [1234]")
                .build());
        assertThat(deleted.getStatus()).as("delete id 1234").isZero();
        Result bad = jar("verify", source(), target(), "--sample", "3000", "--queries", "0");
        assertThat(bad.exit).as(bad.output).isEqualTo(1);
        assertThat(bad.output).contains("verify failed: id 1234 is missing from collection " + collection)
                .contains("verify failed: collection " + collection + " partition _default: the source has 3000"
                        + " rows, the target 2999");
    }

    private boolean exists() {
        return milvus.hasCollection(HasCollectionParam.newBuilder().withCollectionName(collection).build())
                .getData();
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
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 5 minutes:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
