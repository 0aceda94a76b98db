package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import io.milvus.migration.spi.StorageFactory;
import java.net.URI;
import java.util.Base64;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** URI parsing of the Azure factory, and that descriptions never show secrets. No server needed. */
class AzureBlobStorageUrisTest {
    static final String KEY = Base64.getEncoder().encodeToString("secret-account-key-0123456789-abcdef".getBytes());

    @Test
    void factoriesAreFoundByServiceLoader() {
        var names = ServiceLoader.load(StorageFactory.class).stream().map(p -> p.type().getSimpleName()).toList();
        assertThat(names).containsExactlyInAnyOrder("AzureBlobStorageFactory", "LocalStorageFactory");
    }

    @Test
    void azureSchemeUsesTheEnvironment() {
        String cs = "DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:10000/acct;";
        var f = new AzureBlobStorageFactory(Map.of("AZURE_CONNECTION_STRING", cs)::get);
        assertThat(f.supports(URI.create("azure://c/p"))).isTrue();
        assertThat(f.supports(URI.create("https://acct.blob.core.windows.net/c"))).isTrue();
        assertThat(f.supports(URI.create("https://example.com/c"))).isFalse();
        assertThat(f.supports(URI.create("gs://c"))).isFalse();
        try (AzureBlobStorage s = f.builderFor(URI.create("azure://stage/runs/1")).build()) {
            assertThat(s.container()).isEqualTo("stage");
            assertThat(s.prefix()).isEqualTo("runs/1/");
            assertThat(s.describe()).isEqualTo("azure:http://127.0.0.1:10000/acct/stage/runs/1/")
                    .isEqualTo(s.toString()).doesNotContain(KEY);
        }
        var byKey = new AzureBlobStorageFactory(Map.of("AZURE_STORAGE_ACCOUNT", "acct", "AZURE_STORAGE_KEY", KEY)::get);
        try (Storage s = byKey.create(URI.create("azure://stage"))) {
            assertThat(s.describe()).isEqualTo("azure:https://acct.blob.core.windows.net/stage/")
                    .doesNotContain(KEY);
        }
        var none = new AzureBlobStorageFactory(Map.<String, String>of()::get);
        assertThatThrownBy(() -> none.builderFor(URI.create("azure://stage")))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }

    @Test
    void azureHttpsUriWithSasNeverShowsTheSignature() {
        var f = new AzureBlobStorageFactory(Map.<String, String>of()::get);
        URI uri = URI.create("https://acct.blob.core.windows.net/stage/a/b?sv=2021-08-06&sp=racwdl&sig=SeCrEtSiG%3D");
        try (AzureBlobStorage s = f.builderFor(uri).build()) {
            assertThat(s.container()).isEqualTo("stage");
            assertThat(s.prefix()).isEqualTo("a/b/");
            assertThat(s.describe()).isEqualTo("azure:https://acct.blob.core.windows.net/stage/a/b/")
                    .doesNotContain("SeCrEt");
        }
        assertThat(AzureBlobStorageFactory.redacted(uri)).doesNotContain("SeCrEt");
        var withKey = new AzureBlobStorageFactory(Map.of("AZURE_STORAGE_KEY", KEY)::get);
        try (Storage s = withKey.create(URI.create("https://acct.blob.core.windows.net/stage"))) {
            assertThat(s.toString()).isEqualTo("azure:https://acct.blob.core.windows.net/stage/");
        }
    }

    @Test
    void azureBuilderNeedsExactlyOneCredential() {
        assertThatThrownBy(() -> AzureBlobStorage.builder().container("c").accountName("a").accountKey(KEY)
                .sasToken("sv=1&sig=x").build())
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).doesNotContain(KEY);
                });
        assertThatThrownBy(() -> AzureBlobStorage.builder().container("c").connectionString("AccountKey=" + KEY).build())
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.getMessage()).doesNotContain(KEY));
    }
}
