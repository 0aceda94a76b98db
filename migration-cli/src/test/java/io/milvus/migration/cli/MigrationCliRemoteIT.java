package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.storage.S3Storage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Go tool's remote config end to end: the Faiss file sits in the S3 server ({@code source.mode: remote}), bulk
 * files are staged in the bucket of a Milvus that keeps its data there ({@code target.mode: remote}), and
 * {@code start} loads them. Needs {@code scripts/s3-server.sh} and the S3-mode Milvus (see scripts/test.sh).
 */
class MigrationCliRemoteIT {
    @TempDir
    Path dir;

    @Test
    void startReadsTheFaissFileFromS3AndStagesInMilvussBucket() {
        String run = "cli-remote-" + ProcessHandle.current().pid();
        String collection = "cli_remote_" + ProcessHandle.current().pid();
        try (S3Storage bucket = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(env("S3_ENDPOINT"))
                .bucket(env("MILVUS_S3_BUCKET")).credentials(env("S3_ACCESS_KEY"), env("S3_SECRET_KEY")).build()) {
            bucket.upload(run + "/faiss/ivf.index", FaissFixtures.index("ivfflat_ip"));
            String endpoint = env("S3_ENDPOINT").replaceFirst("^https?://", "");
            Path config = YamlConfig.faiss("ivfflat_ip", dir.resolve("unused"))
                    .remove("target.local")
                    .set("source.mode", "remote")
                    .remove("source.local")
                    .set("source.remote.cloud", "aws")
                    .set("source.remote.endpoint", endpoint)
                    .set("source.remote.bucket", env("MILVUS_S3_BUCKET"))
                    .set("source.remote.ak", env("S3_ACCESS_KEY"))
                    .set("source.remote.sk", env("S3_SECRET_KEY"))
                    .set("source.remote.useSSL", false)
                    .set("source.remote.faissFile", "/" + run + "/faiss/ivf.index")
                    .set("target.mode", "remote")
                    .set("target.remote.outputDir", run + "/output/")
                    .set("target.remote.cloud", "aws")
                    .set("target.remote.endpoint", endpoint)
                    .set("target.remote.region", "us-east-1")
                    .set("target.remote.bucket", env("MILVUS_S3_BUCKET"))
                    .set("target.remote.ak", env("S3_ACCESS_KEY"))
                    .set("target.remote.sk", env("S3_SECRET_KEY"))
                    .set("target.remote.useIAM", false)
                    .set("target.remote.useSSL", false)
                    .set("target.remote.checkBucket", true)
                    .set("target.create.collection.name", collection)
                    .set("target.create.collection.shardsNum", 1)
                    .set("target.create.collection.ifExists", "recreate")
                    .set("target.milvus2x.endpoint", env("MILVUS_S3_URI"))
                    .remove("target.milvus2x.username")
                    .remove("target.milvus2x.password")
                    .write(dir);

            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int exit = MigrationCli.run(new String[] {"start", "--config", config.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                            StandardCharsets.UTF_8), false, dir);

            String output = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("2000 rows loaded").doesNotContain(env("S3_SECRET_KEY"));
            assertThat(bucket.list(run + "/output/")).as("staged files are deleted after the load").isEmpty();
            bucket.deletePrefix(run + "/");
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        assertThat(v).as(name + " (start the peers as scripts/test.sh does)").isNotBlank();
        return v;
    }
}
