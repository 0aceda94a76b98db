package io.milvus.migration.storage;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fake-gcs-server stopped during a large upload ({@link ServerStoppedMidUpload}). */
class GcsServerStoppedMidUploadIT {
    @TempDir
    Path tmp;

    @Test
    void gcsUploadInterruptedByServerStop() throws Exception {
        ServerStoppedMidUpload.check(tmp, "gcs-server.sh", "GCS",
                () -> GcsStorageIT.gcs(GcsStorageIT.BUCKET).createBucket(true)
                .maxAttempts(3).totalTimeout(Duration.ofSeconds(10)).build());
    }
}
