package io.milvus.migration.storage;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Azurite stopped during a large upload ({@link ServerStoppedMidUpload}). */
class AzureServerStoppedMidUploadIT {
    @TempDir
    Path tmp;

    @Test
    void azureUploadInterruptedByServerStop() throws Exception {
        ServerStoppedMidUpload.check(tmp, "azurite.sh", "Azure Blob",
                () -> AzureBlobStorageIT.azure(AzureBlobStorageIT.CONTAINER)
                .createContainer(true).maxConcurrency(1).maxTries(3).retryDelay(Duration.ofMillis(200))
                .tryTimeout(Duration.ofSeconds(5)).build());
    }
}
