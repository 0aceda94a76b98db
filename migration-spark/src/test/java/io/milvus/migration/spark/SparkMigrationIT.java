package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.faiss.FaissFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migrations on {@code local[2,2]} (two task threads; a failed task is tried once more), and a driver that
 * stops and is run again.
 */
class SparkMigrationIT extends SparkScenarios {
    @BeforeAll
    static void start() {
        client = Peers.client();
        spark = Runs.session("local[2,2]", Map.of());
    }

    @AfterAll
    static void stop() {
        stopAll();
    }

    @Test
    void theCliMigrationYamlRunsAsSparkSubmitRunsIt() throws Exception {
        String collection = "spark_yaml_" + ProcessHandle.current().pid();
        String endpoint = Peers.env("S3_ENDPOINT").replaceFirst("^https?://", "");
        Path config = dir.resolve("migration.yaml");
        java.nio.file.Files.writeString(config, String.join("\n",
                "dumper:",
                "  worker:",
                "    workMode: faiss",
                "    limit: 2",
                "source:",
                "  mode: local",
                "  local:",
                "    faissFile: " + FaissFixtures.index(Runs.IVF),
                "target:",
                "  mode: remote",
                "  remote:",
                "    outputDir: spark-it/" + collection + "/",
                "    cloud: aws",
                "    endpoint: " + endpoint,
                "    region: us-east-1",
                "    bucket: " + Peers.env("MILVUS_S3_BUCKET"),
                "    ak: " + Peers.env("S3_ACCESS_KEY"),
                "    sk: " + Peers.env("S3_SECRET_KEY"),
                "    useIAM: false",
                "    useSSL: false",
                "  create:",
                "    collection:",
                "      name: " + collection,
                "      shardsNum: 1",
                "  milvus2x:",
                "    endpoint: " + Peers.env("MILVUS_S3_URI"),
                ""));
        try {
            MigrationReport report = SparkMigrationMain.run(spark, config, null);

            assertThat(report.rowsLoaded()).isEqualTo(FaissFixtures.expected(Runs.IVF).rows().size());
            Runs.assertAllRows(client, collection);
        } finally {
            Peers.drop(client, collection);
        }
    }

    @Test
    void aDriverThatStopsIsResumedFromTheCheckpointStoreWithoutDuplicates() {
        String collection = "spark_resume_" + ProcessHandle.current().pid();
        var faiss = Runs.Faiss.of(collection);
        Path db = dir.resolve("checkpoints.db");
        try {
            // every attempt of one split fails: the Spark job fails after other splits were imported
            String split = Runs.splitIds().get(1);
            var broken = faiss;
            try (var store = CheckpointStores.sqlite(db)) {
                assertThatThrownBy(() -> SparkMigration.run(spark, broken.driver().jobId("resume-me")
                        .checkpoints(store).build(), () -> broken.reading().transform(new AlwaysFail(split))
                        .build()))
                        .isInstanceOf(MigrationException.class).hasMessageContaining("can be resumed");
            }
            try (var store = CheckpointStores.sqlite(db)) {
                MigrationReport report = SparkMigration.run(spark, faiss.driver().jobId("resume-me")
                        .checkpoints(store).build(), faiss.recipe());
                assertThat(report.rowsLoaded()).isEqualTo(FaissFixtures.expected(Runs.IVF).rows().size());
            }
            Runs.assertAllRows(client, collection);
        } finally {
            Peers.drop(client, collection);
        }
    }

}
