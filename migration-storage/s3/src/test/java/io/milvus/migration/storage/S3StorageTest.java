package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** What S3Storage decides without a server: URIs, endpoints, settings, descriptions without secrets. */
class S3StorageTest {

    @Test
    void s3UrisAreServedByTheFactoryFoundThroughServiceLoader() {
        URI uri = URI.create("s3://my-bucket/some/prefix/?region=eu-west-1");
        var factories = ServiceLoader.load(StorageFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.supports(uri)).toList();
        assertThat(factories).hasSize(1).first().isInstanceOf(S3StorageFactory.class);
        try (var storage = (S3Storage) factories.get(0).create(uri)) {
            assertThat(storage.bucket()).isEqualTo("my-bucket");
            assertThat(storage.prefix()).isEqualTo("some/prefix");
            assertThat(storage.endpoint()).isEqualTo(URI.create("https://s3.eu-west-1.amazonaws.com"));
            assertThat(storage.describe()).isEqualTo("s3://my-bucket/some/prefix");
            assertThat(storage.toString()).startsWith("s3://my-bucket/some/prefix (S3 at https://s3.eu-west-1");
        }
        assertThat(new S3StorageFactory().supports(URI.create("file:/tmp"))).isFalse();
    }

    @Test
    void uriParametersSetEndpointCloudAndStyle() {
        try (var storage = S3StorageFactory.builderFor(URI.create(
                "s3://b?endpoint=http%3A%2F%2F127.0.0.1%3A9000&cloud=minio&pathStyle=true&region=us-east-1")).build()) {
            assertThat(storage.prefix()).isEmpty();
            assertThat(storage.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
            assertThat(storage.toString()).isEqualTo("s3://b (MinIO at http://127.0.0.1:9000, region us-east-1)");
        }
        assertThatThrownBy(() -> S3StorageFactory.builderFor(URI.create("s3://b/p?secret=x")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("unknown parameter secret")
                .hasMessageNotContaining("=x");
        assertThatThrownBy(() -> S3StorageFactory.builderFor(URI.create("s3://ak:sk@b/p")))
                .isInstanceOf(MigrationException.class).hasMessageNotContaining("sk@")
                .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> S3StorageFactory.builderFor(URI.create("s3:///p")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("no bucket");
        assertThatThrownBy(() -> S3StorageFactory.builderFor(URI.create("s3://b/p?pathStyle=yes")))
                .isInstanceOf(MigrationException.class).hasMessageContaining("pathStyle");
    }

    @Test
    void cloudsDeriveTheirEndpoints() {
        assertThat(endpoint(S3Storage.builder().cloud(S3Storage.Cloud.ALIYUN).region("cn-hangzhou")))
                .isEqualTo("https://oss-cn-hangzhou.aliyuncs.com");
        assertThat(endpoint(S3Storage.builder().cloud(S3Storage.Cloud.TENCENT).region("ap-shanghai")))
                .isEqualTo("https://cos.ap-shanghai.myqcloud.com");
        assertThat(endpoint(S3Storage.builder().cloud(S3Storage.Cloud.TENCENT).region("ap-shanghai").useSsl(false)))
                .isEqualTo("http://cos.ap-shanghai.myqcloud.com");
        assertThat(endpoint(S3Storage.builder().cloud(S3Storage.Cloud.MINIO).endpoint("minio:9000").useSsl(false)))
                .isEqualTo("http://minio:9000");
        assertThat(endpoint(S3Storage.builder().endpoint("https://s3.example.com"))).isEqualTo("https://s3.example.com");
        assertThat(S3StorageFactory.cloud("ali")).isEqualTo(S3Storage.Cloud.ALIYUN);
        assertThat(S3StorageFactory.cloud("tc")).isEqualTo(S3Storage.Cloud.TENCENT);
        assertThatThrownBy(() -> S3Storage.builder().cloud(S3Storage.Cloud.MINIO).bucket("b").build())
                .isInstanceOf(MigrationException.class).hasMessageContaining("endpoint");
    }

    @Test
    void secretsAppearNeitherInDescriptionNorInErrors() {
        try (var storage = S3Storage.builder().bucket("b").prefix("/x/").cloud(S3Storage.Cloud.MINIO)
                .endpoint("http://127.0.0.1:1").credentials("AKIDEXAMPLE", "wJalrXUtnFEMI-secret")
                .sessionToken("session-token-secret").maxAttempts(1).build()) {
            assertThat(storage.toString()).startsWith(storage.describe())
                    .doesNotContain("wJalrXUtnFEMI-secret").doesNotContain("session-token-secret")
                    .contains("s3://b/x");
            assertThatThrownBy(() -> storage.write("k/a.npy", new byte[3]))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("s3://b/x/k/a.npy").hasMessageContaining("127.0.0.1:1")
                    .hasMessageNotContaining("wJalrXUtnFEMI-secret").hasMessageNotContaining("session-token-secret")
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.STORAGE_IO));
            assertThatThrownBy(() -> storage.read("../outside"))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("outside");
        }
    }

    @Test
    void settingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> S3Storage.builder().partSize(1 << 20)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("partSize");
        assertThatThrownBy(() -> S3Storage.builder().pageSize(1001)).isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> S3Storage.builder().maxAttempts(0)).isInstanceOf(MigrationException.class);
        assertThatThrownBy(() -> S3Storage.builder().build()).isInstanceOf(MigrationException.class)
                .hasMessageContaining("bucket");
    }

    private static String endpoint(S3Storage.Builder b) {
        try (S3Storage s = b.bucket("b").build()) {
            return s.endpoint().toString();
        }
    }
}
