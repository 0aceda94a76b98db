package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.RemoteStorages;
import io.milvus.migration.spi.RemoteStorageFactory;
import io.milvus.migration.spi.RemoteStorageSettings;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The runnable jar's storage modules: each of the old tool's clouds is served by exactly one of them. */
class RemoteStorageModulesTest {
    private static RemoteStorageSettings cloud(String cloud, boolean keys) {
        var s = new RemoteStorageSettings();
        s.cloud = cloud;
        s.bucket = "b";
        s.endpoint = "127.0.0.1:1";
        if (keys) {
            s.ak = "a";
            s.sk = "s";
        }
        return s;
    }

    private static String servedBy(RemoteStorageSettings s) {
        var names = new StringBuilder();
        for (RemoteStorageFactory f : ServiceLoader.load(RemoteStorageFactory.class)) {
            if (f.supports(s)) {
                names.append(f.getClass().getSimpleName());
            }
        }
        return names.toString();
    }

    @Test
    void eachCloudHasOneModule() {
        for (String c : new String[] {"aws", "minio", "ali", "tc"}) {
            assertThat(servedBy(cloud(c, true))).as(c).isEqualTo("S3RemoteStorageFactory");
            RemoteStorages.validate(cloud(c, true), "target.remote");
        }
        assertThat(servedBy(cloud("gcp", true))).isEqualTo("S3RemoteStorageFactory");   // HMAC keys: S3 interface
        assertThat(servedBy(cloud("gcp", false))).isEqualTo("GcsRemoteStorageFactory");
        assertThat(servedBy(cloud("azure", true))).isEqualTo("AzureRemoteStorageFactory");
        RemoteStorages.validate(cloud("gcp", false), "target.remote");
        RemoteStorages.validate(cloud("azure", true), "target.remote");
        assertThatThrownBy(() -> RemoteStorages.validate(cloud("azure", false), "source.remote"))
                .hasMessageContaining("source.remote.ak (the storage account name) is missing");
    }
}
