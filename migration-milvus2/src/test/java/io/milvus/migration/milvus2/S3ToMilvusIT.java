package io.milvus.migration.milvus2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.Migration;
import io.milvus.migration.MigrationException;
import io.milvus.migration.MigrationReport;
import io.milvus.migration.faiss.FaissFixtures;
import io.milvus.migration.faiss.FaissSource;
import io.milvus.migration.storage.S3Storage;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The remote import path end to end: a Faiss file in the S3 server (S3Proxy), staged through {@link S3Storage} into
 * the bucket of a real Milvus whose object storage is that S3 server ({@code MILVUS_STORAGE=s3}, address in
 * {@code MILVUS_S3_URI}), imported by key. Needs the env of {@code scripts/s3-server.sh} and of the S3-mode
 * {@code scripts/milvus-server.sh}; fails without it.
 */
class S3ToMilvusIT {
    private static TestMilvus milvus;
    private static S3Storage bucket;
    private static final String RUN = "s3-it-" + UUID.randomUUID().toString().substring(0, 8);


    @BeforeAll
    static void connect() {
        milvus = new TestMilvus("MILVUS_S3_URI");
        String milvusBucket = env("MILVUS_S3_BUCKET");
        // the S3 server's bucket must be the one Milvus uses
        assertThat(env("S3_BUCKET")).isEqualTo(milvusBucket);
        bucket = S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint(env("S3_ENDPOINT")).bucket(milvusBucket)
                .credentials(env("S3_ACCESS_KEY"), env("S3_SECRET_KEY")).checkBucket(true).build();
    }

    @AfterAll
    static void disconnect() {
        if (bucket != null) {
            bucket.deletePrefix(RUN + "/");
            bucket.close();
        }
        if (milvus != null) {
            milvus.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ivfflat_l2", "idmap_flat"})
    void faissFileInS3MigratesThroughRemoteStagingIntoMilvus(String fixture) throws IOException {
        var expected = FaissFixtures.expected(fixture);
        String sourceKey = RUN + "/sources/" + fixture + ".index";
        bucket.upload(sourceKey, FaissFixtures.index(fixture));
        String collection = TestMilvus.uniqueName("s3_" + fixture);
        String stagingPrefix = RUN + "/staging";
        try (FaissSource source = FaissSource.builder().storage(bucket, sourceKey).collection(collection)
                .splitBytes(16 << 10).build();
             MilvusTarget target = milvus.target().build()) {
            MigrationReport report = Migration.builder()
                    .source(source).target(target).staging(bucket).stagingPrefix(stagingPrefix)
                    .maxFileBytes(64 << 10).parallelism(3)
                    .build().run();

            assertThat(report.rowsRead()).isEqualTo(expected.rows().size());
            assertThat(report.rowsLoaded()).isEqualTo(expected.rows().size());
            assertThat(report.stagedFiles()).isNotEmpty().allMatch(k -> k.startsWith(stagingPrefix + "/"));
            assertThat(report.staging()).startsWith("s3://" + bucket.bucket());
            assertThat(bucket.list(stagingPrefix + "/")).as("staged objects are deleted after success").isEmpty();

            assertThat(bucket.list(env("MILVUS_S3_ROOT_PATH") + "/")).as("Milvus keeps its data in the S3 server")
                    .isNotEmpty();
            Map<Long, float[]> got = milvus.readAll(collection, expected.rows().keySet(), "id", "vector");
            assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(expected.rows().keySet());
            got.forEach((id, vector) -> assertThat(expected.sameBits(id, vector))
                    .as("vector of id %d is Faiss's reconstruct output bit for bit", id).isTrue());
        } finally {
            milvus.drop(collection);
        }
    }

    @Test
    void failedRemoteImportKeepsTheStagedObjectsAndSaysWhere() throws IOException {
        String sourceKey = RUN + "/sources/flat_l2.index";
        bucket.upload(sourceKey, FaissFixtures.index("flat_l2"));
        String collection = TestMilvus.uniqueName("s3_fails");
        String stagingPrefix = RUN + "/kept";
        try (var source = FaissSource.builder().storage(bucket, sourceKey).collection(collection).build();
             var target = milvus.target().importPathPrefix("no-such-dir/").build()) {
            assertThatThrownBy(() -> Migration.builder().source(source).target(target).staging(bucket)
                    .stagingPrefix(stagingPrefix).build().run())
                    .isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.IMPORT_FAILED))
                    .hasMessageContaining("staged files kept under s3://" + bucket.bucket() + "/" + stagingPrefix + "/run-");
            assertThat(milvus.exists(collection)).isFalse();
            assertThat(bucket.list(stagingPrefix + "/")).anyMatch(k -> k.endsWith("vector.npy"));
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start scripts/s3-server.sh and the S3-mode "
                    + "scripts/milvus-server.sh (MILVUS_STORAGE=s3) and export their env; see scripts/test.sh");
        }
        return v;
    }
}
