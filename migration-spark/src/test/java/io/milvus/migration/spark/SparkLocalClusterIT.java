package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;

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
class SparkLocalClusterIT extends SparkScenarios {
    @TempDir
    static Path home;

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
        stopAll();
    }

    /**
     * The executor JVM reading a split is killed midway (its files partly staged): the worker starts another
     * executor, Spark runs the task again, and Milvus holds every row once.
     */
    @Test
    void anExecutorKilledDuringATaskIsReplacedAndNoRowIsDuplicated() {
        String collection = "spark_kill_" + ProcessHandle.current().pid();
        String split = Runs.splitIds().get(0);
        var faiss = Runs.Faiss.of(collection).killingExecutorOfFirstAttemptOf(split, dir);
        try {
            var report = SparkMigration.run(spark, faiss.driver().build(), faiss.recipe());
            assertThat(FailFirstAttempt.failed(dir, split)).as("an executor was killed").isTrue();
            assertThat(report.rowsLoaded()).isEqualTo(
                    io.milvus.migration.faiss.FaissFixtures.expected(Runs.IVF).rows().size());
            Runs.assertAllRows(client, collection);
        } finally {
            Peers.drop(client, collection);
        }
    }

    @Test
    void tasksRunInTwoExecutorJvmsOtherThanThisOne() {
        var pids = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(java.util.List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
                .map(x -> {
                    Thread.sleep(200);
                    return ProcessHandle.current().pid();
                }).distinct().collect();
        assertThat(pids).hasSize(2).doesNotContain(ProcessHandle.current().pid());
    }
}
