package io.milvus.migration.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.milvus.migration.ErrorCode;
import io.milvus.migration.MigrationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry policy, against a stub HTTP server that answers with scripted statuses: throttling and server errors
 * are retried up to maxAttempts, final errors are not retried. (The real S3 behaviour is in S3StorageIT.)
 */
class S3StorageRetryTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int failures;
    private volatile int failStatus;
    private volatile String failCode;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = requests.incrementAndGet();
            if (n <= failures) {
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + failCode
                        + "</Code><Message>scripted</Message></Error>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
                exchange.sendResponseHeaders(failStatus, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef\"");
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private S3Storage storage(int maxAttempts) {
        return S3Storage.builder().cloud(S3Storage.Cloud.MINIO)
                .endpoint("http://127.0.0.1:" + server.getAddress().getPort()).bucket("b")
                .credentials("ak", "stub-secret-value").maxAttempts(maxAttempts)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilTheyPass() {
        failures = 2;
        failStatus = 503;
        failCode = "SlowDown";
        try (S3Storage s = storage(3)) {
            s.write("a/b.bin", new byte[] {1, 2});
        }
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void retriesAreBoundedAndTheLastErrorIsReported() {
        failures = 100;
        failStatus = 500;
        failCode = "InternalError";
        try (S3Storage s = storage(4)) {
            assertThatThrownBy(() -> s.write("a/b.bin", new byte[] {1}))
                    .isInstanceOf(MigrationException.class)
                    .satisfies(e -> assertThat(((MigrationException) e).code()).isEqualTo(ErrorCode.STORAGE_IO))
                    .hasMessageContaining("s3://b/a/b.bin").hasMessageContaining("HTTP 500 InternalError")
                    .hasMessageNotContaining("stub-secret-value");
        }
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void accessDeniedIsFinalAndNotRetried() {
        failures = 100;
        failStatus = 403;
        failCode = "AccessDenied";
        try (S3Storage s = storage(5)) {
            assertThatThrownBy(() -> s.write("a/b.bin", new byte[] {1}))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("HTTP 403 AccessDenied").hasMessageContaining("access denied");
        }
        assertThat(requests.get()).isEqualTo(1);
    }
}
