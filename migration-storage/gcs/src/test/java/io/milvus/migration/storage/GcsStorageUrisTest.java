package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.StorageFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** URI parsing of the GCS factory, and that descriptions never show secrets. No server needed. */
class GcsStorageUrisTest {
    @Test
    void factoriesAreFoundByServiceLoader() {
        var names = ServiceLoader.load(StorageFactory.class).stream().map(p -> p.type().getSimpleName()).toList();
        assertThat(names).containsExactlyInAnyOrder("GcsStorageFactory", "LocalStorageFactory");
    }

    @Test
    void gcsUris() {
        var f = new GcsStorageFactory(Map.of("GCS_EMULATOR_HOST", "127.0.0.1:4443")::get);
        assertThat(f.supports(URI.create("gs://b/p"))).isTrue();
        assertThat(f.supports(URI.create("s3://b/p"))).isFalse();
        assertThat(f.supports(URI.create("azure://b/p"))).isFalse();
        try (GcsStorage s = f.builderFor(URI.create("gs://my_bucket/stage/run1?project=p1")).build()) {
            assertThat(s.bucket()).isEqualTo("my_bucket");
            assertThat(s.prefix()).isEqualTo("stage/run1/");
            assertThat(s.describe()).isEqualTo("gs://my_bucket/stage/run1/ (emulator http://127.0.0.1:4443)");
        }
        try (GcsStorage s = f.builderFor(URI.create("gs://b")).build()) {
            assertThat(s.prefix()).isEmpty();
        }
        assertThatThrownBy(() -> f.builderFor(URI.create("gs:///nobucket")))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }

    @Test
    void gcsServiceAccountJsonNeverShows() throws Exception {
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(gen.generateKeyPair().getPrivate()
                .getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String json = "{\"type\":\"service_account\",\"project_id\":\"p\",\"private_key_id\":\"kid-secret-123\","
                + "\"private_key\":\"" + pem.replace("\n", "\\n") + "\",\"client_email\":\"sa@p.iam.gserviceaccount.com\","
                + "\"client_id\":\"1\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}";
        try (GcsStorage s = GcsStorage.builder().bucket("b").prefix("x")
                .serviceAccountJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))).build()) {
            assertThat(s.toString()).isEqualTo("gs://b/x/").isEqualTo(s.describe());
        }
        assertThatThrownBy(() -> GcsStorage.builder().bucket("b")
                .serviceAccountJson(new ByteArrayInputStream("{\"private_key\":\"kid-secret-123\"}".getBytes())))
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).doesNotContain("kid-secret-123");
                    assertThat(e.getCause()).isNull();
                });
    }
}
