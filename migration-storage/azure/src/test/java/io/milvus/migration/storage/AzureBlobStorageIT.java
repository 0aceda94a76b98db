package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Storage;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AzureBlobStorage} against Azurite. */
class AzureBlobStorageIT extends ObjectStorageContract {
    static final String CONTAINER = "migration-it";

    static AzureBlobStorage.Builder azure(String container) {
        return AzureBlobStorage.builder().connectionString(TestPeers.azureConnectionString()).container(container)
                .blockSize(256 << 10).maxTries(3).retryDelay(Duration.ofMillis(100)).tryTimeout(Duration.ofSeconds(20));
    }

    @Override
    Storage storage(int pageSize, int readAhead) {
        return azure(CONTAINER).createContainer(true).pageSize(pageSize).readAhead(readAhead).build();
    }

    @Override
    Storage storageOnMissingBucket(String container) {
        return azure(container).build();
    }

    @Override
    String backend() {
        return "Azure Blob";
    }

    @Test
    void wrongAccountKeyFailsAtOnceWithoutShowingTheKey() throws Exception {
        String cs = TestPeers.azureConnectionString();
        String account = TestPeers.connectionPart(cs, "AccountName");
        String endpoint = TestPeers.connectionPart(cs, "BlobEndpoint");
        String wrongKey = Base64.getEncoder().encodeToString("not-the-key-of-this-account-0123456789".getBytes());
        Path f = randomFile(tmp, "small.bin", 1000, 9);
        try (Storage bad = AzureBlobStorage.builder().accountName(account).accountKey(wrongKey).endpoint(endpoint)
                .container(CONTAINER).maxTries(3).build()) {
            assertThat(bad.toString()).contains(CONTAINER).doesNotContain(wrongKey);
            long t0 = System.nanoTime();
            for (var call : List.<Runnable>of(() -> bad.upload(run + "x.bin", f), () -> bad.list(run),
                    () -> bad.read(run + "x.bin"))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_IO);
                    assertThat(e.getMessage()).contains("Azure Blob", CONTAINER, run, "authentication")
                            .doesNotContain(wrongKey);
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain(wrongKey);
                });
            }
            assertThat(System.nanoTime() - t0).as("not retried").isLessThan(15_000_000_000L);
        }
        assertThat(storage.exists(run + "x.bin")).isFalse();
    }

    @Test
    void otherWaysToAuthenticateWork() {
        String cs = TestPeers.azureConnectionString();
        String account = TestPeers.connectionPart(cs, "AccountName");
        String key = TestPeers.connectionPart(cs, "AccountKey");
        String endpoint = TestPeers.connectionPart(cs, "BlobEndpoint");
        try (Storage byKey = AzureBlobStorage.builder().accountName(account).accountKey(key).endpoint(endpoint)
                .container(CONTAINER).prefix(run).build()) {
            byKey.write("k.bin", new byte[] {4, 2});
            assertThat(byKey.list("")).containsExactly("k.bin");
            assertThat(byKey.toString()).doesNotContain(key);
        }
        assertThat(storage.list(run)).containsExactly(run + "k.bin");

        String sas = new BlobServiceClientBuilder().connectionString(cs).buildClient()
                .getBlobContainerClient(CONTAINER).generateSas(new BlobServiceSasSignatureValues(
                        OffsetDateTime.now().plusHours(1), BlobContainerSasPermission.parse("racwdl")));
        String sig = UriQuery.param(java.net.URI.create("x:/?" + sas), "sig");
        try (Storage bySas = AzureBlobStorage.builder().endpoint(endpoint).sasToken(sas).container(CONTAINER)
                .prefix(run + "sas").build()) {
            bySas.write("s.bin", new byte[] {1});
            assertThat(bySas.list("")).containsExactly("s.bin");
            assertThat(bySas.toString()).doesNotContain(sig).doesNotContain("sig=");
        }
        String forged = sas.replace("sig=", "sig=AAAA");
        try (Storage badSas = AzureBlobStorage.builder().endpoint(endpoint).sasToken(forged).container(CONTAINER)
                .maxTries(2).build()) {
            assertThatThrownBy(() -> badSas.list(run)).isInstanceOfSatisfying(MigrationException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_IO);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).contains("Azure Blob", CONTAINER).doesNotContain(sig);
            });
        }
    }
}
