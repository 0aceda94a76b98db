package io.milvus.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.spi.RemoteStorageFactory;
import io.milvus.migration.spi.RemoteStorageSettings;
import io.milvus.migration.spi.Storage;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteStoragesTest {

    /** Serves cloud "mem"; says the region is required. */
    public static class MemFactory implements RemoteStorageFactory {
        @Override
        public boolean supports(RemoteStorageSettings s) {
            return s.cloudName().equals("mem") || s.cloudName().equals("twin");
        }

        @Override
        public void validate(RemoteStorageSettings s) {
            if (s.region == null) {
                throw RemoteStorageSettings.invalid("region", "is missing for cloud mem");
            }
        }

        @Override
        public Storage create(RemoteStorageSettings s) {
            return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                    (proxy, method, args) -> method.getName().equals("describe") ? "mem:" + s.bucket : null);
        }
    }

    /** Claims cloud "twin" too. */
    public static class TwinFactory extends MemFactory {
        @Override
        public boolean supports(RemoteStorageSettings s) {
            return s.cloudName().equals("twin");
        }
    }

    private static URLClassLoader folder(Path dir, Class<?>... factories) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        var names = new StringBuilder();
        for (Class<?> f : factories) {
            names.append(f.getName()).append('\n');
        }
        Files.writeString(services.resolve(RemoteStorageFactory.class.getName()), names);
        return new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, RemoteStoragesTest.class.getClassLoader());
    }

    private static RemoteStorageSettings settings(String cloud) {
        var s = new RemoteStorageSettings();
        s.cloud = cloud;
        s.bucket = "b";
        s.region = "r";
        s.ak = "AKIDEXAMPLE";
        s.sk = "s3cr3t-sk";
        return s;
    }

    @Test
    void theOneFactoryClaimingTheCloudCreatesTheStorage(@TempDir Path dir) throws Exception {
        try (var loader = folder(dir, MemFactory.class, TwinFactory.class)) {
            assertThat(RemoteStorages.create(settings("mem"), "source.remote", loader).describe()).isEqualTo("mem:b");
        }
    }

    @Test
    void twoFactoriesClaimingOneCloudIsAnErrorNamingBoth(@TempDir Path dir) throws Exception {
        try (var loader = folder(dir, MemFactory.class, TwinFactory.class)) {
            assertThatThrownBy(() -> RemoteStorages.validate(settings("twin"), "target.remote", loader))
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                    .hasMessageContaining(MemFactory.class.getName()).hasMessageContaining(TwinFactory.class.getName())
                    .hasMessageContaining("cloud twin").hasMessageNotContaining("s3cr3t-sk");
        }
    }

    @Test
    void noFactoryForTheCloudIsAnErrorNamingTheCloudAndTheModule(@TempDir Path dir) throws Exception {
        try (var loader = folder(dir, MemFactory.class)) {
            assertThatThrownBy(() -> RemoteStorages.create(settings("azure"), "source.remote", loader))
                    .isInstanceOfSatisfying(MigrationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
                    .hasMessageContaining("source.remote.cloud is azure, which no storage module on the class path serves")
                    .hasMessageContaining("add migration-storage-azure");
            RemoteStorageSettings gcp = settings("gcp");
            assertThatThrownBy(() -> RemoteStorages.validate(gcp, "source.remote", loader))
                    .hasMessageContaining("add migration-storage-s3");   // gcp with ak/sk: GCS's S3 interface
            gcp.ak = null;
            gcp.sk = null;
            assertThatThrownBy(() -> RemoteStorages.validate(gcp, "source.remote", loader))
                    .hasMessageContaining("add migration-storage-gcs");
        }
    }

    @Test
    void aFactorysErrorIsPlacedWhereTheDescriptionIs(@TempDir Path dir) throws Exception {
        try (var loader = folder(dir, MemFactory.class)) {
            RemoteStorageSettings s = settings("mem");
            s.region = null;
            assertThatThrownBy(() -> RemoteStorages.validate(s, "source.faiss.remote", loader))
                    .hasMessageContaining("source.faiss.remote.region is missing for cloud mem");
            s.region = "r";
            s.sk = null;
            assertThatThrownBy(() -> RemoteStorages.validate(s, "target.remote", loader))
                    .hasMessageContaining("target.remote.sk is missing; 'ak' and 'sk' go together")
                    .hasMessageNotContaining("AKIDEXAMPLE");
        }
    }

    @Test
    void toStringHidesTheKeys() {
        assertThat(settings("aws").toString()).doesNotContain("AKIDEXAMPLE").doesNotContain("s3cr3t-sk")
                .contains("bucket=b");
    }
}
