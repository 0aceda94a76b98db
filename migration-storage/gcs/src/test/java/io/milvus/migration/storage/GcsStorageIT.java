package io.milvus.migration.storage;

import io.milvus.migration.spi.Storage;
import java.time.Duration;

/**
 * {@link GcsStorage} against fake-gcs-server. The emulator accepts any or no credentials, so wrong credentials cannot
 * be tested here; a missing bucket is (in the contract).
 */
class GcsStorageIT extends ObjectStorageContract {
    static final String BUCKET = "migration-it";

    static GcsStorage.Builder gcs(String bucket) {
        return GcsStorage.builder().emulatorHost(TestPeers.gcsHost()).project("it").bucket(bucket)
                .chunkSize(256 << 10).maxAttempts(3).totalTimeout(Duration.ofSeconds(20));
    }

    @Override
    Storage storage(int pageSize, int readAhead) {
        return gcs(BUCKET).createBucket(true).pageSize(pageSize).readAhead(readAhead).build();
    }

    @Override
    Storage storageOnMissingBucket(String bucket) {
        return gcs(bucket).build();
    }

    @Override
    String backend() {
        return "GCS";
    }
}
