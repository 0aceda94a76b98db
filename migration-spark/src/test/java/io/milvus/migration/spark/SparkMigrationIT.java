package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.storage.S3Storage;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations on {@code local[2,2]} (two task threads, a failed task tried once more) into the real S3-backed
 * Milvus, staged in its bucket on S3Proxy; every row read back.
 */
class SparkMigrationIT {
    static SparkSession spark;
    static MilvusServiceClient client;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        client = Peers.client();
        spark = Runs.session("local[2,2]", Map.of());
    }

    @AfterAll
    static void stop() {
        spark.stop();
        client.close();
    }

    @Test
    void aFaissIvfFileSplitAcrossTasksArrivesWholeThoughOneTaskFailsMidway() {
        String collection = "spark_ivf_" + ProcessHandle.current().pid();
        String split = Runs.splitIds().get(0);
        var faiss = Runs.Faiss.of(collection).failingFirstAttemptOf(split, dir);
        try {
            MigrationReport report = SparkMigration.run(spark, faiss.driver().build(), faiss.recipe());

            int rows = FaissFixtures.expected(Runs.IVF).rows().size();
            assertThat(FailFirstAttempt.failed(dir, split)).as("a task failed").isTrue();
            assertThat(report.rowsLoaded()).isEqualTo(rows);
            Runs.assertAllRows(client, collection);
            assertThat(staged(faiss.prefix())).as("staged files, the failed attempt's too, are deleted").isEmpty();
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

    static java.util.List<String> staged(String prefix) {
        try (S3Storage bucket = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(Peers.env("S3_ENDPOINT"))
                .bucket(Peers.env("MILVUS_S3_BUCKET")).credentials(Peers.env("S3_ACCESS_KEY"),
                        Peers.env("S3_SECRET_KEY")).build()) {
            return bucket.list(prefix + "/").stream().map(Object::toString).toList();
        }
    }
}
