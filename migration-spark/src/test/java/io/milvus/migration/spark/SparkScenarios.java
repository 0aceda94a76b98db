package io.milvus.migration.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.client.MilvusServiceClient;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.checkpoint.CheckpointStores;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.storage.S3Storage;
import io.milvus.migration.Migration;
import io.milvus.migration.milvus1.Milvus1Fixture;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations every master runs, into the real S3-backed Milvus, staged in its bucket on S3Proxy; every row read
 * back. A subclass starts {@link #spark}.
 */
abstract class SparkScenarios {
    static SparkSession spark;
    static MilvusServiceClient client;
    @TempDir
    Path dir;

    static void stopAll() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aFaissIvfFileSplitAcrossTasksArrivesWholeThoughOneTaskFailsMidway() {
        String collection = "spark_ivf_" + getClass().getSimpleName().length() + "_" + ProcessHandle.current().pid();
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
    void aMilvus1DirectoryIsMigratedWithASplitPerSegment() {
        String collection = "spark_m1_" + getClass().getSimpleName().length() + "_" + ProcessHandle.current().pid();
        Milvus1Fixture fx = Milvus1Fixture.segments(dir.resolve("m1"), collection, 4, 300, 8);
        String root = fx.root.toString();
        String prefix = "spark-it/" + collection;
        try {
            // built from URIs: the executors build it again from them (no recipe given)
            Migration driver = Migration.builder().source(URI.create("milvus1:" + root)).staging(Peers.staging())
                    .stagingPrefix(prefix).target(Peers.target()).collectionName(collection + "_copy").build();
            MigrationReport report = SparkMigration.run(spark, driver);
            assertThat(report.collections()).containsExactly(collection + "_copy");

            Map<Long, byte[]> expected = fx.expectedRows(collection);
            assertThat(report.rowsLoaded()).isEqualTo(expected.size());
            Map<Long, Object> got = Peers.rows(client, collection + "_copy", "id", "vector");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            got.forEach((id, v) -> assertThat(Peers.littleEndian((float[]) v)).as("vector of %d", id)
                    .isEqualTo(expected.get(id)));
        } finally {
            Peers.drop(client, collection + "_copy");
        }
    }

    @Test
    void aMigrationOfObjectsNeedsARecipe() {
        var faiss = Runs.Faiss.of("spark_no_recipe");
        assertThatThrownBy(() -> SparkMigration.run(spark, faiss.driver().build()))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(io.milvus.migration.ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("its source was given as an object").hasMessageContaining("MigrationRecipe");
    }

    @Test
    void dataFramesAreWrittenIntoMilvusThroughBulkImport() {
        String floats = "spark_df_" + getClass().getSimpleName().length() + "_" + ProcessHandle.current().pid();
        String binaries = "spark_df_bin_" + getClass().getSimpleName().length() + "_" + ProcessHandle.current().pid();
        var schema = new StructType().add("id", DataTypes.LongType, false).add("tag", DataTypes.StringType)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false));
        var rows = new ArrayList<Row>();
        var expected = new HashMap<Long, float[]>();
        var random = new Random(7);
        for (long id = 0; id < 2000; id++) {
            float[] v = new float[8];
            var boxed = new ArrayList<Float>();
            for (int i = 0; i < 8; i++) {
                v[i] = random.nextFloat();
                boxed.add(v[i]);
            }
            expected.put(id * 3, v);
            rows.add(RowFactory.create(id * 3, "t" + (id % 10), boxed));
        }
        var binSchema = new StructType().add("id", DataTypes.LongType, false)
                .add("code", DataTypes.BinaryType, false);
        var binRows = new ArrayList<Row>();
        var expectedBin = new HashMap<Long, byte[]>();
        for (long id = 0; id < 300; id++) {
            byte[] b = {(byte) id, (byte) (id >> 8)};
            expectedBin.put(id, b);
            binRows.add(RowFactory.create(id, b));
        }
        try {
            spark.createDataFrame(rows, schema).repartition(3).write().format("milvus").mode("append")
                    .option("uri", Peers.target().toString()).option("collection", floats)
                    .option("staging", Peers.staging().toString()).option("stagingPrefix", "spark-it/" + floats)
                    .option("dimension", "8").save();
            spark.createDataFrame(binRows, binSchema).repartition(2).write().format("milvus").mode("append")
                    .option("uri", Peers.target().toString()).option("collection", binaries)
                    .option("staging", Peers.staging().toString()).option("stagingPrefix", "spark-it/" + binaries)
                    .option("dimension", "16").option("format", "numpy").save();

            Map<Long, Object> got = Peers.rows(client, floats, "id", "vector");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            got.forEach((id, v) -> assertThat((float[]) v).as("vector of %d", id).isEqualTo(expected.get(id)));
            assertThat(Peers.count(client, floats, "tag == \"t7\"")).isEqualTo(200);
            Map<Long, Object> gotBin = Peers.rows(client, binaries, "id", "code");
            assertThat(gotBin.keySet()).containsExactlyInAnyOrderElementsOf(expectedBin.keySet());
            gotBin.forEach((id, v) -> assertThat((byte[]) v).as("code of %d", id).isEqualTo(expectedBin.get(id)));
            assertThat(staged("spark-it/" + floats)).as("staged files are deleted").isEmpty();
        } finally {
            Peers.drop(client, floats);
            Peers.drop(client, binaries);
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
