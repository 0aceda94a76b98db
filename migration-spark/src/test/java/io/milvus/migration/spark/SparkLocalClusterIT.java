package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.faiss.FaissFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same migrations on {@code local-cluster[2,1,1024]}: a standalone master and two workers in this JVM, each
 * executor a JVM of its own, so everything shipped to executors really goes through serialization, and the
 * executors build their own sources and storage from the recipe and their own environment.
 *
 * <p>local-cluster from Maven artifacts alone: Spark launches executors with the class path of a Spark
 * distribution ({@code $SPARK_HOME/jars}), which a Maven build has not. With {@code SPARK_TESTING=1} (set by the pom)
 * the launcher does not require that directory, takes {@code spark.test.home} as the Spark home (any directory) and
 * {@code SPARK_SCALA_VERSION}; the executors' class path is then this JVM's, through
 * {@code spark.executor.extraClassPath}.
 */
class SparkLocalClusterIT {
    static SparkSession spark;
    static MilvusServiceClient client;
    @TempDir
    static Path home;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        client = Peers.client();
        Files.createDirectories(home);
        System.setProperty("spark.test.home", home.toString());
        spark = Runs.session("local-cluster[2,1,1024]", Map.of(
                "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.executor.extraJavaOptions",
                "-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider",
                "spark.task.maxFailures", "2"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        client.close();
    }

    @Test
    void aFaissIvfFileReadByTwoExecutorJvmsArrivesWholeThoughOneTaskFailsMidway() {
        String collection = "spark_cluster_ivf_" + ProcessHandle.current().pid();
        String split = Runs.splitIds().get(1);
        var faiss = Runs.Faiss.of(collection).failingFirstAttemptOf(split, dir);
        try {
            MigrationReport report = SparkMigration.run(spark, faiss.driver().build(), faiss.recipe());

            assertThat(FailFirstAttempt.failed(dir, split)).as("a task failed").isTrue();
            assertThat(report.rowsLoaded()).isEqualTo(FaissFixtures.expected(Runs.IVF).rows().size());
            Runs.assertAllRows(client, collection);
            assertThat(executorHosts()).as("executors").hasSize(2);
        } finally {
            Peers.drop(client, collection);
        }
    }

    /** The executors (not the driver) that ran. */
    static java.util.List<String> executorHosts() {
        var infos = spark.sparkContext().statusTracker().getExecutorInfos();
        var list = new java.util.ArrayList<String>();
        for (var info : infos) {
            list.add(info.host() + ":" + info.port());
        }
        return list.subList(Math.min(1, list.size()), list.size()); // the first is the driver
    }
}
