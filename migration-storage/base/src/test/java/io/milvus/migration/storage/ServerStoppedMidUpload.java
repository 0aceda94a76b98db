package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The emulator process is stopped (by its script) while a large upload runs: the upload must end with a
 * {@code STORAGE_IO} error after its bounded retries, and once the server is back the key must not show a partial
 * object. The server is restarted in any case (its data directory persists). Shared by the GCS and Azure ITs.
 */
final class ServerStoppedMidUpload {
    private ServerStoppedMidUpload() {
    }

    static void check(Path tmp, String script, String backend, Supplier<Storage> open) throws Exception {
        Path big = ObjectStorageContract.randomFile(tmp, "big.bin", 400L << 20, 11);
        String key = "stop-" + UUID.randomUUID() + "/big.bin";
        try (Storage storage = open.get()) {
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> storage.upload(key, big));
            Thread.sleep(700);
            assertThat(upload).as("the upload must still run when the server stops").isNotDone();
            try {
                TestPeers.script(script, "stop");
                Throwable failure = null;
                try {
                    upload.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = e.getCause();
                }
                assertThat(failure).as("upload against a stopped server").isInstanceOfSatisfying(
                        MigrationException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_IO);
                            assertThat(e.getMessage()).contains(backend, key);
                        });
            } finally {
                TestPeers.script(script, "start");
            }
            assertThat(storage.exists(key)).as("no half object visible after the failed upload").isFalse();
            assertThat(storage.list(key)).isEmpty();
        }
    }
}
