package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.Migration;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.spi.Transform;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** What the Spark tests share: sessions and the Faiss migration both the driver and the executors build. */
final class Runs {
    static final String IVF = "ivfflat_l2";
    static final long SPLIT_BYTES = 96 << 10;

    private Runs() {
    }

    static SparkSession session(String master, Map<String, String> conf) {
        var b = SparkSession.builder().master(master).appName("migration-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        conf.forEach(b::config);
        return b.getOrCreate();
    }

    /**
     * A Faiss IVF migration cut into several splits and small files (several groups per split), staged under its
     * own prefix of Milvus's bucket. Plain serializable data: the executors rebuild the migration from it.
     */
    record Faiss(String file, String collection, String prefix, String failSplit, String markerDir,
                 boolean killExecutor) implements Serializable {
        static Faiss of(String collection) {
            return new Faiss(FaissFixtures.index(IVF).toString(), collection, "spark-it/" + collection, "", "",
                    false);
        }

        Faiss failingFirstAttemptOf(String split, Path markers) {
            return new Faiss(file, collection, prefix, split, markers.toString(), false);
        }

        /** As {@link #failingFirstAttemptOf}, by killing the executor's JVM instead (executors of their own only). */
        Faiss killingExecutorOfFirstAttemptOf(String split, Path markers) {
            return new Faiss(file, collection, prefix, split, markers.toString(), true);
        }

        Migration.Builder reading() {
            var b = Migration.builder()
                    .source(FaissSource.builder().file(Path.of(file)).splitBytes(SPLIT_BYTES).build())
                    .staging(Peers.staging()).stagingPrefix(prefix).collectionName(collection)
                    .batchBytes(8 << 10).maxFileBytes(128 << 10);
            if (!failSplit.isEmpty()) {
                Transform t = new FailFirstAttempt(failSplit, markerDir, killExecutor);
                b.transform(t);
            }
            return b;
        }

        MigrationRecipe recipe() {
            Faiss self = this;
            return () -> self.reading().build();
        }

        Migration.Builder driver() {
            return reading().target(Peers.target()).pollInterval(java.time.Duration.ofMillis(200));
        }
    }

    /** The split ids of the fixture as {@link Faiss} cuts it (three or more). */
    static java.util.List<String> splitIds() {
        try (var source = FaissSource.builder().file(FaissFixtures.index(IVF)).splitBytes(SPLIT_BYTES).build()) {
            var ids = source.splits(source.collections().get(0)).stream().map(s -> s.id()).toList();
            assertThat(ids).hasSizeGreaterThanOrEqualTo(3);
            return ids;
        }
    }

    /** Checks that the collection holds exactly the fixture's rows, bit for bit. */
    static void assertAllRows(io.milvus.client.MilvusServiceClient client, String collection) {
        FaissFixtures.Expected expected = FaissFixtures.expected(IVF);
        Map<Long, Object> got = Peers.rows(client, collection, "id", "vector");
        assertThat(got.keySet()).as("ids in %s", collection).containsExactlyInAnyOrderElementsOf(
                expected.rows().keySet());
        got.forEach((id, v) -> assertThat(expected.sameBits(id, (float[]) v)).as("vector of id %d", id).isTrue());
    }
}
