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
